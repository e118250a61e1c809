/**
 * Requests built to hurt: each once crashed, froze or damaged a server (the hostile test of issue 12).
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
