/**
 * A certificate the org makes, next to one a real org made (fixtures/corpus), read by two independent
 * readers: openssl's text form, extension by extension, and node's X509Certificate.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminFetch, certsZip, deployAndWait, retrieveCerts, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { requireTool, runTool } from '../support/tools';

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'corpus', 'certs');
// An org-made 2048-bit self-signed certificate, retrieved from a real org.
const REAL = readFileSync(join(CORPUS, 'Maryam0605__AMH_pipeline__JWT_Certificate.crt'), 'utf8');

let server: LocalforceServer;
let made: string;
let orgId: string;

beforeAll(async () => {
  requireTool('openssl');
  server = await startTestServer();
  const res = await adminFetch(server, '/_localforce/orgs', { method: 'POST' });
  const org = (await res.json()) as { id: string; accessToken: string };
  orgId = org.id;
  const conn = tokenConnection(server, org.accessToken);
  const result = await deployAndWait(conn, await certsZip([{ name: 'JWT_Certificate' }]));
  expect(result.status).toBe('Succeeded');
  made = (await retrieveCerts(conn, ['JWT_Certificate'])).files['unpackaged/certs/JWT_Certificate.crt']!;
});
afterAll(async () => { await server?.close(); });

interface Extension { name: string; critical: boolean; lines: string[] }

/** The X509v3 extensions section of `openssl x509 -text`: each extension's name, criticality and value lines. */
async function opensslExtensions(pem: string): Promise<Extension[]> {
  const run = await runTool('openssl', ['x509', '-in', '{c.pem}', '-noout', '-text'], { 'c.pem': pem });
  expect(run.status).toBe(0);
  const section = run.stdout.split('X509v3 extensions:\n')[1]!.split(/\n\s{4}Signature Algorithm/)[0]!;
  const out: Extension[] = [];
  for (const line of section.split('\n')) {
    const header = /^ {12}(X509v3 [^:]+):\s*(critical)?\s*$/.exec(line);
    if (header) out.push({ name: header[1]!, critical: header[2] === 'critical', lines: [] });
    else if (line.trim()) out.at(-1)!.lines.push(line.trim());
  }
  return out;
}

/** What an extension's value looks like, with the certificate's own values replaced by placeholders. */
function shape(ext: Extension, x: X509Certificate): string[] {
  const hexSerial = x.serialNumber.toUpperCase().match(/../g)!.join(':');
  const dirName = `DirName:/${x.issuer.split('\n').join('/')}`;
  return ext.lines.map((l) => l
    .replace(/^(keyid:)?([0-9A-F]{2}:){19}[0-9A-F]{2}$/, '$1<20-byte key id>')
    .replace(dirName, 'DirName:<issuer>')
    .replace(`serial:${hexSerial}`, 'serial:<serial>'));
}

describe('a Localforce certificate against a real org\'s, extension by extension', () => {
  it('openssl lists the same extensions, in the same order, with the same criticality and the same kind of values', async () => {
    const real = await opensslExtensions(REAL);
    const ours = await opensslExtensions(made);
    expect(real.map((e) => [e.name, e.critical])).toEqual([
      ['X509v3 Subject Key Identifier', false], ['X509v3 Basic Constraints', true], ['X509v3 Authority Key Identifier', false],
    ]);
    expect(ours.map((e) => [e.name, e.critical])).toEqual(real.map((e) => [e.name, e.critical]));
    const realX = new X509Certificate(REAL);
    const ourX = new X509Certificate(made);
    for (const [i, ext] of real.entries()) expect({ ext: ext.name, value: shape(ours[i]!, ourX) }).toEqual({ ext: ext.name, value: shape(ext, realX) });
    // The values themselves: CA:TRUE; the authority key id is the subject key id (self-signed), with the issuer's name and serial.
    expect(ours[1]!.lines).toEqual(['CA:TRUE']);
    expect(ours[2]!.lines[0]).toBe(`keyid:${ours[0]!.lines[0]}`);
    expect(shape(ours[2]!, ourX)).toEqual(['keyid:<20-byte key id>', 'DirName:<issuer>', 'serial:<serial>']);
  });

  it('openssl shows the same version, signature algorithm, subject layout and key type', async () => {
    const header = async (pem: string) => {
      const run = await runTool('openssl', ['x509', '-in', '{c.pem}', '-noout', '-text', '-nameopt', 'RFC2253'], { 'c.pem': pem });
      const get = (re: RegExp) => re.exec(run.stdout)?.[1];
      return {
        version: get(/Version: (.+)/), signature: get(/Signature Algorithm: (.+)/), key: get(/Public Key Algorithm: (.+)/), bits: get(/Public-Key: \((\d+) bit\)/),
        subjectKeys: get(/Subject: (.+)/)!.split(/(?<!\\),/).map((rdn) => rdn.split('=')[0]),
        selfIssued: get(/Subject: (.+)/) === get(/Issuer: (.+)/),
      };
    };
    const real = await header(REAL);
    expect(real).toEqual({ version: '3 (0x2)', signature: 'sha256WithRSAEncryption', key: 'rsaEncryption', bits: '2048', subjectKeys: ['C', 'ST', 'L', 'O', 'OU', 'CN'], selfIssued: true });
    expect(await header(made)).toEqual(real);
  });

  it('node\'s X509Certificate reads both alike: CA, no key usage, a 14-byte serial, the subject as real orgs write it, expiry at midnight or noon', () => {
    const facts = (pem: string) => {
      const x = new X509Certificate(pem);
      const lines = x.subject.split('\n');
      return {
        ca: x.ca, keyUsage: x.keyUsage, serialBytes: x.serialNumber.length / 2, subjectAltName: x.subjectAltName,
        subject: lines.map((l) => l.replace(/^(CN|OU)=.*/, '$1=…')), ou: /^OU=(00D\w{12})$/.test(lines[1]!),
        expiresAt: new Date(x.validTo).toISOString().slice(11, 19), signedBySelf: x.verify(x.publicKey), issuedBySelf: x.checkIssued(x),
      };
    };
    const real = facts(REAL);
    expect(real).toMatchObject({ ca: true, keyUsage: undefined, serialBytes: 14, ou: true, signedBySelf: true, issuedBySelf: true });
    expect(real.subject).toEqual(['CN=…', 'OU=…', 'O=Salesforce.com', 'L=San Francisco', 'ST=CA', 'C=USA']);
    const ours = facts(made);
    expect({ ...ours, expiresAt: ['00:00:00', '12:00:00'].includes(ours.expiresAt) })
      .toEqual({ ...real, expiresAt: ['00:00:00', '12:00:00'].includes(real.expiresAt) });
    expect(new X509Certificate(made).subject.split('\n').slice(0, 2)).toEqual(['CN=JWT_Certificate', `OU=${orgId.slice(0, 15)}`]);
  });
});
