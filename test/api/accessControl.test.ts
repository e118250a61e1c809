/**
 * Who may drive Localforce: the admin token on /_localforce (an org's own token on its own
 * endpoints), no web page of another site (Origin, Sec-Fetch-Site), no rebound host name (Host),
 * and sessions that end after sessionSecondsValid without use, on the org's clock.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalforce } from '../../src';
import { adminFetch, certsZip, deployAndWait, soapLogin, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer({ keyPool: false }); });
afterAll(async () => { await server.close(); });

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function newOrg() {
  const res = await adminFetch(server, '/_localforce/orgs', { method: 'POST', headers: json, body: '{}' });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; username: string; password: string; accessToken: string };
}

/** A raw request, with headers fetch will not let a caller set (Host). */
function raw(path: string, headers: Record<string, string>, body = '', method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const soap = (body: string, sessionId: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
  `<soapenv:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>${sessionId}</sessionId></SessionHeader></soapenv:Header>` +
  `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

describe('the admin API', () => {
  it('answers health to anyone', async () => {
    expect((await fetch(`${server.url}/_localforce/health`)).status).toBe(200);
  });

  it.each([
    ['no token', {}],
    ['an org access token', bearer('00D000000000001AAA!localforce')],
    ['a wrong token', bearer('lfadmin_wrong')],
  ])('refuses to make an org with %s', async (_what, headers) => {
    const res = await fetch(`${server.url}/_localforce/orgs`, { method: 'POST', headers: { ...json, ...headers }, body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ errorCode: 'INVALID_AUTH_HEADER', message: expect.stringContaining('Authorization: Bearer <admin token>') }]);
  });

  it("lets an org's own access token move that org's clock, and no other", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const clock = (orgId: string, token: string) =>
      fetch(`${server.url}/_localforce/orgs/${orgId}/clock`, { method: 'POST', headers: { ...json, ...bearer(token) }, body: '{"offsetMs": 1000}' });
    expect((await clock(a.id, a.accessToken)).status).toBe(200);
    const other = await clock(b.id, a.accessToken);
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual([{ errorCode: 'INSUFFICIENT_ACCESS', message: `This access token is not for org ${b.id}: use that org's own access token` }]);
    expect((await clock(b.id, server.adminToken)).status).toBe(200);
    expect((await clock(b.id, `${b.id}!not.a.session`)).status).toBe(401);
  });

  it('keeps its token in the location (mode 600) across restarts, unless one is given', async () => {
    const location = mkdtempSync(join(tmpdir(), 'lf-admin-'));
    try {
      const first = await startLocalforce({ port: 0, location, keyPool: false });
      await first.close();
      expect(first.adminToken).toMatch(/^lfadmin_[A-Za-z0-9_-]{32}$/);
      expect(readFileSync(join(location, 'admin-token'), 'utf8').trim()).toBe(first.adminToken);
      expect(statSync(join(location, 'admin-token')).mode & 0o777).toBe(0o600);
      const second = await startLocalforce({ port: 0, location, keyPool: false });
      await second.close();
      expect(second.adminToken).toBe(first.adminToken);
      const given = await startLocalforce({ port: 0, location, keyPool: false, adminToken: 'my-own-admin-token-1234' });
      try {
        const res = await fetch(`${given.url}/_localforce/orgs`, { method: 'POST', headers: { ...json, ...bearer('my-own-admin-token-1234') }, body: '{}' });
        expect(res.status).toBe(201);
      } finally {
        await given.close();
      }
      await expect(startLocalforce({ port: 0, location, adminToken: 'short' })).rejects.toThrow(/--admin-token must be 16 to 200 characters/);
    } finally {
      rmSync(location, { recursive: true, force: true });
    }
  });
});

describe('requests from web pages of other sites', () => {
  const deleteCert = (name: string) => soap(`<deleteMetadata><type>Certificate</type><fullNames>${name}</fullNames></deleteMetadata>`, '00D000000000001AAA!localforce');

  it('refuses a text/plain POST from a foreign Origin that would delete metadata, and deletes nothing', async () => {
    const conn = tokenConnection(server);
    const deployed = await deployAndWait(conn, await certsZip([{ name: 'Csrf_Target', content: '' }]));
    expect(deployed.status).toBe('Succeeded');
    // Also with the doubled slash the sf CLI sends (its instance URL keeps a trailing slash): still a SOAP fault.
    for (const path of ['/services/Soap/m/66.0', '//services/Soap/m/66.0']) {
      const res = await raw(path, { 'content-type': 'text/plain', Origin: 'https://evil.example' }, deleteCert('Csrf_Target'));
      expect({ path, status: res.status }).toEqual({ path, status: 500 });
      expect(res.text).toContain('<faultcode>sf:INSUFFICIENT_ACCESS</faultcode>');
    }
    const listed = await conn.metadata.list([{ type: 'Certificate' }]);
    expect(JSON.stringify(listed)).toContain('Csrf_Target');
  });

  it.each([
    ['a foreign Origin', { Origin: 'http://localhost:1' }],
    ['Origin null (a sandboxed frame or a file)', { Origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site same-site (another port of this machine)', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses %s on REST, OAuth and admin paths with 403', async (_what, headers) => {
    for (const [method, path] of [['GET', '/services/data/v66.0'], ['POST', '/services/oauth2/token'], ['POST', '/_localforce/orgs']]) {
      const res = await raw(path, { ...headers, ...bearer(server.adminToken) }, '', method);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(res.text)).toEqual([{ errorCode: 'INSUFFICIENT_ACCESS', message: expect.stringContaining('another site') }]);
    }
  });

  it("serves this server's own origin, typed addresses, and clients that send neither header", async () => {
    const own = new URL(server.url).origin;
    for (const headers of [{ Origin: own }, { 'Sec-Fetch-Site': 'same-origin' }, { 'Sec-Fetch-Site': 'none' }, {}] as Record<string, string>[]) {
      const res = await raw('/services/data/v66.0', { ...headers, ...bearer(server.org.accessToken) }, '', 'GET');
      expect({ headers, status: res.status }).toEqual({ headers, status: 200 });
    }
  });
});

describe('the Host header (DNS rebinding)', () => {
  it('refuses a host name it was not started with, without repeating it', async () => {
    const res = await raw('/services/data/v66.0', { Host: 'rebind.attacker.example:8080', ...bearer(server.org.accessToken) }, '', 'GET');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('attacker');
    expect(JSON.parse(res.text)).toEqual([{ errorCode: 'INSUFFICIENT_ACCESS', message: expect.stringContaining('--allowed-host') }]);
    const login = await raw('/services/oauth2/token', { Host: 'rebind.attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=password&username=admin%40localforce.dev&password=localforce');
    expect(login.status).toBe(403);
    expect(login.text).not.toContain('attacker');
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', 'ci.localhost', '[::1]', '10.1.2.3'])('serves Host %s and writes it in the URLs it answers', async (host) => {
    const res = await raw('/services/oauth2/token', { Host: `${host}:${server.port}`, 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=password&username=admin%40localforce.dev&password=localforce');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).instance_url).toBe(`http://${host}:${server.port}`);
  });

  it('serves host names given with allowedHosts (a container name)', async () => {
    const named = await startTestServer({ keyPool: false, allowedHosts: ['localforce'] });
    try {
      const answer = (host: string) => new Promise<number>((resolve, reject) => {
        request(`${named.url}/services/data`, { headers: { Host: host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject).end();
      });
      expect(await answer('localforce:8080')).toBe(200);
      expect(await answer('other:8080')).toBe(403);
    } finally {
      await named.close();
    }
  });
});

describe('sessions', () => {
  const describeWith = (sessionId: string) => raw('/services/Soap/m/66.0', { 'content-type': 'text/xml', SOAPAction: '""' }, soap('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>', sessionId));
  const moveClock = async (orgId: string, offsetMs: number) => {
    const res = await adminFetch(server, `/_localforce/orgs/${orgId}/clock`, { method: 'POST', headers: json, body: JSON.stringify({ offsetMs }) });
    expect(res.status).toBe(200);
  };
  const HOUR = 3_600_000;

  it('expire after sessionSecondsValid (7200) without use on the org clock, on SOAP and REST alike', async () => {
    const org = await newOrg();
    const conn = await soapLogin(server, org.username, org.password);
    const sessionId = conn.accessToken!;
    expect((await describeWith(sessionId)).status).toBe(200);
    await moveClock(org.id, 2 * HOUR + 60_000);
    const soapAnswer = await describeWith(sessionId);
    expect(soapAnswer.status).toBe(500);
    expect(soapAnswer.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    const rest = await fetch(`${server.url}/services/data/v66.0`, { headers: bearer(sessionId) });
    expect(rest.status).toBe(401);
    // The token the admin API answered with the org is a test credential: it lasts, like the default org's.
    expect((await describeWith(org.accessToken)).status).toBe(200);
  });

  it('are renewed by use once half their time has gone by', async () => {
    const org = await newOrg();
    const sessionId = (await soapLogin(server, org.username, org.password)).accessToken!;
    await moveClock(org.id, 1.5 * HOUR);
    expect((await describeWith(sessionId)).status).toBe(200); // renewed here
    await moveClock(org.id, 3 * HOUR); // 3 h after login, 1.5 h after the last use
    expect((await describeWith(sessionId)).status).toBe(200);
    await moveClock(org.id, 5.1 * HOUR);
    expect((await describeWith(sessionId)).status).toBe(500);
  });

  it('end at logout; the well-known default token is valid whatever the clock says', async () => {
    await moveClock(server.org.id, 30 * 24 * HOUR);
    try {
      expect((await describeWith(server.org.accessToken)).status).toBe(200);
    } finally {
      await moveClock(server.org.id, 0);
    }
  });

  it('keep jsforce working across an expiry: it logs in again by itself', async () => {
    const org = await newOrg();
    const conn = await soapLogin(server, org.username, org.password);
    const first = conn.accessToken;
    await moveClock(org.id, 3 * HOUR);
    await conn.metadata.list([{ type: 'Certificate' }]);
    expect(conn.accessToken).not.toBe(first);
  });
});
