import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as forge from 'node-forge';
import { requireTool } from './tools';
import { buildCsr, buildSignedCertificate, generateRsaKeyPair, type DistinguishedName, type RsaKeyPair, type SubjectAltName } from '../../src/crypto';

/**
 * A certificate authority made in the test, as a user's CA would be: a root and an intermediate
 * that sign what a CSR carries. CSRs are read with node-forge, not with Localforce's own parser,
 * so the server's output is checked by an independent reader.
 */
export interface TestCa {
  rootDn: DistinguishedName;
  interDn: DistinguishedName;
  rootKey: RsaKeyPair;
  interKey: RsaKeyPair;
  root: string;
  inter: string;
}

const DAY = 24 * 3600 * 1000;

export async function makeTestCa(name = 'Test', now = new Date()): Promise<TestCa> {
  const rootDn: DistinguishedName = [{ shortName: 'CN', value: `${name} Root CA` }, { shortName: 'O', value: `${name} CA` }];
  const interDn: DistinguishedName = [{ shortName: 'CN', value: `${name} Intermediate CA` }, { shortName: 'O', value: `${name} CA` }];
  const [rootKey, interKey] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const root = await buildSignedCertificate({
    keyPair: rootKey, subject: rootDn, issuer: rootDn, issuerKeyPair: rootKey, isCa: true,
    notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() + 3650 * DAY),
  });
  const inter = await intermediate({ rootDn, rootKey, interDn }, interKey, now);
  return { rootDn, interDn, rootKey, interKey, root, inter };
}

/** An intermediate certificate for `key` under the CA's root (a new one when the CA renews its intermediate). */
export function intermediate(ca: Pick<TestCa, 'rootDn' | 'rootKey' | 'interDn'>, key: RsaKeyPair, now = new Date(), days = 1825): Promise<string> {
  return buildSignedCertificate({
    keyPair: key, subject: ca.interDn, issuer: ca.rootDn, issuerKeyPair: ca.rootKey, isCa: true,
    notBefore: new Date(now.getTime() - 10 * DAY), notAfter: new Date(now.getTime() + days * DAY),
  });
}

export interface CsrInfo {
  publicKeyPem: string;
  subject: DistinguishedName;
  subjectAltNames: SubjectAltName[];
  signatureVerifies: boolean;
}

/** Reads a CSR with node-forge (RSA only, which is all the org makes). */
export function readCsr(pem: string): CsrInfo {
  const csr = forge.pki.certificationRequestFromPem(pem);
  const ext = csr.getAttribute({ name: 'extensionRequest' }) as { extensions?: { name: string; altNames?: { type: number; value?: string; ip?: string }[] }[] } | null;
  const san = ext?.extensions?.find((e) => e.name === 'subjectAltName');
  return {
    publicKeyPem: forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey),
    subject: csr.subject.attributes.map((a) => ({ shortName: a.shortName ?? String(a.type), value: String(a.value) })),
    subjectAltNames: (san?.altNames ?? []).map((n) => (n.type === 7 ? { type: 7, ip: n.ip } : { type: n.type, value: n.value })),
    signatureVerifies: csr.verify(),
  };
}

export interface SignOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** Sign for this key instead of the CSR's (a chain for another key). */
  publicKeyPem?: string;
  issuerDn?: DistinguishedName;
  issuerKey?: RsaKeyPair;
  serial?: string;
}

/** The CA signs what the CSR asks for: its subject, SANs and public key. */
export function signCsr(ca: TestCa, csrPem: string, o: SignOptions = {}): Promise<string> {
  const csr = readCsr(csrPem);
  const now = Date.now();
  return buildSignedCertificate({
    keyPair: { publicKeyPem: o.publicKeyPem ?? csr.publicKeyPem }, subject: csr.subject, subjectAltNames: csr.subjectAltNames,
    issuer: o.issuerDn ?? ca.interDn, issuerKeyPair: o.issuerKey ?? ca.interKey, serial: o.serial,
    notBefore: o.notBefore ?? new Date(now - DAY), notAfter: o.notAfter ?? new Date(now + 365 * DAY),
  });
}

/** A certificate of someone else's (a user's existing certificate whose X.509 parameters get copied). */
export async function foreignCertificate(subject: DistinguishedName, subjectAltNames: SubjectAltName[] = []): Promise<{ pem: string; key: RsaKeyPair }> {
  const key = await generateRsaKeyPair(2048);
  const pem = await buildSignedCertificate({
    keyPair: key, subject, subjectAltNames, issuer: subject, issuerKeyPair: key,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 90 * DAY),
  });
  return { pem, key };
}

export async function foreignCsr(subject: DistinguishedName, subjectAltNames: SubjectAltName[] = []): Promise<{ pem: string; key: RsaKeyPair }> {
  const key = await generateRsaKeyPair(2048);
  return { pem: await buildCsr({ keyPair: key, subject, subjectAltNames }), key };
}

export const samePublicKey = (a: string, b: string): boolean =>
  createPublicKey(a).export({ type: 'spki', format: 'der' }).equals(createPublicKey(b).export({ type: 'spki', format: 'der' }));

/** The same certificate with its key swapped for a P-256 key: a non-RSA certificate without openssl. */
export function withEcKey(certificatePem: string): string {
  const cert = forge.asn1.fromDer(forge.util.decode64(certificatePem.replace(/-----[^-]+-----|\s/g, '')));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
  const ecSpki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
  (tbs.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(ecSpki.toString('binary')); // [0] version, serial, sigAlg, issuer, validity, subject, spki
  const der = forge.asn1.toDer(cert).getBytes();
  const b64 = forge.util.encode64(der).match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * Runs openssl, the independent verifier, with `files` written to a temp dir; `{name}` in args stands
 * for that file's path. A missing openssl fails the test that needs it (requireTool).
 */
export function openssl(args: string[], files: Record<string, string | Buffer> = {}): { status: number | null; stdout: string; stderr: string } {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'lf-cert-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const resolved = args.map((a) => a.replace(/\{([^}]+)\}/g, (_, name: string) => join(dir, name)));
    const r = spawnSync('openssl', resolved, { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits a PEM chain into its certificates' PEM blocks. */
export const pemBlocks = (text: string): string[] => text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----\n?/g) ?? [];

/**
 * A certificate's extensions read with node-forge (an independent reader): names in certificate
 * order with their criticality, CA flag, subject key identifier, and the authority key identifier
 * decoded into key id, issuer directory name and serial. Hex values are upper case.
 */
export interface CertificateExtensions {
  extensions: { name: string; critical: boolean }[];
  cA?: boolean;
  subjectKeyId?: string;
  authorityKeyId?: { keyId?: string; issuer?: string[]; serial?: string };
}

const hexOf = (bytes: string): string => forge.util.bytesToHex(bytes).toUpperCase();

export function extensionsOf(pem: string): CertificateExtensions {
  type Ext = { name: string; critical?: boolean; cA?: boolean; subjectKeyIdentifier?: string; value: string };
  const exts = forge.pki.certificateFromPem(pem).extensions as Ext[];
  const out: CertificateExtensions = { extensions: exts.map((e) => ({ name: e.name, critical: !!e.critical })) };
  const bc = exts.find((e) => e.name === 'basicConstraints');
  if (bc) out.cA = !!bc.cA;
  const ski = exts.find((e) => e.name === 'subjectKeyIdentifier');
  if (ski) out.subjectKeyId = ski.subjectKeyIdentifier!.toUpperCase();
  const aki = exts.find((e) => e.name === 'authorityKeyIdentifier');
  if (aki) {
    // AuthorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier, [1] authorityCertIssuer GeneralNames, [2] serial }
    const rdn = (forge.pki as unknown as { RDNAttributesAsArray(n: forge.asn1.Asn1): { shortName?: string; type: string; value: string }[] }).RDNAttributesAsArray;
    const akid: NonNullable<CertificateExtensions['authorityKeyId']> = {};
    for (const part of forge.asn1.fromDer(aki.value).value as forge.asn1.Asn1[]) {
      if (part.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC) throw new Error('authorityKeyIdentifier: untagged element');
      const tag = part.type as number;
      if (tag === 0) akid.keyId = hexOf(part.value as string);
      else if (tag === 2) akid.serial = hexOf(part.value as string);
      else if (tag === 1) {
        // GeneralNames holding one directoryName, [4] EXPLICIT Name.
        const names = part.value as forge.asn1.Asn1[];
        if (names.length !== 1 || (names[0]!.type as number) !== 4) throw new Error('authorityKeyIdentifier: expected one directoryName');
        const name = (names[0]!.value as forge.asn1.Asn1[])[0]!;
        akid.issuer = rdn(name).map((a) => `${a.shortName ?? a.type}=${forge.util.decodeUtf8(a.value)}`);
      }
    }
    out.authorityKeyId = akid;
  }
  return out;
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the RSAPublicKey, upper-case hex. */
export const keyIdOf = (publicKeyPem: string): string =>
  createHash('sha1').update(createPublicKey(publicKeyPem).export({ type: 'pkcs1', format: 'der' })).digest('hex').toUpperCase();

/** The subject (and issuer) a Salesforce org writes, as node's X509Certificate shows it: the 15-character org id, ST=CA, C=USA. */
export const orgSubject = (fullName: string, orgId: string): string =>
  `CN=${fullName}\nOU=${orgId.slice(0, 15)}\nO=Salesforce.com\nL=San Francisco\nST=CA\nC=USA`;

/**
 * When a certificate the org makes expires (ISO): the anniversary of the given time's UTC date, at
 * 00:00:00 UTC when made before noon (UTC) and at 12:00:00 UTC from noon on.
 */
export function orgMadeExpiry(from: Date | string | number, years: number): string {
  const d = new Date(from);
  return new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() >= 12 ? 12 : 0)).toISOString();
}

/**
 * Checks that a certificate has the profile of a self-signed certificate a Salesforce org makes:
 * X.509 v3; subject key identifier, basicConstraints CA:TRUE (critical) and an authority key
 * identifier with the key id, the issuer's name and the serial, in that order (then any SANs), and
 * nothing else (no keyUsage); a 14-byte serial of 6 bytes of creation time in milliseconds (the
 * notBefore second), 4 zero bytes and 4 random ones. Key ids are checked against the certificate's
 * own key.
 */
export function expectOrgMade(pem: string): void {
  const x509 = new X509Certificate(pem);
  const serial = x509.serialNumber.toUpperCase();
  const keyId = keyIdOf(x509.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  expect(forge.pki.certificateFromPem(pem).version).toBe(2); // v3
  expect(x509.issuer).toBe(x509.subject);
  expect(extensionsOf(pem)).toEqual({
    extensions: [
      { name: 'subjectKeyIdentifier', critical: false },
      { name: 'basicConstraints', critical: true },
      { name: 'authorityKeyIdentifier', critical: false },
      ...(x509.subjectAltName === undefined ? [] : [{ name: 'subjectAltName', critical: false }]),
    ],
    cA: true,
    subjectKeyId: keyId,
    authorityKeyId: { keyId, issuer: x509.issuer.split('\n'), serial },
  });
  expect(x509.ca).toBe(true);
  const created = Date.parse(x509.validFrom).toString(16).toUpperCase().padStart(12, '0');
  expect(serial).toMatch(new RegExp(`^${created}00000000[0-9A-F]{8}$`));
}
