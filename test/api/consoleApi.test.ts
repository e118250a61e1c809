/**
 * What the console reads besides the Salesforce APIs, over HTTP: each org sees only its own, with
 * its bearer session, and no private key ever leaves.
 */
import { adminFetch, certsZip, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const get = async (path: string, token = server.org.accessToken) => {
  const res = await fetch(`${server.url}/console/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
};

it('serves the console page at / and its modules', async () => {
  const page = await fetch(`${server.url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<script type="module" src="/console/app.js">');
  for (const path of ['/console/app.js', '/console/vendor/preact.mjs', '/console/vendor/hooks.mjs', '/console/vendor/htm.mjs', '/console/style.css']) {
    expect({ path, status: (await fetch(`${server.url}${path}`)).status }).toEqual({ path, status: 200 });
  }
});

it('answers only with a session of the org, and only about that org', async () => {
  expect((await get('/org', 'nope')).status).toBe(401);
  const other = await (await adminFetch(server, '/_localforce/orgs', { method: 'POST' })).json() as LocalforceServer['org'];
  await deployAndWait(tokenConnection(server), await certsZip([{ name: 'Mine', caSigned: true }, { name: 'Plain' }]));
  expect((await get('/org')).body).toEqual(expect.objectContaining({ id: server.org.id, username: server.org.username, apiVersion: '68.0',
    features: { keystoreExportUrl: `/_localforce/orgs/${server.org.id}/keystore/export`, keystoreImportUrl: `/_localforce/orgs/${server.org.id}/keystore/import` } }));
  expect((await get('/certificates/Mine', other.accessToken)).status).toBe(404);
  expect((await get('/components', other.accessToken)).body).toEqual([]);
  expect((await get('/jobs', other.accessToken)).body).toEqual([]);

  const details = (await get('/certificates/Mine')).body;
  expect(details).toEqual(expect.objectContaining({ fullName: 'Mine', state: 'awaitingChain', chain: [], csr: expect.objectContaining({ subject: expect.stringContaining('CN=Mine') }) }));
  const csr = await get('/certificates/Mine/csr');
  expect(csr.text).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  expect(await get('/certificates/Plain/csr')).toEqual(expect.objectContaining({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'Certificate Plain is self-signed: it has no certificate signing request' }] }));

  const jobs = (await get('/jobs')).body;
  expect(jobs).toEqual([expect.objectContaining({ kind: 'deploy', result: expect.objectContaining({ status: 'Succeeded', numberComponentsDeployed: 2 }) })]);
  expect(jobs[0].result.details).toBeUndefined();

  const components = (await get('/components')).body;
  expect(components.map((c: { type: string; fullName: string }) => `${c.type}:${c.fullName}`)).toEqual(['Certificate:Mine', 'Certificate:Plain']);
  const plain = await get('/components/Certificate/Plain');
  expect(plain.body.files.map((f: { path: string }) => f.path)).toEqual(['certs/Plain.crt', 'certs/Plain.crt-meta.xml']);
  expect(plain.text).not.toContain('PRIVATE KEY');
  const file = await get(`/components/Certificate/Plain?file=${encodeURIComponent('certs/Plain.crt')}`);
  expect(file.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
});
