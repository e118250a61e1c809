/**
 * HTTPS: a local CA and server certificate made once and kept in the location, or the user's own
 * certificate and key. jsforce runs in a process of its own, as users run it, trusting the CA
 * through NODE_EXTRA_CA_CERTS (which node reads only at start).
 */
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalforce } from '../../src';
import { makeTestCa } from '../support/testCa';
import { buildSignedCertificate, generateRsaKeyPair } from '../../src/crypto';
import { requireTool, runTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'localforce.js');
const DAY = 24 * 3600 * 1000;

let dir: string;
beforeAll(() => {
  requireTool('curl');
  dir = mkdtempSync(join(tmpdir(), 'lf-https-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** jsforce in a child process: log in over SOAP, deploy a certificate, retrieve it; prints what it saw as JSON. */
const JSFORCE_SCRIPT = `
const jsforce = require(${JSON.stringify(require.resolve('jsforce'))});
const JSZip = require(${JSON.stringify(require.resolve('jszip'))});
(async () => {
  const [url, username, password] = process.argv.slice(1);
  const conn = new jsforce.Connection({ loginUrl: url, version: '66.0' });
  try {
    await conn.login(username, password);
  } catch (err) {
    console.log(JSON.stringify({ error: err.message, code: err.code || err.cause?.code }));
    return;
  }
  const zip = new JSZip();
  zip.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Over_Https</members><name>Certificate</name></types><version>66.0</version></Package>');
  zip.file('certs/Over_Https.crt', '');
  zip.file('certs/Over_Https.crt-meta.xml', '<?xml version="1.0" encoding="UTF-8"?><Certificate xmlns="http://soap.sforce.com/2006/04/metadata"><caSigned>false</caSigned><masterLabel>Over HTTPS</masterLabel></Certificate>');
  conn.metadata.pollInterval = 100;
  const deployed = await conn.metadata.deploy(await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: true }).complete(true);
  const listed = await conn.metadata.list([{ type: 'Certificate' }]);
  console.log(JSON.stringify({ instanceUrl: conn.instanceUrl, status: deployed.status, listed: [].concat(listed).map((p) => p.fullName) }));
})().catch((err) => { console.log(JSON.stringify({ error: err.message })); });
`;

/** Runs the jsforce script with only `env` (and PATH): no trust store settings of this process leak in. */
function runWithEnv(url: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['-e', JSFORCE_SCRIPT, url, 'admin@localforce.dev', 'localforce'],
      { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      });
  });
}

describe('--https with the local CA', () => {
  it('serves HTTPS with a certificate of a CA made once in the location; jsforce trusts it through NODE_EXTRA_CA_CERTS, and only then', async () => {
    const location = join(dir, 'store');
    const server = await startLocalforce({ port: 0, location, https: true, keyPool: false });
    let firstCa: string;
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(server.caPath).toBe(join(location, 'tls', 'ca.pem'));
      firstCa = readFileSync(server.caPath!, 'utf8');
      const ca = new X509Certificate(firstCa);
      expect(ca.ca).toBe(true);
      const served = new X509Certificate(readFileSync(join(location, 'tls', 'server.pem')));
      expect(served.checkIssued(ca)).toBe(true);
      expect(served.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');

      const trusted = await runWithEnv(server.url, { NODE_EXTRA_CA_CERTS: server.caPath! });
      expect(JSON.parse(trusted.stdout)).toEqual({ instanceUrl: server.url, status: 'Succeeded', listed: ['Over_Https'] });
      const untrusted = await runWithEnv(server.url, {});
      expect(JSON.parse(untrusted.stdout).error).toMatch(/self[- ]signed certificate in certificate chain/);

      const curl = await runTool('curl', ['-s', '--cacert', server.caPath!, `${server.url}/_localforce/health`]);
      expect(JSON.parse(curl.stdout)).toMatchObject({ status: 'ok' });
      // Over HTTPS the browser session cookie also goes with cross-site requests, as single sign-on needs.
      const frontdoor = await runTool('curl', ['-s', '-D', '-', '-o', '/dev/null', '--cacert', server.caPath!,
        `${server.url}/secur/frontdoor.jsp?sid=${encodeURIComponent(server.org.accessToken)}`]);
      expect(frontdoor.stdout).toMatch(/^set-cookie: sid=[^;]+; Path=\/; HttpOnly; Secure; SameSite=None\r?$/im);
    } finally {
      await server.close();
    }
    // A restart keeps the CA clients already trust, and the store.
    const again = await startLocalforce({ port: 0, location, https: true, keyPool: false });
    try {
      expect(readFileSync(again.caPath!, 'utf8')).toBe(firstCa);
      const listed = await runWithEnv(again.url, { NODE_EXTRA_CA_CERTS: again.caPath! });
      expect(JSON.parse(listed.stdout).listed).toEqual(['Over_Https']);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('prints the https start line, the mutual TLS port and the CA file on the command line', async () => {
    const location = join(dir, 'cli');
    const child = spawn(process.execPath, [BIN, 'start', '--https', '--port', '0', '--mtls-port', '0', '--in-memory', '--no-key-pool', '--location', location], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.split('\n').length > 4) resolve(out.split('\n'));
        });
        child.once('exit', (code) => reject(new Error(`localforce exited with ${code}: ${out}`)));
      });
      expect(lines[0]).toMatch(/^Localforce listening on https:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[1]).toMatch(/^Default org 00D000000000001AAA: /);
      const caPath = join(location, 'tls', 'ca.pem');
      expect(lines[2]).toMatch(/^mutual TLS on https:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[2]).not.toContain(lines[0]!.split(':').pop());
      expect(lines[3]).toBe(`HTTPS certificate authority: ${caPath} (for Node clients: export NODE_EXTRA_CA_CERTS=${caPath})`);
      expect(existsSync(caPath)).toBe(true);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});

describe('--cert and --key', () => {
  it('serves HTTPS with the user\'s own certificate and key', async () => {
    const ca = await makeTestCa('Own');
    const key = await generateRsaKeyPair(2048);
    const cert = await buildSignedCertificate({
      keyPair: key, subject: [{ shortName: 'CN', value: 'localhost' }], subjectAltNames: [{ type: 7, ip: '127.0.0.1' }],
      issuer: ca.interDn, issuerKeyPair: ca.interKey, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY),
    });
    writeFileSync(join(dir, 'own.pem'), cert + ca.inter);
    writeFileSync(join(dir, 'own-key.pem'), key.privateKeyPem);
    writeFileSync(join(dir, 'own-ca.pem'), ca.root);
    const server = await startLocalforce({ port: 0, inMemory: true, keyPool: false, cert: join(dir, 'own.pem'), key: join(dir, 'own-key.pem') });
    try {
      expect(server.url).toMatch(/^https:/);
      expect(server.caPath).toBeUndefined();
      const curl = await runTool('curl', ['-s', '--cacert', join(dir, 'own-ca.pem'), `${server.url}/_localforce/health`]);
      expect(curl.stderr).toBe('');
      expect(JSON.parse(curl.stdout)).toMatchObject({ status: 'ok' });
    } finally {
      await server.close();
    }
  });

  it('refuses a certificate without its key, a key of another certificate, and files that are not PEM', async () => {
    const other = await generateRsaKeyPair(2048);
    writeFileSync(join(dir, 'other-key.pem'), other.privateKeyPem);
    const start = (o: Parameters<typeof startLocalforce>[0]) => startLocalforce({ port: 0, inMemory: true, keyPool: false, ...o });
    await expect(start({ cert: join(dir, 'own.pem') })).rejects.toThrow('--cert and --key go together: give both, or neither');
    await expect(start({ cert: join(dir, 'own.pem'), key: join(dir, 'other-key.pem') })).rejects.toThrow(/is not the key of the certificate in --cert/);
    await expect(start({ cert: join(dir, 'missing.pem'), key: join(dir, 'other-key.pem') })).rejects.toThrow(/cannot read the --cert file/);
    await expect(start({ cert: join(dir, 'other-key.pem'), key: join(dir, 'other-key.pem') })).rejects.toThrow(/is not a PEM certificate/);
  });
});
