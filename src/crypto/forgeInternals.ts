import * as forge from 'node-forge';

// @types/node-forge omits several functions node-forge exports (TBS/CRI builders, RDN and
// extension parsers) and mistypes fromDer's options; this file is the one typed view of them.

/** An RDN or CRI attribute as forge parses it: `value` is the raw (undecoded) string content. */
export interface ForgeAttribute {
  type: string;
  value: string | forge.asn1.Asn1[];
  valueTagClass: number;
  name?: string;
  shortName?: string;
  extensions?: ForgeExtension[];
}

export interface ForgeAltName {
  type: number;
  value: string | forge.asn1.Asn1[];
  ip?: string | null;
}

export interface ForgeExtension {
  id: string;
  name?: string;
  critical: boolean;
  altNames?: ForgeAltName[];
}

interface PkiInternals {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): ForgeAttribute[];
  CRIAttributesAsArray(attributes: forge.asn1.Asn1[]): ForgeAttribute[];
  certificateExtensionsFromAsn1(exts: forge.asn1.Asn1): ForgeExtension[];
}

export const pkiInternals = forge.pki as unknown as PkiInternals;

type FromDer = (
  bytes: string,
  options: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean },
) => forge.asn1.Asn1;

/**
 * Strict DER parse of a whole buffer. decodeBitStrings is off: forge would otherwise guess that
 * a signature or key BIT STRING holds nested ASN.1 and restructure it.
 */
export function fromDer(der: Buffer): forge.asn1.Asn1 {
  const parse = forge.asn1.fromDer as unknown as FromDer;
  return parse(der.toString('binary'), { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

export function toDer(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}
