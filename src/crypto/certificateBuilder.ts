import { createHash, createPublicKey, randomBytes } from 'crypto';
import * as forge from 'node-forge';
import { dnToForge, type DistinguishedName } from './distinguishedName';
import { pkiInternals } from './forgeInternals';
import type { RsaKeyPair } from './keys';
import { signEnvelope, SIGNATURE_ALGORITHM_OID } from './nativeSigner';
import { toPem } from './pemFormat';
import { subjectAltNamesToForge, type SubjectAltName } from './subjectAltName';

export type { SubjectAltName } from './subjectAltName';

export interface CertificateSpec {
  keyPair: RsaKeyPair;
  subject: DistinguishedName;
  subjectAltNames?: SubjectAltName[];
  notBefore: Date;
  notAfter: Date;
}

export interface SignedCertificateSpec extends Omit<CertificateSpec, 'keyPair'> {
  /** A CA signs a requester's public key; it never holds the requester's private key. */
  keyPair: Pick<RsaKeyPair, 'publicKeyPem'>;
  issuer: DistinguishedName;
  issuerKeyPair: RsaKeyPair;
  isCa?: boolean;
  /** Hex; a positive random 16-byte serial when omitted (14 bytes in the org profile). */
  serial?: string;
  /** `org`: the extensions and serial of an org's self-signed certificate (see buildSelfSignedCertificate). */
  profile?: 'org';
}

/**
 * A self-signed certificate as a Salesforce org makes one (measured on certificates retrieved from
 * real orgs): basicConstraints CA:TRUE (critical), a subject key identifier, an authority key
 * identifier with key id, issuer name and serial, and a 14-byte serial. Returns PEM.
 */
export function buildSelfSignedCertificate(spec: CertificateSpec): Promise<string> {
  return buildSignedCertificate({ ...spec, issuer: spec.subject, issuerKeyPair: spec.keyPair, profile: 'org' });
}

/** X.509 v3 certificate signed by `issuerKeyPair` (SHA-256 with RSA). Returns PEM. */
export async function buildSignedCertificate(spec: SignedCertificateSpec): Promise<string> {
  const notBefore = wholeSeconds(spec.notBefore);
  const notAfter = wholeSeconds(spec.notAfter);
  if (notAfter <= notBefore) throw new Error('notAfter must be later than notBefore');

  const cert = forge.pki.createCertificate();
  cert.version = 2; // v3
  const org = spec.profile === 'org';
  cert.serialNumber = spec.serial ? derIntegerHex(spec.serial) : org ? orgSerial(notBefore) : randomSerial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(dnToForge(spec.subject));
  cert.setIssuer(dnToForge(spec.issuer));
  // Before setExtensions: forge derives subjectKeyIdentifier from it.
  cert.publicKey = forge.pki.publicKeyFromPem(spec.keyPair.publicKeyPem);
  cert.siginfo.algorithmOid = SIGNATURE_ALGORITHM_OID;

  const sans = spec.subjectAltNames ?? [];
  const altNames = sans.length > 0 ? [{ name: 'subjectAltName', altNames: subjectAltNamesToForge(sans) }] : [];
  const authorityKeyId = keyIdentifier(spec.issuerKeyPair.publicKeyPem);
  cert.setExtensions(org ? [
    { name: 'subjectKeyIdentifier' },
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId, authorityCertIssuer: true, serialNumber: true },
    ...altNames,
  ] : [
    spec.isCa
      ? { name: 'basicConstraints', cA: true, critical: true }
      : { name: 'basicConstraints', cA: false },
    spec.isCa
      ? { name: 'keyUsage', critical: true, digitalSignature: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectKeyIdentifier' },
    // forge's `keyIdentifier: true` would take the subject's key, wrong for CA-issued certificates.
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
    ...altNames,
  ]);

  const der = await signEnvelope(pkiInternals.getTBSCertificate(cert), spec.issuerKeyPair.privateKeyPem);
  return toPem('CERTIFICATE', der);
}

/** X.509 stores times to the second; dropping milliseconds keeps a date equal to what a parse of the certificate gives back. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// 16 random bytes with the top bit clear (serials must be positive) and the next bit set, so the
// DER INTEGER is always exactly 16 bytes with no padding octet (forge writes the bytes verbatim).
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

// Real orgs' serials are 14 bytes: the creation time in milliseconds (6 bytes), 4 zero bytes and
// 4 random ones. The time's top bit is clear until the year 10889, so the INTEGER stays positive.
function orgSerial(created: Date): string {
  const time = created.getTime().toString(16).padStart(12, '0');
  return `${time}00000000${randomBytes(4).toString('hex')}`;
}

// Minimal two's-complement content octets of a positive hex serial, since forge does not normalise.
function derIntegerHex(hex: string): string {
  const value = BigInt(`0x${hex.replace(/^0x/i, '')}`);
  if (value <= 0n) throw new Error('serial must be a positive integer');
  let digits = value.toString(16);
  if (digits.length % 2) digits = `0${digits}`;
  return parseInt(digits.slice(0, 2), 16) >= 0x80 ? `00${digits}` : digits;
}

// RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, which for RSA is the PKCS#1
// RSAPublicKey DER; the same value forge computes for subjectKeyIdentifier.
function keyIdentifier(publicKeyPem: string): string {
  const rsaPublicKey = createPublicKey(publicKeyPem).export({ type: 'pkcs1', format: 'der' });
  return createHash('sha1').update(rsaPublicKey).digest().toString('binary');
}
