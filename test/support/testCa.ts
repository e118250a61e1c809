import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as forge from 'node-forge';
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

/** openssl as an independent verifier; checks skip cleanly (with a note) where it is not installed. */
export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

export function opensslOrSkip(what: string): boolean {
  if (!hasOpenssl) console.log(`openssl not found: skipping the openssl check of ${what}`);
  return hasOpenssl;
}

/** Runs openssl with `files` written to a temp dir; `{name}` in args stands for that file's path. */
export function openssl(args: string[], files: Record<string, string | Buffer> = {}): { status: number | null; stdout: string; stderr: string } {
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
