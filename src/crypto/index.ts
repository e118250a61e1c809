// Public API of the crypto layer: plain data (PEM strings, Dates) only, no forge objects.
export { generateRsaKeyPair, publicKeyOf, samePublicKey, type RsaKeyPair } from './keys';
export { defaultSubject, formatDn, sameDn, type DistinguishedName, type DnAttribute } from './distinguishedName';
export {
  buildSelfSignedCertificate,
  buildSignedCertificate,
  type CertificateSpec,
  type SignedCertificateSpec,
  wholeSeconds,
  type SubjectAltName,
} from './certificateBuilder';
export { buildCsr, type CsrSpec } from './csrBuilder';
export {
  classifyContent,
  normalizePem,
  toPem,
  type ContentClass,
  type ParsedCertificate,
  type ParsedCsr,
} from './pem';
export { validateChain, type ChainExpectation, type ChainProblem, type ChainProblemCode } from './chainValidator';
export { buildLocalCa, buildServerCertificate, type CertificateAndKey } from './localhostCertificates';
