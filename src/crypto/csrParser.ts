import { createPublicKey, verify, type KeyObject } from 'crypto';
import * as forge from 'node-forge';
import { dnFromForge, type DistinguishedName } from './distinguishedName';
import { fromDer, pkiInternals, toDer } from './forgeInternals';
import { describePublicKey } from './keys';
import { toPem } from './pemFormat';
import { subjectAltNamesFromExtensions, type SubjectAltName } from './subjectAltName';

export interface ParsedCsr {
  pem: string;
  subject: DistinguishedName;
  subjectAltNames: SubjectAltName[];
  publicKeyPem: string;
  keyBits?: number;
  signatureValid: boolean;
}

const { Class } = forge.asn1;

// Signature algorithms the self-signature check understands; null = the key type implies the hash.
const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519
  '1.3.101.113': null, // Ed448
};

/**
 * Parses one DER PKCS#10 request of any key type (forge's own parser accepts RSA only), checking
 * its self-signature natively. Throws when the bytes are not a CSR.
 */
export function parseCsrDer(der: Buffer): ParsedCsr {
  const [info, algorithm, signatureBits] = fromDer(der).value as forge.asn1.Asn1[];
  // CertificationRequestInfo: version, subject, subjectPKInfo, [0] attributes
  const [, subject, spki, attributes] = info.value as forge.asn1.Asn1[];
  const publicKey = createPublicKey({ key: toDer(spki), format: 'der', type: 'spki' });
  const attributeList =
    attributes && attributes.tagClass === Class.CONTEXT_SPECIFIC ? (attributes.value as forge.asn1.Asn1[]) : [];
  const extensions = pkiInternals.CRIAttributesAsArray(attributeList).flatMap((a) => a.extensions ?? []);
  const { publicKeyPem, keyBits } = describePublicKey(publicKey);
  return {
    pem: toPem('CERTIFICATE REQUEST', der),
    subject: dnFromForge(pkiInternals.RDNAttributesAsArray(subject)),
    subjectAltNames: subjectAltNamesFromExtensions(extensions),
    publicKeyPem,
    keyBits,
    signatureValid: selfSignatureValid(info, algorithm, signatureBits, publicKey),
  };
}

function selfSignatureValid(
  info: forge.asn1.Asn1,
  algorithm: forge.asn1.Asn1,
  signatureBits: forge.asn1.Asn1,
  publicKey: KeyObject,
): boolean {
  const oid = forge.asn1.derToOid((algorithm.value as forge.asn1.Asn1[])[0].value as string);
  const hash = SIGNATURE_HASHES[oid];
  if (hash === undefined) return false; // e.g. RSASSA-PSS: not something we can vouch for
  const signature = Buffer.from((signatureBits.value as string).slice(1), 'binary'); // skip the unused-bits octet
  try {
    // For DER input (what CSR tools emit) re-encoding reproduces the signed bytes exactly.
    return verify(hash, toDer(info), publicKey, signature);
  } catch {
    return false;
  }
}
