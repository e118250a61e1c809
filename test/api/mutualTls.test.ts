/**
 * Mutual TLS on its own port (--mtls-port), as the real service offers it on 8443: an org uploads its
 * API clients' certificates; a call succeeds there only with a certificate the caller's org uploaded,
 * unexpired on the org's clock, and a valid session. Clients: node's https module and curl.
 */
import { request } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalforce, type LocalforceServer } from '../../src';
import { buildSignedCertificate, generateRsaKeyPair, type RsaKeyPair } from '../../src/crypto';
import { createOrg, type TestOrg } from '../support/localforce';
import { makeTestCa, type TestCa } from '../support/testCa';
import { requireTool, runTool } from '../support/tools';

const DAY = 24 * 3600 * 1000;

let dir: string;
let server: LocalforceServer;
let serverCa: string;
let ca: TestCa;
let orgA: TestOrg;
let orgB: TestOrg;
/** Signed by `ca`'s intermediate: A is uploaded by org A, B by nobody. */
let clientA: { cert: string; key: RsaKeyPair };
let clientB: { cert: string; key: RsaKeyPair };
let stranger: { cert: string; key: RsaKeyPair };

async function clientCertificate(issuer: TestCa, cn: string, days = 100) {
  const key = await generateRsaKeyPair(2048);
  const cert = await buildSignedCertificate({
    keyPair: key, subject: [{ shortName: 'CN', value: cn }, { shortName: 'O', value: 'API Client' }], issuer: issuer.interDn, issuerKeyPair: issuer.interKey,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + days * DAY),
  });
  return { cert, key };
}

interface Answer { status: number; type: string; body: string }

/** One call on the mutual TLS port with node's https client, presenting `client` (and its intermediate) if given. */
function call(path: string, options: { client?: { cert: string; key: RsaKeyPair }; token?: string; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(path, server.mtlsUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET', ca: serverCa, agent: false,
      ...(options.client ? { cert: options.client.cert + ca.inter, key: options.client.key.privateKeyPem } : {}),
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const upload = (org: TestOrg, pem: string, token = org.accessToken) => fetch(`${server.url}/_localforce/orgs/${org.id}/mutual-auth-certificates`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-pem-file' }, body: pem,
});
const list = async (org: TestOrg) => (await (await fetch(`${server.url}/_localforce/orgs/${org.id}/mutual-auth-certificates`, {
  headers: { authorization: `Bearer ${org.accessToken}` },
})).json()) as { id: string; subject: string; expired: boolean }[];
const setClock = (org: TestOrg, time?: Date) => fetch(`${server.url}/_localforce/orgs/${org.id}/clock`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${org.accessToken}` }, body: JSON.stringify(time ? { time: time.toISOString() } : {}),
});

const page = (reason: string) => expect.stringContaining(`<title>Certificate Error</title>`) && expect.stringContaining(`Client certificate error:<i>${reason}</i>`);
const soapList = (sessionId: string) => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader><met:sessionId>${sessionId}</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body><met:listMetadata><met:queries><met:type>Certificate</met:type></met:queries><met:asOfVersion>66.0</met:asOfVersion></met:listMetadata></soapenv:Body></soapenv:Envelope>`;

beforeAll(async () => {
  requireTool('curl');
  dir = mkdtempSync(join(tmpdir(), 'lf-mtls-'));
  server = await startLocalforce({ port: 0, inMemory: true, location: dir, mtlsPort: 0, keyPool: false });
  serverCa = readFileSync(server.caPath!, 'utf8');
  ca = await makeTestCa('Client');
  const other = await makeTestCa('Stranger');
  [clientA, clientB, stranger, orgA, orgB] = await Promise.all([
    clientCertificate(ca, 'client-a'), clientCertificate(ca, 'client-b'), clientCertificate(other, 'stranger'), createOrg(server), createOrg(server),
  ]);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('uploading mutual authentication certificates', () => {
  it('prints where mutual TLS listens, apart from the main port', () => {
    expect(server.mtlsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.mtlsPort).not.toBe(server.port);
  });

  it('takes a client certificate with its chain, lists it, and refuses the same one twice', async () => {
    const res = await upload(orgA, clientA.cert + ca.inter + ca.root);
    expect(res.status).toBe(201);
    const made = await res.json() as Record<string, unknown>;
    expect(made).toMatchObject({
      id: expect.stringMatching(/^0Ma/), subject: 'CN=client-a, O=API Client', issuer: 'CN=Client Intermediate CA, O=Client CA', chainLength: 3, expired: false,
    });
    expect(await list(orgA)).toEqual([made]);
    expect(await list(orgB)).toEqual([]);
    const twice = await upload(orgA, clientA.cert + ca.inter);
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual([{ errorCode: 'DUPLICATE_VALUE', message: `This client certificate is already uploaded, as ${String(made.id)}.` }]);
  });

  it('refuses a self-signed certificate, a private key, a chain out of order, an expired certificate, and another org\'s token', async () => {
    const refused = async (res: Response, status: number, message: RegExp) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { message: string }[])[0]!.message).toMatch(message);
    };
    await refused(await upload(orgB, ca.root), 400, /^Self-signed client certificates cannot be used for mutual authentication/);
    await refused(await upload(orgB, clientB.cert + clientB.key.privateKeyPem), 400, /holds a private key/);
    await refused(await upload(orgB, clientB.cert + ca.root), 400, /^The chain is not in order: certificate 2 \(CN=Client Root CA, O=Client CA\) did not sign certificate 1/);
    const old = await clientCertificate(ca, 'old', 100);
    await setClock(orgB, new Date(Date.now() + 200 * DAY));
    await refused(await upload(orgB, old.cert + ca.inter), 400, /^Certificate 1 \(CN=old, O=API Client\) expired on/);
    await setClock(orgB);
    await refused(await upload(orgB, old.cert, orgA.accessToken), 403, /not for org/);
    expect(await list(orgB)).toEqual([]);
  });
});

describe('calls on the mutual TLS port (node https)', () => {
  it('answer the real service\'s Certificate Error page without a certificate, or with one of no uploaded certificate authority', async () => {
    const none = await call('/services/oauth2/userinfo', { token: orgA.accessToken });
    expect(none).toMatchObject({ status: 400, type: expect.stringMatching(/^text\/html/), body: page('No client certificate provided.') });
    const untrusted = await call('/services/oauth2/userinfo', { client: stranger, token: orgA.accessToken });
    expect(untrusted.body).toEqual(page('unable to get local issuer certificate'));
  });

  it('succeed with the org\'s own uploaded certificate and a valid session, over REST and SOAP', async () => {
    const rest = await call('/services/oauth2/userinfo', { client: clientA, token: orgA.accessToken });
    expect(rest.status).toBe(200);
    expect(JSON.parse(rest.body)).toMatchObject({ organization_id: orgA.id, preferred_username: orgA.username });
    const soap = await call('/services/Soap/m/66.0', { client: clientA, method: 'POST', body: soapList(orgA.accessToken), headers: { 'content-type': 'text/xml', soapaction: '""' } });
    expect(soap.status).toBe(200);
    expect(soap.body).toMatch(/<listMetadataResponse/);
    const badSession = await call('/services/oauth2/userinfo', { client: clientA, token: `${orgA.id}!nonsense` });
    expect(badSession.status).toBe(401);
  });

  it('refuse a session of another org, or a certificate the caller\'s org did not upload, with MUTUAL_AUTHENTICATION_FAILED', async () => {
    const failed = [{ errorCode: 'MUTUAL_AUTHENTICATION_FAILED', message: 'This session could not be mutually authenticated for use with the API' }];
    const otherOrg = await call('/services/oauth2/userinfo', { client: clientA, token: orgB.accessToken });
    expect({ status: otherOrg.status, body: JSON.parse(otherOrg.body) }).toEqual({ status: 403, body: failed });
    // client B is signed by the same (trusted) CA, but no org uploaded it.
    const notUploaded = await call('/services/oauth2/userinfo', { client: clientB, token: orgA.accessToken });
    expect({ status: notUploaded.status, body: JSON.parse(notUploaded.body) }).toEqual({ status: 403, body: failed });
    const soap = await call('/services/Soap/m/66.0', { client: clientA, method: 'POST', body: soapList(orgB.accessToken), headers: { 'content-type': 'text/xml', soapaction: '""' } });
    expect(soap.status).toBe(500);
    expect(soap.body).toMatch(/<faultcode>sf:MUTUAL_AUTHENTICATION_FAILED<\/faultcode><faultstring>MUTUAL_AUTHENTICATION_FAILED: This session could not be mutually authenticated for use with the API<\/faultstring>/);
  });

  it('stop authenticating once the certificate expires on the org\'s clock; it stays listed, marked expired', async () => {
    await setClock(orgA, new Date(Date.now() + 150 * DAY));
    try {
      const expired = await call('/services/oauth2/userinfo', { client: clientA, token: orgA.accessToken });
      expect(expired.body).toEqual(page('certificate has expired'));
      expect(await list(orgA)).toEqual([expect.objectContaining({ subject: 'CN=client-a, O=API Client', expired: true })]);
    } finally {
      await setClock(orgA);
    }
    expect((await call('/services/oauth2/userinfo', { client: clientA, token: orgA.accessToken })).status).toBe(200);
  });
});

describe('calls on the mutual TLS port (curl)', () => {
  it('succeed with --cert and --key, and get the Certificate Error page without them', async () => {
    const files = { 'server-ca.pem': serverCa, 'client.pem': clientA.cert + ca.inter, 'client-key.pem': clientA.key.privateKeyPem };
    const url = `${server.mtlsUrl}/services/oauth2/userinfo`;
    const ok = await runTool('curl', ['-s', '--cacert', '{server-ca.pem}', '--cert', '{client.pem}', '--key', '{client-key.pem}', '-H', `Authorization: Bearer ${orgA.accessToken}`, url], files);
    expect(JSON.parse(ok.stdout)).toMatchObject({ organization_id: orgA.id });
    const without = await runTool('curl', ['-s', '-w', '\n%{http_code}', '--cacert', '{server-ca.pem}', '-H', `Authorization: Bearer ${orgA.accessToken}`, url], files);
    expect(without.stdout).toMatch(/Client certificate error:<i>No client certificate provided\.<\/i>[\s\S]*\n400$/);
  });
});

describe('removing a mutual authentication certificate', () => {
  it('deletes it; its client is then refused', async () => {
    const [uploaded] = await list(orgA);
    const del = (id: string) => fetch(`${server.url}/_localforce/orgs/${orgA.id}/mutual-auth-certificates/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${orgA.accessToken}` } });
    expect((await del(uploaded!.id)).status).toBe(204);
    expect((await del(uploaded!.id)).status).toBe(404);
    expect(await list(orgA)).toEqual([]);
    const after = await call('/services/oauth2/userinfo', { client: clientA, token: orgA.accessToken });
    expect(after.body).toEqual(page('unable to get local issuer certificate'));
  });
});
