import { X509Certificate } from 'crypto';
import * as forge from 'node-forge';
import { dnFromForge, type DistinguishedName } from './distinguishedName';
import { fromDer, pkiInternals } from './forgeInternals';
import { describePublicKey } from './keys';
import { toPem } from './pemFormat';
import { subjectAltNamesFromExtensions, type SubjectAltName } from './subjectAltName';

export interface ParsedCertificate {
  /** Canonical PEM of this one certificate. */
  pem: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  subjectAltNames: SubjectAltName[];
  notBefore: Date;
  notAfter: Date;
  publicKeyPem: string;
  keyAlgorithm: 'rsa' | string;
  /** RSA modulus length; undefined for key types without one. */
  keyBits?: number;
  /** Upper-case hex. */
  serialNumber: string;
  isCa: boolean;
}

const { Class, Type } = forge.asn1;

/**
 * Parses one DER certificate of any key type. forge.pki.certificateFromAsn1 rejects non-RSA keys,
 * so node's X509Certificate does the validation and key handling, and forge only walks the
 * TBSCertificate for the parts node exposes as display strings (ordered DNs, SANs, exact times).
 * Throws when the bytes are not a certificate.
 */
export function parseCertificateDer(der: Buffer): ParsedCertificate {
  const x509 = new X509Certificate(der);
  const tbs = fromDer(der).value[0] as forge.asn1.Asn1;
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki, [1], [2], [3] extensions
  const at = fields[0].tagClass === Class.CONTEXT_SPECIFIC && fields[0].type === 0 ? 1 : 0;
  const issuer = fields[at + 2];
  const validity = fields[at + 3].value as forge.asn1.Asn1[];
  const subject = fields[at + 4];
  const extensionsNode = fields
    .slice(at + 6)
    .find((f) => f.tagClass === Class.CONTEXT_SPECIFIC && (f.type as number) === 3);
  const extensions = extensionsNode ? pkiInternals.certificateExtensionsFromAsn1(extensionsNode) : [];

  return {
    pem: toPem('CERTIFICATE', x509.raw),
    subject: dnFromForge(pkiInternals.RDNAttributesAsArray(subject)),
    issuer: dnFromForge(pkiInternals.RDNAttributesAsArray(issuer)),
    subjectAltNames: subjectAltNamesFromExtensions(extensions),
    notBefore: asn1Time(validity[0]),
    notAfter: asn1Time(validity[1]),
    ...describePublicKey(x509.publicKey),
    serialNumber: x509.serialNumber.toUpperCase(),
    isCa: x509.ca,
  };
}

function asn1Time(node: forge.asn1.Asn1): Date {
  const text = node.value as string;
  return node.type === Type.UTCTIME ? forge.asn1.utcTimeToDate(text) : forge.asn1.generalizedTimeToDate(text);
}
