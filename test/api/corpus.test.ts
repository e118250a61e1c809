import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import JSZip from 'jszip';
import * as forge from 'node-forge';
import { MetadataRegistry } from '../../src/metadata/registry';
import { parseManifest, type Manifest } from '../../src/package/manifest';
import { adminFetch, asArray, deployAndWait, packageXml, soapLogin, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { pemBlocks, readCsr, samePublicKey } from '../support/testCa';

/*
 * The real-world corpus of fixtures/corpus (see SOURCES.md): Certificate pairs retrieved from real
 * orgs, each deployed into an org of its own and round-tripped through jsforce, and the package.xml
 * of five real projects, parsed, resolved against the type registry and sent as retrieve requests.
 *
 * What a round trip keeps follows the Metadata API's Certificate page and Localforce's README: a
 * certificate uploaded for a *new* component is a set of X.509 parameters to copy (the org makes a new
 * key pair, and a self-signed certificate, or a CSR when caSigned, with the uploaded leaf's subject and
 * subject alternative names); a CSR uploaded for a new caSigned component gives a new CSR with its
 * subject. Private keys never cross the API, so a fresh org cannot hold the corpus certificate itself.
 */

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'corpus');
const CERTS = join(CORPUS, 'certs');
const PROJECTS = join(CORPUS, 'projects');
const DAY = 24 * 3600 * 1000;

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

type Message = { fullName: string; fileName: string; componentType: string; problem?: string; changed: boolean; created: boolean; deleted: boolean; success: boolean };
type Result = Awaited<ReturnType<typeof deployAndWait>>;

const successes = (r: Result): Message[] => asArray(r.details?.componentSuccesses as unknown as Message[]);
const failures = (r: Result): Message[] => asArray(r.details?.componentFailures as unknown as Message[]);
const describeFailure = (r: Result) => JSON.stringify({ status: r.status, errorMessage: r.errorMessage, failures: failures(r) });

async function newOrg(): Promise<{ id: string; conn: Connection }> {
  const res = await adminFetch(server, `/_localforce/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(201);
  const org = (await res.json()) as { id: string; username: string; password: string };
  // Logged in with a password, so that jsforce logs in again when a move of the org's clock ends its session.
  return { id: org.id, conn: await soapLogin(server, org.username, org.password) };
}

async function setClock(orgId: string, time: Date): Promise<void> {
  const res = await adminFetch(server, `/_localforce/orgs/${orgId}/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ time: time.toISOString() }),
  });
  expect(res.status).toBe(200);
}

async function unzip(base64: string): Promise<Record<string, Buffer>> {
  const zip = await JSZip.loadAsync(Buffer.from(base64, 'base64'));
  const files: Record<string, Buffer> = {};
  for (const f of Object.values(zip.files)) if (!f.dir) files[f.name] = await f.async('nodebuffer');
  return files;
}

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, bytes] of Object.entries(files)) zip.file(path, bytes);
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function retrieveCert(conn: Connection, name: string): Promise<{ crt: Buffer; meta: string } | undefined> {
  conn.metadata.pollTimeout = 60_000;
  conn.metadata.pollInterval = 100;
  const result = await conn.metadata.retrieve({
    apiVersion: '66.0', unpackaged: { types: [{ name: 'Certificate', members: [name] }], version: '66.0' },
  } as never).complete();
  expect(result.status).toBe('Succeeded');
  const files = await unzip(result.zipFile as string);
  const crt = files[`unpackaged/certs/${name}.crt`];
  const meta = files[`unpackaged/certs/${name}.crt-meta.xml`];
  return crt && meta ? { crt, meta: meta.toString('utf8') } : undefined;
}

const metaField = (meta: string, field: string): string | undefined => meta.match(new RegExp(`<${field}>([^<]*)</${field}>`))?.[1];

/** A distinguished name as (OID, value) pairs, read with node-forge from a certificate or a CSR. */
type Dn = { type: string; value: string }[];
const dnOf = (attributes: forge.pki.CertificateField[]): Dn => attributes.map((a) => ({ type: String(a.type), value: String(a.value) }));
const certificateDn = (pem: string): Dn => dnOf(forge.pki.certificateFromPem(pem).subject.attributes);
const csrDn = (pem: string): Dn => dnOf(forge.pki.certificationRequestFromPem(pem).subject.attributes);
const der = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const publicKeyOfCertificate = (pem: string): string => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }) as string;

// ---------------------------------------------------------------------------------------------
// Certificates

interface CorpusPair {
  file: string;
  fullName: string;
  crt: Buffer;
  meta: string;
}

const pairs: CorpusPair[] = readdirSync(CERTS)
  .filter((f) => f.endsWith('.crt'))
  .sort()
  .map((file) => ({
    file,
    fullName: file.split('__').slice(2).join('__').replace(/\.crt$/, ''),
    crt: readFileSync(join(CERTS, file)),
    meta: existsSync(join(CERTS, `${file}-meta.xml`)) ? readFileSync(join(CERTS, `${file}-meta.xml`), 'utf8') : '',
  }));

describe('the certificate corpus', () => {
  it('holds the 32 pairs SOURCES.md lists, each with its meta file', () => {
    expect(pairs).toHaveLength(32);
    expect(readdirSync(CERTS).filter((f) => f.endsWith('.crt-meta.xml'))).toHaveLength(32);
    for (const p of pairs) expect(p.meta).toMatch(/<Certificate xmlns="http:\/\/soap\.sforce\.com\/2006\/04\/metadata">/);
    const kinds = pairs.map((p) => (p.crt.toString('utf8').includes('REQUEST') ? 'csr' : 'certificate'));
    expect(kinds.filter((k) => k === 'csr')).toHaveLength(3);
  });

  it.each(pairs.map((p) => [p.file, p] as const))('%s deploys into a fresh org and round trips', async (_file, pair) => {
    const { fullName: name, crt, meta } = pair;
    const text = crt.toString('utf8');
    const blocks = pemBlocks(text);
    const isCsr = blocks.length === 1 && /BEGIN (NEW )?CERTIFICATE REQUEST/.test(blocks[0]!);
    const caSigned = metaField(meta, 'caSigned') === 'true';
    const keySize = Number(metaField(meta, 'keySize') ?? 2048);
    const label = metaField(meta, 'masterLabel')!;

    const org = await newOrg();
    // Into the period where every certificate of the chain is valid (corpus chains have expired since).
    let orgNow = new Date();
    if (!isCsr) {
      const x509s = blocks.map((b) => new X509Certificate(b));
      const from = Math.max(...x509s.map((x) => Date.parse(x.validFrom)));
      const to = Math.min(...x509s.map((x) => Date.parse(x.validTo)));
      expect(from).toBeLessThan(to);
      orgNow = new Date(Math.min(from + DAY, (from + to) / 2));
      await setClock(org.id, orgNow);
    }

    const manifest = packageXml([name]);
    const deployed = await deployAndWait(org.conn, await zipOf({ 'package.xml': manifest, [`certs/${name}.crt`]: crt, [`certs/${name}.crt-meta.xml`]: meta }));
    if (deployed.status !== 'Succeeded') throw new Error(`${pair.file} did not deploy: ${describeFailure(deployed)}`);
    expect(successes(deployed).find((m) => m.fullName === name)).toMatchObject({
      componentType: 'Certificate', fileName: `certs/${name}.crt`, created: true, changed: true, success: true,
    });

    const first = await retrieveCert(org.conn, name);
    if (!first) throw new Error(`${name} is not in the org after its deploy`);

    // The meta file keeps what was deployed; expirationDate is the org's.
    expect(metaField(first.meta, 'masterLabel')).toBe(label);
    expect(metaField(first.meta, 'caSigned')).toBe(String(caSigned));
    expect(metaField(first.meta, 'keySize')).toBe(String(keySize));
    expect(metaField(first.meta, 'privateKeyExportable')).toBe(metaField(meta, 'privateKeyExportable'));

    // The .crt: the uploaded X.509 parameters copied onto a new key pair.
    const out = first.crt.toString('utf8');
    const outBlocks = pemBlocks(out);
    expect(outBlocks).toHaveLength(1);
    const subject = isCsr ? csrDn(blocks[0]!) : certificateDn(blocks[0]!);
    const uploadedKey = isCsr ? readCsr(blocks[0]!).publicKeyPem : publicKeyOfCertificate(blocks[0]!);
    if (caSigned) {
      // A new CSR, waiting for its chain, asking for the uploaded leaf's (or CSR's) subject.
      expect(out).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
      const csr = readCsr(out);
      expect(csr.signatureVerifies).toBe(true);
      expect(csrDn(out)).toEqual(subject);
      expect(samePublicKey(csr.publicKeyPem, uploadedKey)).toBe(false);
      expect(forge.pki.publicKeyFromPem(csr.publicKeyPem).n.bitLength()).toBe(keySize);
    } else {
      expect(out).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      const made = new X509Certificate(out);
      expect(certificateDn(out)).toEqual(subject);
      expect(made.subjectAltName).toBe(new X509Certificate(blocks[0]!).subjectAltName);
      expect(made.verify(made.publicKey)).toBe(true);
      expect(samePublicKey(publicKeyOfCertificate(out), uploadedKey)).toBe(false);
      expect(made.publicKey.asymmetricKeyDetails?.modulusLength).toBe(keySize);
      // Made at the org's time, for one year (2048-bit) or two (4096-bit); expirationDate says when.
      expect(Math.abs(Date.parse(made.validFrom) - orgNow.getTime())).toBeLessThan(10 * 60_000);
      expect(Math.round((Date.parse(made.validTo) - Date.parse(made.validFrom)) / (365 * DAY))).toBe(keySize === 4096 ? 2 : 1);
      expect(metaField(first.meta, 'expirationDate')).toBe(new Date(made.validTo).toISOString());
    }

    // Exactly the retrieved files again: unchanged, and the same certificate comes back.
    const again = await deployAndWait(org.conn, await zipOf({
      'package.xml': manifest, [`certs/${name}.crt`]: first.crt, [`certs/${name}.crt-meta.xml`]: first.meta,
    }));
    if (again.status !== 'Succeeded') throw new Error(`the retrieved ${name} did not deploy again: ${describeFailure(again)}`);
    expect(successes(again).find((m) => m.fullName === name)).toMatchObject({ created: false, changed: false, success: true });
    const second = await retrieveCert(org.conn, name);
    expect(second).toBeDefined();
    expect(der(second!.crt.toString('utf8')).equals(der(out))).toBe(true);
    expect(second!.meta).toBe(first.meta);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// What the org makes, against what real orgs made

/** The corpus certificates an org made itself: self-signed, with the org's id as OU. */
const orgMade = pairs.filter((p) => {
  const text = p.crt.toString('utf8');
  if (text.includes('REQUEST')) return false;
  const x = new X509Certificate(text);
  return x.subject === x.issuer && /^OU=00D/m.test(x.subject);
});

const attributesOf = (fields: forge.pki.CertificateField[]): string[] => fields.map((a) => `${a.shortName}=${String(a.value)}`);
const extensionsOf = (c: forge.pki.Certificate): { name: string; critical: boolean; cA?: boolean }[] =>
  (c.extensions as { name: string; critical?: boolean; cA?: boolean }[])
    .map((e) => ({ name: e.name, critical: !!e.critical, ...(e.name === 'basicConstraints' ? { cA: !!e.cA } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
const elementNames = (xml: string): string[] => [...xml.matchAll(/^\s*<(\w+)>/gm)].map((m) => m[1]!);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addYears = (ms: number, years: number) => { const d = new Date(ms); d.setUTCFullYear(d.getUTCFullYear() + years); return d.getTime(); };

describe('a certificate the org makes, next to the 23 org-made certificates of the corpus', () => {
  // A time of day that is neither midnight nor noon, so that the validity check below can tell.
  const at = new Date('2031-05-17T15:42:10.000Z');
  const made: Record<number, { pem: string; meta: string; orgId: string }> = {};

  beforeAll(async () => {
    for (const keySize of [2048, 4096]) {
      const org = await newOrg();
      await setClock(org.id, at);
      const name = `Made_${keySize}`;
      const meta = `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
        `    <caSigned>false</caSigned>\n    <keySize>${keySize}</keySize>\n    <masterLabel>${name}</masterLabel>\n</Certificate>\n`;
      const result = await deployAndWait(org.conn, await zipOf({ 'package.xml': packageXml([name]), [`certs/${name}.crt`]: '', [`certs/${name}.crt-meta.xml`]: meta }));
      if (result.status !== 'Succeeded') throw new Error(`${name} did not deploy: ${describeFailure(result)}`);
      const got = await retrieveCert(org.conn, name);
      made[keySize] = { pem: got!.crt.toString('utf8'), meta: got!.meta, orgId: org.id };
    }
  }, 120_000);

  it('the corpus agrees with itself on what it is compared on', () => {
    expect(orgMade).toHaveLength(23);
    const tails = new Set(orgMade.map((p) => attributesOf(forge.pki.certificateFromPem(p.crt.toString('utf8')).subject.attributes).slice(2).join(', ')));
    expect([...tails]).toEqual(['O=Salesforce.com, L=San Francisco, ST=CA, C=USA']);
    for (const p of orgMade) {
      const c = forge.pki.certificateFromPem(p.crt.toString('utf8'));
      const [cn, ou] = attributesOf(c.subject.attributes);
      expect(cn).toMatch(/^CN=/);
      expect(ou).toMatch(/^OU=00D[A-Za-z0-9]{12}$/);
    }
  });

  it('has the subject and issuer a real org writes: CN=<name>, OU=<15-character org id>, O=Salesforce.com, L=San Francisco, ST=CA, C=USA', () => {
    for (const keySize of [2048, 4096]) {
      const { pem, orgId } = made[keySize]!;
      const c = forge.pki.certificateFromPem(pem);
      const expected = [`CN=Made_${keySize}`, `OU=${orgId.slice(0, 15)}`, 'O=Salesforce.com', 'L=San Francisco', 'ST=CA', 'C=USA'];
      expect(attributesOf(c.subject.attributes)).toEqual(expected);
      expect(attributesOf(c.issuer.attributes)).toEqual(expected);
    }
  });

  it('has the extensions a real org writes: basicConstraints CA:TRUE (critical) and the key identifiers, nothing else', () => {
    const corpus = new Set(orgMade.map((p) => JSON.stringify(extensionsOf(forge.pki.certificateFromPem(p.crt.toString('utf8'))))));
    expect(corpus.size).toBe(1);
    const expected = JSON.parse([...corpus][0]!) as unknown[];
    expect(expected).toEqual([
      { name: 'authorityKeyIdentifier', critical: false },
      { name: 'basicConstraints', critical: true, cA: true },
      { name: 'subjectKeyIdentifier', critical: false },
    ]);
    for (const keySize of [2048, 4096]) expect(extensionsOf(forge.pki.certificateFromPem(made[keySize]!.pem))).toEqual(expected);
  });

  it('expires as a real org\'s do: on the anniversary date, at 00:00:00 or 12:00:00 UTC, as expirationDate says', () => {
    const shape = (pem: string, years: number) => {
      const x = new X509Certificate(pem);
      const from = Date.parse(x.validFrom);
      const to = Date.parse(x.validTo);
      return { day: isoDay(to) === isoDay(addYears(from, years)), time: ['00:00:00', '12:00:00'].includes(new Date(to).toISOString().slice(11, 19)) };
    };
    for (const p of orgMade) {
      const keySize = Number(metaField(p.meta, 'keySize'));
      expect({ file: p.file, ...shape(p.crt.toString('utf8'), keySize === 4096 ? 2 : 1) }).toEqual({ file: p.file, day: true, time: true });
    }
    for (const keySize of [2048, 4096]) {
      const { pem, meta } = made[keySize]!;
      expect(Date.parse(new X509Certificate(pem).validFrom)).toBe(at.getTime());
      expect({ keySize, ...shape(pem, keySize === 4096 ? 2 : 1) }).toEqual({ keySize, day: true, time: true });
      expect(metaField(meta, 'expirationDate')).toBe(new Date(new X509Certificate(pem).validTo).toISOString());
    }
  });

  it('has a 14-byte serial number, as every org-made certificate of the corpus', () => {
    for (const p of orgMade) expect(new X509Certificate(p.crt.toString('utf8')).serialNumber).toHaveLength(28);
    for (const keySize of [2048, 4096]) expect(new X509Certificate(made[keySize]!.pem).serialNumber).toHaveLength(28);
  });

  it('is retrieved with the meta file elements a real retrieve writes (encryptedWithPlatformEncryption false included)', () => {
    const corpus = new Set(pairs.map((p) => elementNames(p.meta).join(' ')));
    expect([...corpus]).toEqual(['caSigned encryptedWithPlatformEncryption expirationDate keySize masterLabel privateKeyExportable']);
    for (const keySize of [2048, 4096]) expect(elementNames(made[keySize]!.meta).join(' ')).toBe([...corpus][0]);
    expect(metaField(made[2048]!.meta, 'encryptedWithPlatformEncryption')).toBe('false');
  });
});

// ---------------------------------------------------------------------------------------------
// Manifests

interface Project {
  name: string;
  text: string;
}

const projects: Project[] = readdirSync(PROJECTS).sort().map((name) => ({ name, text: readFileSync(join(PROJECTS, name, 'package.xml'), 'utf8') }));

function mustParse(text: string): Manifest {
  const read = parseManifest(text, true);
  if (!read.ok) throw new Error(`package.xml does not parse: ${JSON.stringify(read.error)}`);
  return read.manifest;
}

describe('the real projects\' manifests', () => {
  it('are the five SOURCES.md lists', () => {
    expect(projects.map((p) => p.name)).toEqual([
      'Maryam0605__AMH_pipeline', 'N-P-N-P__SFDX-SFDX', 'ameyajoshirunwalgroup__SFDC-RunwalProd-1Oct', 'peticavictor__salesforce_broker', 'shiva445__Shiva-Personal',
    ]);
  });

  it.each(projects.map((p) => [p.name, p] as const))('%s parses, and every type in it resolves at its version', (_name, project) => {
    const manifest = mustParse(project.text);
    const declared = project.text.match(/<version>\s*([\d.]+)\s*<\/version>/)![1]!;
    expect(manifest.version).toBe(Number(declared));
    expect(manifest.types.length).toBe((project.text.match(/<name>/g) ?? []).length);
    expect(manifest.types.length).toBeGreaterThan(50);
    expect(manifest.types.reduce((n, t) => n + t.members.length, 0)).toBe((project.text.match(/<members>/g) ?? []).length);
    const unresolved = manifest.types.filter((t) => !MetadataRegistry.resolve(t.name, manifest.version)).map((t) => t.name);
    expect(unresolved).toEqual([]);
  });

  it.each(projects.map((p) => [p.name, p] as const))('%s is a retrieve request an empty org answers', async (_name, project) => {
    const manifest = mustParse(project.text);
    const version = manifest.version!.toFixed(1);
    const { conn } = await newOrg();
    conn.metadata.pollTimeout = 60_000;
    conn.metadata.pollInterval = 100;
    const result = await conn.metadata.retrieve({ apiVersion: version, unpackaged: { types: manifest.types, version } } as never).complete();
    expect(result.status).toBe('Succeeded');
    expect(String(result.success)).toBe('true');
    const files = await unzip(result.zipFile as string);
    expect(Object.keys(files)).toEqual(['unpackaged/package.xml']);
    const written = mustParse(files['unpackaged/package.xml']!.toString('utf8'));
    expect(written.version).toBe(manifest.version);
    expect(written.types).toEqual([]);

    const messages = asArray(result.messages as unknown as { fileName: string; problem: string }[]);
    const other = messages.filter((m) => !/^Entity of type '[^']+' named '.+' cannot be found$/.test(m.problem));
    expect(other).toEqual([]);
    // One message for each named member (a wildcard finds nothing and says nothing).
    const named = manifest.types.flatMap((t) => t.members.filter((m) => m !== '*').map((m) => `Entity of type '${t.name}' named '${m}' cannot be found`));
    expect(messages.map((m) => m.problem).sort()).toEqual(named.sort());
    for (const m of messages) expect(m.fileName).toBe('unpackaged/package.xml');
  }, 120_000);
});
