/**
 * Requests built to hurt: each once crashed, froze or damaged a server.
 * Every one must get a clear 4xx or SOAP fault, and the server must answer health right after.
 */
import { startTestServer, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const bearer = () => ({ Authorization: `Bearer ${server.org.accessToken}` });

async function send(path: string, init: RequestInit) {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let body: any;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body };
}

async function expectHealthy() {
  const res = await fetch(`${server.url}/_localforce/health`);
  expect(res.status).toBe(200);
}

describe('REST deployRequest multipart bodies', () => {
  const path = '/services/data/v66.0/metadata/deployRequest';
  const multipart = (body: string, boundary = 'XyZ') =>
    send(path, { method: 'POST', headers: { ...bearer(), 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });

  it('answers 400 to a file part that ends early, and keeps serving', async () => {
    const r = await multipart('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\nx\r\n');
    expect(r.status).toBe(400);
    expect(r.body).toEqual([{ errorCode: 'INVALID_MULTIPART_REQUEST', message: expect.stringMatching(/^The multipart body cannot be read: /) }]);
    await expectHealthy();
  });

  it.each([
    ['no boundary', '--XyZ\r\n', ''],
    ['garbage', '\u0000\u0001garbage', 'XyZ'],
    ['a field part cut short', '--XyZ\r\nContent-Disposition: form-data; name="entity_content"\r\n\r\n{"deployOptions"', 'XyZ'],
    ['only the closing boundary', '--XyZ--\r\n', 'XyZ'],
  ])('answers 4xx to %s', async (_what, body, boundary) => {
    const r = await send(path, {
      method: 'POST', body,
      headers: { ...bearer(), 'Content-Type': boundary ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data' },
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(Array.isArray(r.body) && typeof r.body[0].errorCode).toBe('string');
    await expectHealthy();
  });
});

describe('OAuth token requests with fields of the wrong type', () => {
  it.each([
    ['a repeated username', 'grant_type=password&username=a&username=b&password=x', 'application/x-www-form-urlencoded'],
    ['a repeated grant_type', 'grant_type=password&grant_type=password&username=a&password=x', 'application/x-www-form-urlencoded'],
    ['a JSON number', JSON.stringify({ grant_type: 'password', username: 42, password: 'x' }), 'application/json'],
    ['a JSON object', JSON.stringify({ grant_type: 'password', username: 'a', password: { x: 1 } }), 'application/json'],
  ])('answers 400 invalid_request to %s', async (_what, body, type) => {
    const r = await send('/services/oauth2/token', { method: 'POST', headers: { 'Content-Type': type }, body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/must be given once, as text/) });
  });

  it('answers 400 invalid_request to a body that is not JSON', async () => {
    const r = await send('/services/oauth2/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });
});

describe('the org clock endpoint', () => {
  const clock = (body: string, type = 'application/json') => send(`/_localforce/orgs/${server.org.id}/clock`, {
    method: 'POST', headers: { 'Content-Type': type, Authorization: `Bearer ${server.adminToken}` }, body,
  });

  it.each([
    ['an offset beyond any date', '{"offsetMs": 1e20}', /offsetMs must keep the org's clock from 1970-01-01T00:00:00.000Z to 9997-12-31T23:59:59.000Z/],
    ['an offset before 1970', '{"offsetMs": -1e14}', /offsetMs must keep the org's clock/],
    ['an offset that is text', '{"offsetMs": "5"}', /offsetMs must be a number of milliseconds/],
    ['a time that is not ISO 8601', '{"time": "soon"}', /time must be an ISO 8601 date/],
    ['a time that Date.parse reads but ISO 8601 does not', '{"time": "Tue, 01 Jan 2030 00:00:00 GMT"}', /time must be an ISO 8601 date/],
    ['a time in year 10000', '{"time": "+010000-01-01T00:00:00Z"}', /time must be an ISO 8601 date/],
    ['a time of another type', '{"time": 1893456000000}', /time must be an ISO 8601 date/],
    ['an unknown key', '{"now": "2030-01-01T00:00:00Z"}', /Unknown field "now"/],
    ['both keys', '{"time": "2030-01-01T00:00:00Z", "offsetMs": 0}', /either time or offsetMs, not both/],
    ['an array', '[]', /The clock takes a JSON object/],
  ])('refuses %s with 400 and changes nothing', async (_what, body, message) => {
    expect((await clock('{"time": "2031-02-03T04:05:06Z"}')).status).toBe(200);
    const r = await clock(body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual([{ errorCode: 'INVALID_FIELD', message: expect.stringMatching(message) }]);
    const after = await send(`/_localforce/orgs/${server.org.id}/clock`, { method: 'GET', headers: { Authorization: `Bearer ${server.adminToken}` } });
    expect(after.body.now).toMatch(/^2031-02-03T04:05:0/);
  });

  it('refuses a body that is not JSON (a browser form) with 415', async () => {
    const r = await clock('{}', 'text/plain');
    expect(r.status).toBe(415);
  });

  it('resets with {} and moves with a time or an offset', async () => {
    expect((await clock('{"time": "2030-01-01"}')).body).toMatchObject({ now: '2030-01-01T00:00:00.000Z' });
    expect((await clock('{"offsetMs": 86400000}')).body).toMatchObject({ offsetMs: 86400000 });
    expect((await clock('{}')).body).toMatchObject({ offsetMs: 0 });
  });
});


describe('a SOAP message without a session', () => {
  it('is refused from its first 64 KB, before the rest of it is sent', async () => {
    const { request } = await import('node:http');
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': String(40 * 1024 * 1024) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => { req.destroy(); resolve({ status: res.statusCode!, text }); });
      });
      req.on('error', reject);
      // The start of a 40 MB deploy with no session; the other 39.9 MB never come.
      req.write(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><deploy><ZipFile>${'A'.repeat(100 * 1024)}`);
    });
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    await expectHealthy();
  });
});
