import * as forge from 'node-forge';
import type { ForgeAttribute } from './forgeInternals';

export interface DnAttribute {
  /** CN, OU, O, L, ST, C or E; the dotted OID for attributes forge has no short name for. */
  shortName: string;
  value: string;
}

export type DistinguishedName = DnAttribute[];

const { oids } = forge.pki;
const Type = forge.asn1.Type;

// forge's own short-name table is private; these are the names it assigns when parsing.
const SHORT_NAME_OIDS: Record<string, string> = {
  CN: oids.commonName,
  C: oids.countryName,
  L: oids.localityName,
  ST: oids.stateOrProvinceName,
  O: oids.organizationName,
  OU: oids.organizationalUnitName,
  E: oids.emailAddress,
};

const DOTTED_OID = /^\d+(\.\d+)+$/;

export function attributeOid(shortName: string): string {
  if (DOTTED_OID.test(shortName)) return shortName;
  const known = SHORT_NAME_OIDS[shortName.toUpperCase()] ?? oids[shortName];
  if (known && DOTTED_OID.test(known)) return known;
  throw new Error(`unknown distinguished name attribute "${shortName}"`);
}

// RFC 4514 escaping, so a value holding ", " cannot be misread as an attribute boundary.
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

export function formatDn(dn: DistinguishedName): string {
  return dn.map((a) => `${a.shortName}=${escapeValue(a.value)}`).join(', ');
}

// RFC 5280 7.1 name matching is case-insensitive with insignificant whitespace folded; CAs and
// OpenSSL chain by that rule, so an issuer re-encoded with different case or spacing still matches.
function foldValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function sameDn(a: DistinguishedName, b: DistinguishedName): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) => attributeOid(x.shortName) === attributeOid(b[i].shortName) && foldValue(x.value) === foldValue(b[i].value),
    )
  );
}

export function defaultSubject(fullName: string, orgId: string): DistinguishedName {
  // As real orgs write it: the 15-character org id, and `ST=CA, C=USA`.
  return [
    { shortName: 'CN', value: fullName },
    { shortName: 'OU', value: orgId.slice(0, 15) },
    { shortName: 'O', value: 'Salesforce.com' },
    { shortName: 'L', value: 'San Francisco' },
    { shortName: 'ST', value: 'CA' },
    { shortName: 'C', value: 'USA' },
  ];
}

// forge hands back the raw content octets of each string type; turn them into JS strings.
function decodeValue(attr: ForgeAttribute): string {
  const raw = attr.value;
  if (typeof raw !== 'string') {
    // A non-string value: RFC 4514 "#hex" of its DER.
    const node = forge.asn1.create(forge.asn1.Class.UNIVERSAL, attr.valueTagClass, true, raw);
    return `#${forge.util.bytesToHex(forge.asn1.toDer(node).getBytes())}`;
  }
  const bytes = Buffer.from(raw, 'binary');
  switch (attr.valueTagClass) {
    case Type.UTF8:
      return bytes.toString('utf8');
    case Type.BMPSTRING:
      return bytes.swap16().toString('utf16le');
    case 28: // UniversalString (UCS-4 big-endian)
      return String.fromCodePoint(...Array.from({ length: bytes.length >> 2 }, (_, i) => bytes.readUInt32BE(i * 4)));
    default:
      return bytes.toString('latin1');
  }
}

export function dnFromForge(attrs: ForgeAttribute[]): DistinguishedName {
  return attrs.map((a) => ({ shortName: a.shortName ?? a.type, value: decodeValue(a) }));
}

/**
 * forge attributes for building a subject/issuer. UTF8String as RFC 5280 requires for
 * DirectoryString, except countryName (PrintableString) and emailAddress (IA5String) whose
 * syntaxes are fixed. One attribute per RDN.
 */
export function dnToForge(dn: DistinguishedName): forge.pki.CertificateField[] {
  return dn.map((a) => {
    const type = attributeOid(a.shortName);
    const valueTagClass =
      type === oids.countryName ? Type.PRINTABLESTRING : type === oids.emailAddress ? Type.IA5STRING : Type.UTF8;
    // forge UTF-8-encodes the value itself when the tag is UTF8String.
    return { type, value: a.value, valueTagClass: valueTagClass as unknown as forge.asn1.Class };
  });
}
