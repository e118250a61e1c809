import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Connection } from 'jsforce';
import JSZip from 'jszip';
import { generateRsaKeyPair, type DistinguishedName } from '../../src/crypto';
import { adminFetch,
  asArray, certMeta, certsZip, deployAndWait as jsforceDeployAndWait, packageXml, soapLogin, startTestServer,
  type CertSpec, type LocalforceServer,
} from '../support/localforce';
import {
  orgMadeExpiry, expectOrgMade, foreignCertificate, foreignCsr, intermediate, makeTestCa, openssl, orgSubject,
  pemBlocks, readCsr, samePublicKey, signCsr, withEcKey, type TestCa,
} from '../support/testCa';

/*
 * The certificate lifecycle of certificate.md driven through jsforce over HTTP: every row of the
 * "New component" and "Existing component" tables, the signed-chain upload with a CA made here,
 * renewal, deletions and the deploy options. Certificates the server makes are checked with node's
 * X509Certificate and, where installed, openssl.
 */

let server: LocalforceServer;
let conn: Connection;
let ca: TestCa;

beforeAll(async () => {
  [server, ca] = await Promise.all([startTestServer(), makeTestCa()]);
  conn = await soapLogin(server);
});
afterAll(async () => { await server?.close(); });

type Message = {
  fullName: string; fileName: string; componentType: string; problem?: string; problemType?: string;
  lineNumber?: number; columnNumber?: number; changed: boolean; created: boolean; deleted: boolean; success: boolean; id?: string;
};
type Result = Awaited<ReturnType<typeof jsforceDeployAndWait>>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deploys and polls checkDeployStatus until done. jsforce's own poller (used once below) waits at
 * least 100 ms between calls; this keeps a file of some sixty deploys quick.
 */
async function deployAndWait(c: Connection, zip: Buffer, options: Record<string, unknown> = {}): Promise<Result> {
  const { id } = await c.metadata.deploy(zip, { singlePackage: true, rollbackOnError: true, ...options });
  for (;;) {
    const status = await c.metadata.checkDeployStatus(id, true);
    if (status.done) return status;
    await pause(10);
  }
}

/** Retrieves certificates (`unpackaged/` layout) and returns the result and the unzipped files. */
async function retrieveCerts(c: Connection, members: string[] = ['*']) {
  const request = { apiVersion: '66.0', unpackaged: { types: [{ name: 'Certificate', members }], version: '66.0' } };
  const { id } = await c.metadata.retrieve(request as never);
  let result = await c.metadata.checkRetrieveStatus(id);
  while (String(result.done) !== 'true') {
    await pause(10);
    result = await c.metadata.checkRetrieveStatus(id);
  }
  const zip = await JSZip.loadAsync(Buffer.from(result.zipFile as string, 'base64'));
  const files: Record<string, string> = {};
  for (const f of Object.values(zip.files)) if (!f.dir) files[f.name] = await f.async('string');
  return { result, files };
}
const failures = (r: Result): Message[] => asArray(r.details?.componentFailures as unknown as Message[]);
const successes = (r: Result): Message[] => asArray(r.details?.componentSuccesses as unknown as Message[]);
/** The success message of an addition (a deletion of the same name has its own, with deleted true). */
const success = (r: Result, fullName: string): Message | undefined => successes(r).find((m) => m.fullName === fullName && !m.deleted);
const deletion = (r: Result, fullName: string): Message | undefined => successes(r).find((m) => m.fullName === fullName && m.deleted);

const DAY = 24 * 3600 * 1000;
/** The subject a real org writes: the 15-character org id (00D000000000001 for the default org), ST=CA, C=USA. */
const defaultSubject = (name: string): string => orgSubject(name, server.org.id);

/** Content given as a Buffer (DER) is written to the zip byte for byte. */
type Spec = Omit<CertSpec, 'content'> & { content?: string | Buffer };

async function zipOf(certs: Spec[], opts: Parameters<typeof certsZip>[1] = {}): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await certsZip(certs.map((c) => ({ ...c, content: typeof c.content === 'string' ? c.content : '' })), opts));
  const p = opts.prefix ?? '';
  for (const c of certs) if (Buffer.isBuffer(c.content)) zip.file(`${p}certs/${c.name}.crt`, c.content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

async function deploy(certs: Spec[], options: Record<string, unknown> = {}, c: Connection = conn): Promise<Result> {
  return deployAndWait(c, await zipOf(certs), options);
}

/** The .crt and -meta.xml a retrieve returns now, or undefined when the org has no such certificate. */
async function retrieveOne(name: string, c: Connection = conn): Promise<{ crt: string; meta: string } | undefined> {
  const { files } = await retrieveCerts(c, [name]);
  const crt = files[`unpackaged/certs/${name}.crt`];
  return crt === undefined ? undefined : { crt, meta: files[`unpackaged/certs/${name}.crt-meta.xml`]! };
}

async function mustRetrieve(name: string, c: Connection = conn): Promise<{ crt: string; meta: string }> {
  const r = await retrieveOne(name, c);
  if (!r) throw new Error(`${name} is not in the org`);
  return r;
}

/** Deploying exactly what a retrieve returned succeeds, changes nothing, and retrieves the same again. */
async function expectRedeployIsNoOp(name: string): Promise<void> {
  const before = await mustRetrieve(name);
  const result = await deployAndWait(conn, await certsZip([{ name, content: before.crt, meta: before.meta }]));
  expect(result.status).toBe('Succeeded');
  expect(success(result, name)).toMatchObject({ created: false, changed: false });
  expect(await mustRetrieve(name)).toEqual(before);
}

const metaField = (meta: string, field: string): string | undefined => meta.match(new RegExp(`<${field}>([^<]*)</${field}>`))?.[1];

/** A deploy that one component's problem failed, leaving nothing committed. */
function expectRefused(result: Result, name: string, problem: RegExp): Message {
  expect(result.status).toBe('Failed');
  expect(result.success).toBe(false);
  const f = failures(result);
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ fullName: name, componentType: 'Certificate', problemType: 'Error', success: false });
  expect(f[0]!.problem).toContain(`Certificate ${name}:`);
  expect(f[0]!.problem).toMatch(problem);
  return f[0]!;
}

/** Deploys the content to a stored certificate and checks it is refused with the stored one left as it was. */
async function expectRefusedUnchanged(name: string, spec: Omit<Spec, 'name'>, problem: RegExp): Promise<Message> {
  const before = await mustRetrieve(name);
  const message = expectRefused(await deploy([{ name, ...spec }]), name, problem);
  expect(await mustRetrieve(name)).toEqual(before);
  return message;
}

async function setClock(orgId: string, body: { time?: string; offsetMs?: number }): Promise<{ now: string }> {
  const res = await adminFetch(server, `/_localforce/orgs/${orgId}/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { now: string };
}

const isoOf = (x509Date: string): string => new Date(x509Date).toISOString();

describe('a CA-signed certificate from CSR to signed chain', () => {
  const name = 'Signed_Cert';
  let csr: string;
  let leaf: string;

  it('is created with a new key and a CSR carrying the org subject (new: caSigned true, empty)', async () => {
    // jsforce's own deploy-and-poll, as users call it.
    const result = await jsforceDeployAndWait(conn, await certsZip([{ name, caSigned: true, label: 'Signed certificate' }]));
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ created: true, changed: true, componentType: 'Certificate', fileName: `certs/${name}.crt` });

    const { crt, meta } = await mustRetrieve(name);
    expect(crt).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(crt.endsWith('-----END CERTIFICATE REQUEST-----\n')).toBe(true);
    csr = crt;
    const info = readCsr(csr);
    expect(info.signatureVerifies).toBe(true);
    expect(info.subject).toEqual([
      { shortName: 'CN', value: name }, { shortName: 'OU', value: server.org.id.slice(0, 15) }, { shortName: 'O', value: 'Salesforce.com' },
      { shortName: 'L', value: 'San Francisco' }, { shortName: 'ST', value: 'CA' }, { shortName: 'C', value: 'USA' },
    ]);
    expect(server.org.id.slice(0, 15)).toBe('00D000000000001');
    expect(metaField(meta, 'caSigned')).toBe('true');
    expect(metaField(meta, 'keySize')).toBe('2048');
    // Until the chain arrives the expiry is as for a self-signed 2048-bit certificate: the anniversary
    // of the org date it was made on, at midnight or noon UTC (made between the deploy's start and its end).
    const expires = metaField(meta, 'expirationDate')!;
    expect(expires).toMatch(/T(00|12):00:00\.000Z$/);
    expect([orgMadeExpiry(String(result.createdDate), 1), orgMadeExpiry(String(result.completedDate), 1)]).toContain(expires);
    const verified = openssl(['req', '-in', '{csr.pem}', '-noout', '-verify'], { 'csr.pem': csr });
    expect(verified.status).toBe(0);
    const bits = openssl(['req', '-in', '{csr.pem}', '-noout', '-text'], { 'csr.pem': csr });
    expect(bits.stdout).toMatch(/Public-Key: \(2048 bit\)/);
    expect(bits.stdout).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
  });

  it('hands out the same CSR through readMetadata', async () => {
    const record = (await conn.metadata.read('Certificate', [name]))[0] as unknown as { content: string; caSigned: boolean };
    expect(Buffer.from(record.content, 'base64').toString('utf8')).toBe(csr);
    expect(record.caSigned).toBe(true);
  });

  it('treats a redeploy of exactly what retrieve returned as a no-op while it waits for its chain', async () => {
    await expectRedeployIsNoOp(name);
  });

  describe('refuses each wrong chain with its own message, leaving the certificate as it was', () => {
    it('a chain for another key', async () => {
      const other = await generateRsaKeyPair(2048);
      const wrong = await signCsr(ca, csr, { publicKeyPem: other.publicKeyPem });
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: wrong + ca.inter }, /does not match this certificate's private key/);
      expect(m.problem).toMatch(/certificate 1 \(CN=Signed_Cert, OU=.*\) holds another public key/);
      expect(m.problem).toMatch(/Have the CA sign that CSR/);
      expect(m.fileName).toBe(`certs/${name}.crt`);
    });

    it('a chain out of order, or missing its intermediate', async () => {
      const signed = await signCsr(ca, csr);
      const outOfOrder = await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.root + ca.inter }, /certificate chain is not valid/);
      expect(outOfOrder.problem).toMatch(/certificate 1 \(CN=Signed_Cert[^)]*\) was issued by CN=Test Intermediate CA, O=Test CA, but the next one is certificate 2 \(CN=Test Root CA, O=Test CA\)/);
      expect(outOfOrder.problem).toMatch(/leaf first/);
      const missing = await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.root }, /certificate chain is not valid/);
      expect(missing.problem).toMatch(/certificate 1 .* was issued by CN=Test Intermediate CA/);
      // The intermediate given first: its key is not this certificate's.
      await expectRefusedUnchanged(name, { caSigned: true, content: ca.inter + signed }, /does not match this certificate's private key/);
    });

    it('a chain whose signature does not verify', async () => {
      const imposterKey = await generateRsaKeyPair(2048);
      // Same name as the real intermediate, another key: the leaf's signature cannot verify under it.
      const imposter = await intermediate(ca, imposterKey);
      const signed = await signCsr(ca, csr);
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + imposter }, /certificate chain is not valid/);
      expect(m.problem).toMatch(/certificate 2 \(CN=Test Intermediate CA, O=Test CA\) did not sign certificate 1 \(CN=Signed_Cert/);
      const r = openssl(['verify', '-CAfile', '{root.pem}', '-untrusted', '{inter.pem}', '{leaf.pem}'], { 'root.pem': ca.root, 'inter.pem': imposter, 'leaf.pem': signed });
      expect(r.status).not.toBe(0);
    });

    it('a leaf that has expired at the org clock', async () => {
      const signed = await signCsr(ca, csr, { notAfter: new Date(Date.now() + 100 * DAY) });
      const notAfter = isoOf(new X509Certificate(signed).validTo);
      await setClock(server.org.id, { offsetMs: 200 * DAY });
      try {
        const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.inter }, /certificate chain is not valid/);
        expect(m.problem).toContain(`certificate 1 (CN=${name}, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA) expired on ${notAfter}`);
        expect(m.problem).toMatch(/Have the CA issue a new certificate/);
      } finally {
        await setClock(server.org.id, {});
      }
      // The same chain at the real time is fine (checked, not kept: checkOnly).
      const check = await deploy([{ name, caSigned: true, content: signed + ca.inter }], { checkOnly: true });
      expect(check.status).toBe('Succeeded');
    });

    it('an expired intermediate', async () => {
      const oldInterKey = await generateRsaKeyPair(2048);
      const oldInter = await intermediate(ca, oldInterKey, new Date(Date.now() - 40 * DAY), 20);
      const signed = await signCsr(ca, csr, { issuerKey: oldInterKey });
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + oldInter }, /certificate chain is not valid/);
      expect(m.problem).toMatch(/certificate 2 \(CN=Test Intermediate CA, O=Test CA\) expired on /);
    });

    it('a leaf not valid yet', async () => {
      const from = new Date(Date.now() + 10 * DAY);
      const signed = await signCsr(ca, csr, { notBefore: from, notAfter: new Date(from.getTime() + 365 * DAY) });
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.inter }, /certificate chain is not valid/);
      expect(m.problem).toContain(`certificate 1 (CN=${name}`);
      expect(m.problem).toContain(`is not valid until ${isoOf(new X509Certificate(signed).validFrom)}`);
    });

    it('a leaf whose key size is not keySize', async () => {
      const small = await generateRsaKeyPair(1024);
      const signed = await signCsr(ca, csr, { publicKeyPem: small.publicKeyPem });
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.inter }, /certificate chain is not valid/);
      expect(m.problem).toMatch(/certificate 1 \(CN=Signed_Cert[^)]*\) has a 1024-bit key but the key size is 2048/);
    });

    it('a chain with a non-RSA certificate', async () => {
      const signed = await signCsr(ca, csr);
      const m = await expectRefusedUnchanged(name, { caSigned: true, content: signed + withEcKey(ca.inter) }, /certificate chain is not valid/);
      expect(m.problem).toMatch(/certificate 2 \(CN=Test Intermediate CA, O=Test CA\) has a key of type ec; only RSA keys are accepted/);
    });

    it('a new CSR instead of the chain', async () => {
      const other = await foreignCsr([{ shortName: 'CN', value: 'other.example.com' }]);
      await expectRefusedUnchanged(name, { caSigned: true, content: other.pem }, /waiting for its signed certificate chain, not a new certificate signing request/);
    });

    it('content holding a private key, alone or with the chain', async () => {
      const key = await generateRsaKeyPair(2048);
      await expectRefusedUnchanged(name, { caSigned: true, content: key.privateKeyPem }, /holds a private key/);
      const signed = await signCsr(ca, csr);
      await expectRefusedUnchanged(name, { caSigned: true, content: signed + ca.inter + key.privateKeyPem }, /holds a private key.*leave the content empty/);
    });

    it('content that is neither a certificate nor a CSR', async () => {
      await expectRefusedUnchanged(name, { caSigned: true, content: 'hello, not a certificate\n' }, /is not a PEM certificate, certificate chain or certificate signing request/);
      await expectRefusedUnchanged(name, { caSigned: true, content: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }, /"PUBLIC KEY" PEM block/);
    });
  });

  it('accepts the chain the CA signed for its CSR, and from then on returns the chain, never the CSR', async () => {
    leaf = await signCsr(ca, csr, { serial: '1a2b3c' });
    const result = await deploy([{ name, caSigned: true, label: 'Signed certificate', content: `${leaf}${ca.inter}`.replace(/\n/g, '\r\n') }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ created: false, changed: true });

    const { crt, meta } = await mustRetrieve(name);
    expect(crt).not.toMatch(/REQUEST/);
    expect(pemBlocks(crt)).toEqual([leaf, ca.inter]);
    const x509 = new X509Certificate(leaf);
    expect(metaField(meta, 'expirationDate')).toBe(isoOf(x509.validTo));
    expect(samePublicKey(x509.publicKey.export({ type: 'spki', format: 'pem' }) as string, readCsr(csr).publicKeyPem)).toBe(true);
    expect(x509.verify(new X509Certificate(ca.inter).publicKey)).toBe(true);
    const record = (await conn.metadata.read('Certificate', [name]))[0] as unknown as { content: string; expirationDate: string };
    expect(Buffer.from(record.content, 'base64').toString('utf8')).toBe(crt);
    expect(record.expirationDate).toBe(isoOf(x509.validTo));
    const [l, i] = pemBlocks(crt);
    const r = openssl(['verify', '-CAfile', '{root.pem}', '-untrusted', '{inter.pem}', '{leaf.pem}'], { 'root.pem': ca.root, 'inter.pem': i!, 'leaf.pem': l! });
    expect(r.stdout).toMatch(/OK/);
    expect(r.status).toBe(0);
    const leafKey = openssl(['x509', '-in', '{leaf.pem}', '-noout', '-pubkey'], { 'leaf.pem': l! });
    const csrKey = openssl(['req', '-in', '{csr.pem}', '-noout', '-pubkey'], { 'csr.pem': csr });
    expect(leafKey.stdout).toBe(csrKey.stdout);
  });

  it('treats a redeploy of exactly what retrieve returned as a no-op once active', async () => {
    await expectRedeployIsNoOp(name);
  });

  it('answers the CSR it had before with a Warning that fails the deploy unless ignoreWarnings', async () => {
    const before = await mustRetrieve(name);
    const failed = await deploy([{ name, caSigned: true, label: 'Signed certificate', content: csr }]);
    expect(failed.status).toBe('Failed');
    const [w] = failures(failed);
    expect(w).toMatchObject({ fullName: name, problemType: 'Warning', success: false });
    expect(w!.problem).toMatch(/^Certificate Signed_Cert: the signed certificate chain is already uploaded.*left unchanged/);

    const ignored = await deploy([{ name, caSigned: true, label: 'Signed certificate', content: csr }], { ignoreWarnings: true });
    expect(ignored.status).toBe('Succeeded');
    expect(success(ignored, name)).toMatchObject({ problemType: 'Warning', success: true, changed: false });
    expect(await mustRetrieve(name)).toEqual(before);
  });

  it('refuses any other CSR once the chain is uploaded', async () => {
    const other = await foreignCsr([{ shortName: 'CN', value: name }]);
    await expectRefusedUnchanged(name, { caSigned: true, label: 'Signed certificate', content: other.pem }, /already uploaded; a certificate signing request can no longer replace it/);
  });

  it('takes a re-issued leaf for the same key with a new intermediate, and its expiry', async () => {
    const g2Key = await generateRsaKeyPair(2048);
    const g2Dn: DistinguishedName = [{ shortName: 'CN', value: 'Test Intermediate CA G2' }, { shortName: 'O', value: 'Test CA' }];
    const g2 = await intermediate({ ...ca, interDn: g2Dn }, g2Key);
    const reissued = await signCsr(ca, csr, { issuerDn: g2Dn, issuerKey: g2Key, notAfter: new Date(Date.now() + 200 * DAY), serial: '77' });
    const result = await deploy([{ name, caSigned: true, label: 'Signed certificate', content: reissued + g2 + ca.root }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ changed: true, created: false });
    const { crt, meta } = await mustRetrieve(name);
    expect(pemBlocks(crt)).toEqual([reissued, g2, ca.root]);
    expect(metaField(meta, 'expirationDate')).toBe(isoOf(new X509Certificate(reissued).validTo));
    expect(metaField(meta, 'expirationDate')).not.toBe(isoOf(new X509Certificate(leaf).validTo));
  });

  it('refuses a chain for another key once active, pointing to a new certificate for a renewal', async () => {
    const other = await generateRsaKeyPair(2048);
    const wrong = await signCsr(ca, csr, { publicKeyPem: other.publicKeyPem });
    const m = await expectRefusedUnchanged(name, { caSigned: true, content: wrong + ca.inter }, /does not match this certificate's private key/);
    expect(m.problem).toMatch(/To renew with a new key, deploy it as a new certificate under another name/);
  });

  it.each([
    ['caSigned', certMeta({ caSigned: false, label: 'Signed certificate' }), 3, 'it is true, the file says false'],
    ['keySize', certMeta({ caSigned: true, keySize: 4096, label: 'Signed certificate' }), 4, 'it is 2048, the file says 4096'],
    ['privateKeyExportable', certMeta({ caSigned: true, label: 'Signed certificate', extra: '    <privateKeyExportable>false</privateKeyExportable>\n' }), 5, 'it is true, the file says false'],
  ])('refuses a change of %s after creation, naming the field and where it stands', async (field, meta, line, values) => {
    const m = await expectRefusedUnchanged(name, { meta }, new RegExp(`${field} cannot be changed after the certificate is created`));
    expect(m.problem).toContain(values);
    expect(m).toMatchObject({ fileName: `certs/${name}.crt-meta.xml`, lineNumber: line, columnNumber: 5 });
  });

  it('updates the other fields and keeps the content when the content is empty', async () => {
    const before = await mustRetrieve(name);
    const result = await deploy([{ name, caSigned: true, label: 'Renamed label' }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ changed: true, created: false });
    const after = await mustRetrieve(name);
    expect(after.crt).toBe(before.crt);
    expect(metaField(after.meta, 'masterLabel')).toBe('Renamed label');
    expect(metaField(after.meta, 'expirationDate')).toBe(metaField(before.meta, 'expirationDate'));
  });
});

describe('a self-signed certificate', () => {
  const name = 'Self_Cert';
  let first: X509Certificate;

  it('is a new key pair and a self-signed SHA-256 certificate with the org subject (new: caSigned false, empty)', async () => {
    const result = await deploy([{ name, label: 'Self signed' }]);
    expect(result.status).toBe('Succeeded');
    const { crt, meta } = await mustRetrieve(name);
    first = new X509Certificate(crt);
    expect(first.subject).toBe(defaultSubject(name));
    expect(first.issuer).toBe(first.subject);
    expect(first.verify(first.publicKey)).toBe(true);
    expect(first.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(metaField(meta, 'expirationDate')).toBe(isoOf(first.validTo));
    // Valid from the second it was made to the anniversary of that date, at midnight or noon UTC.
    expect(isoOf(first.validFrom)).toMatch(/\.000Z$/);
    expect(isoOf(first.validTo)).toBe(orgMadeExpiry(first.validFrom, 1));
    expect(Date.parse(first.validTo) - Date.parse(first.validFrom)).toBeGreaterThan(364 * DAY);
    expect(Date.parse(first.validTo) - Date.parse(first.validFrom)).toBeLessThanOrEqual(366 * DAY);
    expectOrgMade(crt);
    const r = openssl(['verify', '-CAfile', '{c.pem}', '{c.pem}'], { 'c.pem': crt });
    expect(r.status).toBe(0);
    expect(openssl(['x509', '-in', '{c.pem}', '-noout', '-text'], { 'c.pem': crt }).stdout).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
  });

  it.each([
    ['exactly as retrieved', (crt: string) => crt],
    ['with CRLF line endings and surrounding blank lines', (crt: string) => `\r\n\r\n${crt.replace(/\n/g, '\r\n')}\r\n  \r\n`],
    ['re-wrapped at 76 columns', (crt: string) => `-----BEGIN CERTIFICATE-----\n${crt.replace(/-----[^-]+-----|\s/g, '').match(/.{1,76}/g)!.join('\n')}\n-----END CERTIFICATE-----`],
    ['as DER', (crt: string) => Buffer.from(crt.replace(/-----[^-]+-----|\s/g, ''), 'base64')],
  ])('treats a redeploy of what retrieve returned (%s) as a no-op', async (_how, transform: (crt: string) => string | Buffer) => {
    const before = await mustRetrieve(name);
    const result = await deploy([{ name, meta: before.meta, content: transform(before.crt) }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ created: false, changed: false });
    expect(await mustRetrieve(name)).toEqual(before);
  });

  it('refuses a CSR (caSigned cannot change)', async () => {
    const other = await foreignCsr([{ shortName: 'CN', value: 'x.example.com' }]);
    await expectRefusedUnchanged(name, { label: 'Self signed', content: other.pem }, /a certificate signing request only applies to a CA-signed certificate, and this one is self-signed/);
  });

  it('renews from a different certificate: a new key, that subject and those subject alternative names', async () => {
    const subject: DistinguishedName = [
      { shortName: 'CN', value: 'renewed.example.com' }, { shortName: 'O', value: 'Example Corp' }, { shortName: 'C', value: 'GB' },
    ];
    const theirs = await foreignCertificate(subject, [{ type: 2, value: 'renewed.example.com' }, { type: 2, value: 'www.renewed.example.com' }, { type: 7, ip: '10.1.2.3' }]);
    const result = await deploy([{ name, label: 'Self signed', content: theirs.pem }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, name)).toMatchObject({ created: false, changed: true });
    const { crt, meta } = await mustRetrieve(name);
    const renewed = new X509Certificate(crt);
    expect(renewed.subject).toBe('CN=renewed.example.com\nO=Example Corp\nC=GB');
    expect(renewed.issuer).toBe(renewed.subject);
    expect(renewed.subjectAltName).toBe('DNS:renewed.example.com, DNS:www.renewed.example.com, IP Address:10.1.2.3');
    expect(renewed.verify(renewed.publicKey)).toBe(true);
    expect(renewed.publicKey.equals(first.publicKey)).toBe(false);
    expect(renewed.publicKey.equals(new X509Certificate(theirs.pem).publicKey)).toBe(false);
    expect(renewed.serialNumber).not.toBe(first.serialNumber);
    expect(metaField(meta, 'expirationDate')).toBe(isoOf(renewed.validTo));
    expect(isoOf(renewed.validTo)).toBe(orgMadeExpiry(renewed.validFrom, 1));
    expect(Date.parse(renewed.validTo)).toBeGreaterThanOrEqual(Date.parse(first.validTo));
    expectOrgMade(crt);
    expect(openssl(['verify', '-CAfile', '{c.pem}', '{c.pem}'], { 'c.pem': crt }).status).toBe(0);
    expect(openssl(['x509', '-in', '{c.pem}', '-noout', '-ext', 'subjectAltName'], { 'c.pem': crt }).stdout).toMatch(/DNS:renewed\.example\.com, DNS:www\.renewed\.example\.com, IP Address:10\.1\.2\.3/);
  });
});

describe('new components from uploaded content', () => {
  const theirSubject: DistinguishedName = [{ shortName: 'CN', value: 'api.example.org' }, { shortName: 'O', value: 'Example Org' }, { shortName: 'C', value: 'DE' }];
  const theirSans = [{ type: 2, value: 'api.example.org' }, { type: 1, value: 'ops@example.org' }];

  it('caSigned true + a certificate: a new key and a CSR with its subject and SANs (the renewal path)', async () => {
    const theirs = await foreignCertificate(theirSubject, theirSans);
    const result = await deploy([{ name: 'From_Cert', caSigned: true, content: theirs.pem }]);
    expect(result.status).toBe('Succeeded');
    const { crt } = await mustRetrieve('From_Cert');
    const info = readCsr(crt);
    expect(info.signatureVerifies).toBe(true);
    expect(info.subject).toEqual(theirSubject);
    expect(info.subjectAltNames).toEqual(theirSans);
    expect(samePublicKey(info.publicKeyPem, theirs.key.publicKeyPem)).toBe(false);
  });

  it('caSigned true + a CSR: a new key and a CSR with its subject', async () => {
    const theirs = await foreignCsr(theirSubject, theirSans);
    const result = await deploy([{ name: 'From_Csr', caSigned: true, content: theirs.pem }]);
    expect(result.status).toBe('Succeeded');
    const { crt } = await mustRetrieve('From_Csr');
    expect(crt).not.toBe(theirs.pem);
    const info = readCsr(crt);
    expect(info.signatureVerifies).toBe(true);
    expect(info.subject).toEqual(theirSubject);
    expect(samePublicKey(info.publicKeyPem, theirs.key.publicKeyPem)).toBe(false);
    expect(openssl(['req', '-in', '{c.pem}', '-noout', '-verify'], { 'c.pem': crt }).status).toBe(0);
  });

  it('caSigned false + a chain (or one DER certificate): a new self-signed certificate with the leaf subject', async () => {
    const theirs = await foreignCertificate(theirSubject, theirSans);
    const der = Buffer.from(theirs.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const result = await deploy([{ name: 'From_Chain', content: theirs.pem + ca.inter }, { name: 'From_Der', content: der }]);
    expect(result.status).toBe('Succeeded');
    for (const n of ['From_Chain', 'From_Der']) {
      const { crt } = await mustRetrieve(n);
      const made = new X509Certificate(crt);
      expect(made.subject).toBe('CN=api.example.org\nO=Example Org\nC=DE');
      // The uploaded certificate's X.509 parameters, on a certificate made as the org makes its own.
      expectOrgMade(crt);
      expect(isoOf(made.validTo)).toBe(orgMadeExpiry(made.validFrom, 1));
      expect(made.subjectAltName).toBe('DNS:api.example.org, email:ops@example.org');
      expect(made.verify(made.publicKey)).toBe(true);
      expect(made.publicKey.equals(new X509Certificate(theirs.pem).publicKey)).toBe(false);
      expect(openssl(['verify', '-CAfile', '{c.pem}', '{c.pem}'], { 'c.pem': made.toString() }).status).toBe(0);
    }
  });

  it('caSigned false + a CSR: refused, nothing created', async () => {
    const theirs = await foreignCsr(theirSubject);
    expectRefused(await deploy([{ name: 'Csr_Self', content: theirs.pem }]), 'Csr_Self', /only applies to a CA-signed certificate. Set caSigned to true/);
    expect(await retrieveOne('Csr_Self')).toBeUndefined();
  });

  it('a private key: refused, nothing created', async () => {
    const key = await generateRsaKeyPair(2048);
    const rsaKey = createPrivateKey(key.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }) as string;
    expectRefused(await deploy([{ name: 'Key_Cert', content: rsaKey }]), 'Key_Cert', /holds a private key. Salesforce doesn't allow the import or export of the private key via the API/);
    expect(await retrieveOne('Key_Cert')).toBeUndefined();
  });
});

describe('the meta file and the manifest', () => {
  it('refuses a meta file out of WSDL order with the line and column of the element', async () => {
    const meta = `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <masterLabel>x</masterLabel>\n    <caSigned>true</caSigned>\n</Certificate>\n`;
    const result = await deploy([{ name: 'Bad_Meta', meta }]);
    expect(result.status).toBe('Failed');
    expect(failures(result)).toEqual([expect.objectContaining({
      fileName: 'certs/Bad_Meta.crt-meta.xml', fullName: 'Bad_Meta', componentType: 'Certificate', lineNumber: 4, columnNumber: 5,
      problem: 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}caSigned invalid at this location in type Certificate',
    })]);
    expect(await retrieveOne('Bad_Meta')).toBeUndefined();
  });

  it('does not know Certificate in a manifest older than API 36.0', async () => {
    const result = await deployAndWait(conn, await certsZip([{ name: 'Old_Api' }], { manifest: packageXml(['Old_Api'], '35.0') }));
    expect(result.status).toBe('Failed');
    expect(failures(result).map((m) => m.problem)).toContain("Unknown type name 'Certificate' specified in package.xml");
    expect(await retrieveOne('Old_Api')).toBeUndefined();
  });
});

describe('private keys never leave the org', () => {
  it('is absent from retrieve, readMetadata and listMetadata', async () => {
    const { result, files } = await retrieveCerts(conn);
    expect(Object.keys(files).length).toBeGreaterThan(2);
    for (const text of Object.values(files)) expect(text).not.toMatch(/PRIVATE KEY/);
    const names = (await conn.metadata.list([{ type: 'Certificate' }])).map((p) => p.fullName);
    expect(names.length).toBeGreaterThan(2);
    const records = await conn.metadata.read('Certificate', names.slice(0, 10));
    expect(JSON.stringify(records)).not.toMatch(/PRIVATE KEY|UFJJVkFURSBLRV/);
    for (const r of records as unknown as { content: string }[]) expect(Buffer.from(r.content, 'base64').toString()).not.toMatch(/PRIVATE KEY/);
    expect(JSON.stringify(result)).not.toMatch(/PRIVATE KEY/);
  });
});

describe('destructive changes', () => {
  const destructive = (members: string[]) => packageXml(members).replace(/\s*<version>[^<]*<\/version>/, '');
  const emptyManifest = `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <version>66.0</version>\n</Package>\n`;

  async function deployFiles(files: Record<string, string>, certs: CertSpec[] = [], options: Record<string, unknown> = {}) {
    const manifest = certs.length ? packageXml(certs.map((c) => c.name)) : emptyManifest;
    return deployAndWait(conn, await certsZip(certs, { manifest, extra: files }), options);
  }

  beforeAll(async () => {
    const r = await deploy(['Del_A', 'Del_B', 'Del_C', 'Del_D', 'Del_E', 'Del_F'].map((name) => ({ name })));
    expect(r.status).toBe('Succeeded');
  });

  it('destructiveChanges.xml deletes what it names', async () => {
    const result = await deployFiles({ 'destructiveChanges.xml': destructive(['Del_A']) });
    expect(result.status).toBe('Succeeded');
    expect(deletion(result, 'Del_A')).toMatchObject({ deleted: true, componentType: 'Certificate', fileName: 'destructiveChanges.xml', success: true });
    expect(await retrieveOne('Del_A')).toBeUndefined();
  });

  it('destructiveChangesPre.xml deletes before the additions: the same name comes back as a new certificate', async () => {
    const before = await mustRetrieve('Del_B');
    const result = await deployFiles({ 'destructiveChangesPre.xml': destructive(['Del_B']) }, [{ name: 'Del_B', label: 'Back again' }]);
    expect(result.status).toBe('Succeeded');
    expect(success(result, 'Del_B')).toMatchObject({ created: true, changed: true });
    expect(deletion(result, 'Del_B')).toMatchObject({ deleted: true, fileName: 'destructiveChangesPre.xml' });
    const after = await mustRetrieve('Del_B');
    expect(after.crt).not.toBe(before.crt);
    expect(metaField(after.meta, 'masterLabel')).toBe('Back again');
  });

  it('destructiveChangesPost.xml deletes after the additions, even what the same deploy added', async () => {
    const result = await deployFiles({ 'destructiveChangesPost.xml': destructive(['Del_C', 'Del_New']) }, [{ name: 'Del_New' }]);
    expect(result.status).toBe('Succeeded');
    expect(successes(result).filter((m) => m.deleted).map((m) => m.fullName).sort()).toEqual(['Del_C', 'Del_New']);
    expect(await retrieveOne('Del_C')).toBeUndefined();
    expect(await retrieveOne('Del_New')).toBeUndefined();
  });

  it('warns of a name that does not exist, failing the deploy unless ignoreWarnings', async () => {
    const failed = await deployFiles({ 'destructiveChanges.xml': destructive(['Del_D', 'Nope']) });
    expect(failed.status).toBe('Failed');
    expect(failures(failed)).toEqual([expect.objectContaining({
      fileName: 'destructiveChanges.xml', fullName: 'destructiveChanges.xml', componentType: 'Certificate', problemType: 'Warning', problem: 'No Certificate named: Nope found',
    })]);
    expect(await retrieveOne('Del_D')).toBeDefined();

    const ignored = await deployFiles({ 'destructiveChanges.xml': destructive(['Del_D', 'Nope']) }, [], { ignoreWarnings: true, purgeOnDelete: true });
    expect(ignored.status).toBe('Succeeded');
    expect(deletion(ignored, 'Del_D')).toMatchObject({ deleted: true });
    expect(successes(ignored).find((m) => m.problemType === 'Warning')).toMatchObject({ problem: 'No Certificate named: Nope found' });
    expect(await retrieveOne('Del_D')).toBeUndefined();
  });

  it('in a package folder (singlePackage false), the messages carry the folder', async () => {
    const zip = await certsZip([], { prefix: 'unpackaged/', manifest: emptyManifest, extra: { 'unpackaged/destructiveChanges.xml': destructive(['Del_E', 'Nope']) } });
    const result = await deployAndWait(conn, zip, { singlePackage: false, ignoreWarnings: true });
    expect(result.status).toBe('Succeeded');
    expect(deletion(result, 'Del_E')).toMatchObject({ fileName: 'unpackaged/destructiveChanges.xml', componentType: 'Certificate' });
    expect(successes(result).find((m) => m.problemType === 'Warning')).toMatchObject({
      fileName: 'unpackaged/destructiveChanges.xml', fullName: 'destructiveChanges.xml', problem: 'No Certificate named: Nope found',
    });
    expect(await retrieveOne('Del_E')).toBeUndefined();
  });

  it('refuses a wildcard in a destructive manifest', async () => {
    const result = await deployFiles({ 'destructiveChanges.xml': destructive(['*']) });
    expect(result.status).toBe('Failed');
    expect(failures(result)[0]!.problem).toMatch(/Wildcards are not allowed in destructiveChanges.xml/);
    expect(await retrieveOne('Del_F')).toBeDefined();
  });
});

describe('deploy options', () => {
  const badMeta = certMeta({ keySize: 1024 });

  it('rollbackOnError=true: one bad component fails the deploy and nothing is committed', async () => {
    const result = await deploy([{ name: 'Rb_Good' }, { name: 'Rb_Bad', meta: badMeta }], { rollbackOnError: true });
    expect(result.status).toBe('Failed');
    expect(failures(result).map((m) => m.fullName)).toEqual(['Rb_Bad']);
    expect(failures(result)[0]!.problem).toBe('Certificate Rb_Bad: keySize 1024 is not supported. Use 2048 or 4096.');
    expect(await retrieveOne('Rb_Good')).toBeUndefined();
  });

  it('rollbackOnError=false: SucceededPartial with the good components committed', async () => {
    const result = await deploy([{ name: 'Part_Good' }, { name: 'Part_Bad', meta: badMeta }], { rollbackOnError: false });
    expect(result.status).toBe('SucceededPartial');
    expect(result.success).toBe(true);
    expect(failures(result).map((m) => m.fullName)).toEqual(['Part_Bad']);
    expect(success(result, 'Part_Good')).toMatchObject({ created: true, changed: true });
    const good = new X509Certificate((await mustRetrieve('Part_Good')).crt);
    expect(good.verify(good.publicKey)).toBe(true);
    expect(await retrieveOne('Part_Bad')).toBeUndefined();
  });

  it('checkOnly keeps nothing; deployRecentValidation then commits it under a new id', async () => {
    const validation = await deploy([{ name: 'Val_Cert', caSigned: true }], { checkOnly: true });
    expect(validation.status).toBe('Succeeded');
    expect(validation.checkOnly).toBe(true);
    expect(await retrieveOne('Val_Cert')).toBeUndefined();

    const newId = await conn.metadata.deployRecentValidation({ id: validation.id });
    expect(typeof newId).toBe('string');
    expect(newId).toMatch(/^0Af\w{15}$/);
    expect(newId).not.toBe(validation.id);
    let status = await conn.metadata.checkDeployStatus(newId, true);
    while (!status.done) status = await conn.metadata.checkDeployStatus(newId, true);
    expect(status.status).toBe('Succeeded');
    expect(status.checkOnly).toBe(false);
    expect(readCsr((await mustRetrieve('Val_Cert')).crt).signatureVerifies).toBe(true);
  });

  it('deployRecentValidation refuses a validation that failed', async () => {
    const validation = await deploy([{ name: 'Val_Bad', meta: badMeta }], { checkOnly: true });
    expect(validation.status).toBe('Failed');
    await expect(conn.metadata.deployRecentValidation({ id: validation.id })).rejects.toThrow(/INVALID_ID_FIELD/);
  });

  it('refuses two components whose names differ only in case', async () => {
    const zip = await certsZip([{ name: 'Twin_Cert' }, { name: 'TWIN_CERT' }], { manifest: packageXml(['*']) });
    const result = await deployAndWait(conn, zip);
    expect(result.status).toBe('Failed');
    expect(failures(result)).toHaveLength(1);
    expect(failures(result)[0]!.problem).toMatch(/^Certificate (TWIN_CERT|Twin_Cert): certs\/(Twin_Cert|TWIN_CERT)\.crt in the same deploy has the same name/);
    expect(await retrieveOne('Twin_Cert')).toBeUndefined();
  });

  it('allowMissingFiles lets manifest members be missing from the zip', async () => {
    const manifest = packageXml(['Am_Present', 'Am_Missing']);
    const strict = await deployAndWait(conn, await certsZip([{ name: 'Am_Present' }], { manifest }));
    expect(strict.status).toBe('Failed');
    expect(failures(strict)[0]).toMatchObject({
      fullName: 'Am_Missing', problem: "An object 'Am_Missing' of type Certificate was named in package.xml, but was not found in zipped directory",
    });
    expect(await retrieveOne('Am_Present')).toBeUndefined();

    const allowed = await deployAndWait(conn, await certsZip([{ name: 'Am_Present' }], { manifest }), { allowMissingFiles: true });
    expect(allowed.status).toBe('Succeeded');
    expect(await retrieveOne('Am_Present')).toBeDefined();
  });
});

describe('the org clock', () => {
  it('moves expirationDate, validity and deploy dates with the org time', async () => {
    const res = await adminFetch(server, `/_localforce/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const org = (await res.json()) as { id: string; username: string; password: string };
    const orgConn = await soapLogin(server, org.username, org.password);
    const { now } = await setClock(org.id, { time: '2030-01-01T00:00:00.000Z' });
    expect(Math.abs(Date.parse(now) - Date.parse('2030-01-01T00:00:00.000Z'))).toBeLessThan(60_000);

    const result = await deploy([{ name: 'Clock_Cert' }], {}, orgConn);
    expect(result.status).toBe('Succeeded');
    expect(String(result.createdDate)).toMatch(/^2030-01-01T/);
    const { crt, meta } = await mustRetrieve('Clock_Cert', orgConn);
    const x509 = new X509Certificate(crt);
    expect(isoOf(x509.validFrom)).toMatch(/^2030-01-01T/);
    expect(isoOf(x509.validTo)).toBe('2031-01-01T00:00:00.000Z');
    expect(metaField(meta, 'expirationDate')).toBe(isoOf(x509.validTo));
    expect(x509.subject).toBe(orgSubject('Clock_Cert', org.id));
    expect(x509.subject).toContain(`\nOU=${org.id.slice(0, 15)}\n`);
    expect(x509.subject).not.toContain(org.id);
    const [listed] = asArray(await orgConn.metadata.list([{ type: 'Certificate' }]));
    expect(listed).toMatchObject({ fullName: 'Clock_Cert', createdDate: expect.stringMatching(/^2030-01-01T/), lastModifiedDate: expect.stringMatching(/^2030-01-01T/) });
    expect(String(result.completedDate)).toMatch(/^2030-01-01T/);
  });

  it('answers a bad time with 400 and an unknown org with 404', async () => {
    const bad = await adminFetch(server, `/_localforce/orgs/${server.org.id}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"time":"soon"}' });
    expect(bad.status).toBe(400);
    const missing = await adminFetch(server, `/_localforce/orgs/00D0000000000ZZAAA/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(404);
  });

  it('starts the default org at the --clock time', async () => {
    const clocked = await startTestServer({ clock: '2035-06-15T12:00:00.000Z' });
    try {
      const c = await soapLogin(clocked);
      const result = await deployAndWait(c, await certsZip([{ name: 'Start_Clock' }]));
      expect(result.status).toBe('Succeeded');
      const { files } = await retrieveCerts(c, ['Start_Clock']);
      const x509 = new X509Certificate(files['unpackaged/certs/Start_Clock.crt']!);
      // Made from noon UTC on: the anniversary at noon UTC, as real orgs make them.
      expect(isoOf(x509.validFrom)).toMatch(/^2035-06-15T12:00:/);
      expect(isoOf(x509.validTo)).toBe('2036-06-15T12:00:00.000Z');
    } finally {
      await clocked.close();
    }
  });
});
