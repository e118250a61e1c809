/**
 * The REST surface the sf CLI uses besides SOAP (README.md, What is served), over HTTP with Node's own fetch:
 * identity, versions, SOQL, Tooling's "no source tracking", JSON errors, and the REST deploy API.
 */
import { adminFetch, certsZip, packageXml, startTestServer, staticResourceZip, type LocalforceServer } from '../support/localforce';
import { randomBytes } from 'node:crypto';
import { SPOOL_FROM_BYTES } from '../../src/package/spooledZip';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const auth = (token = server.org.accessToken) => ({ Authorization: `Bearer ${token}` });

async function call(path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token, ...rest } = init;
  const headers = { ...(token === null ? {} : auth(token)), ...(rest.headers as Record<string, string> | undefined) };
  const res = await fetch(`${server.url}${path}`, { ...rest, headers });
  const text = await res.text();
  let body: any;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body };
}

const query = (q: string, token?: string) => call(`/services/data/v66.0/query?q=${encodeURIComponent(q)}`, { token });

describe('bearer tokens and errors', () => {
  it.each([
    ['no Authorization header', null],
    ['an unknown token', `${'00D000000000001AAA'}!nope`],
  ])('answers 401 INVALID_SESSION_ID as JSON for %s', async (_what, token) => {
    for (const path of ['/services/data/v66.0', '/services/oauth2/userinfo', '/services/data/v66.0/query?q=SELECT+Id+FROM+Organization',
      '/services/data/v66.0/metadata/deployRequest/0Af000000000001AAA']) {
      const r = await call(path, { token });
      expect({ path, status: r.status, type: r.type, body: r.body }).toEqual({
        path, status: 401, type: expect.stringMatching(/^application\/json/),
        body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      });
    }
  });

  it('answers unknown paths and unsupported versions with a JSON 404', async () => {
    for (const path of ['/services/data/v66.0/nothing/here', '/services/data/v99.0', '/services/data/66.0', '/services/data/v30.0/sobjects/User/x']) {
      const r = await call(path);
      expect({ path, status: r.status, type: r.type }).toEqual({ path, status: 404, type: expect.stringMatching(/^application\/json/) });
      expect(r.body).toEqual([{ errorCode: 'NOT_FOUND', message: expect.stringContaining('The requested resource does not exist') }]);
    }
  });
});

describe('what the sf CLI reads to log in and to pick its API version', () => {
  it('lists API versions 31.0 to 68.0 without a session, newest last', async () => {
    const r = await call('/services/data', { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(38);
    expect(r.body[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(r.body.at(-1)).toEqual({ label: "Winter '27", url: '/services/data/v68.0', version: '68.0' });
    expect(r.body.find((v: { version: string }) => v.version === '67.0').label).toBe("Summer '26");
    expect(r.body.find((v: { version: string }) => v.version === '62.0').label).toBe("Winter '25");
  });

  it('serves the resource map of a version', async () => {
    const r = await call('/services/data/v59.0');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sobjects: '/services/data/v59.0/sobjects', query: '/services/data/v59.0/query', metadata: '/services/data/v59.0/metadata' });
  });

  it('answers userinfo and the User record for the token\'s user', async () => {
    const info = await call('/services/oauth2/userinfo');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      user_id: server.org.userId, organization_id: server.org.id, preferred_username: server.org.username,
      sub: `${server.url}/id/${server.org.id}/${server.org.userId}`,
    });
    for (const id of [server.org.userId, server.org.userId.slice(0, 15)]) {
      const user = await call(`/services/data/v51.0/sobjects/User/${id}`);
      expect(user.status).toBe(200);
      expect(user.body).toMatchObject({ Id: server.org.userId, Username: server.org.username, attributes: { type: 'User' } });
    }
    expect((await call('/services/data/v51.0/sobjects/User/005000000000009AAA')).status).toBe(404);
  });

  it('sees only its own org: another org\'s token gets its own user and organization', async () => {
    const other = (await (await adminFetch(server, `/_localforce/orgs`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Other Org' }),
    })).json()) as { id: string; userId: string; accessToken: string };
    expect((await call(`/services/data/v66.0/sobjects/User/${server.org.userId}`, { token: other.accessToken })).status).toBe(404);
    const org = await query('SELECT Id, Name FROM Organization', other.accessToken);
    expect(org.body.records).toEqual([{ attributes: expect.any(Object), Id: other.id, Name: 'Other Org' }]);
  });

  it('answers the Organization query with one record holding all six fields', async () => {
    const r = await query('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      totalSize: 1, done: true,
      records: [{
        attributes: { type: 'Organization', url: `/services/data/v66.0/sobjects/Organization/${server.org.id}` },
        Name: 'Localforce Default Org', InstanceName: expect.any(String), IsSandbox: false, TrialExpirationDate: null,
        NamespacePrefix: null, OrganizationType: 'Developer Edition',
      }],
    });
    expect(Object.keys(r.body.records[0])).toEqual(['attributes', 'Name', 'InstanceName', 'IsSandbox', 'TrialExpirationDate', 'NamespacePrefix', 'OrganizationType']);
  });

  it('is a Dev Hub (ScratchOrgInfo answers) and answers INVALID_TYPE for objects it does not keep', async () => {
    const hub = await query('SELECT Id FROM ScratchOrgInfo limit 1');
    expect(hub.status).toBe(200);
    const account = await query('SELECT Id, Name FROM Account');
    expect(account.body).toEqual([{ errorCode: 'INVALID_TYPE', message: expect.stringContaining("sObject type 'Account' is not supported") }]);
  });

  it('rejects unknown fields and what is not a query', async () => {
    expect((await query('SELECT Nope FROM Organization')).body).toEqual([{ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope'") }]);
    expect((await query('DELETE everything')).body[0].errorCode).toBe('MALFORMED_QUERY');
    expect((await call('/services/data/v66.0/query')).status).toBe(400);
  });

  it('has no source tracking outside scratch orgs: SourceMember describe is 404, other Tooling objects unsupported', async () => {
    const describe = await call('/services/data/v66.0/tooling/sobjects/SourceMember/describe');
    expect(describe.status).toBe(404);
    expect(describe.body[0]).toEqual({ errorCode: 'NOT_FOUND', message: expect.stringContaining('The requested resource does not exist') });
    const tooling = await call(`/services/data/v66.0/tooling/query?q=${encodeURIComponent('SELECT Id FROM SandboxProcess')}`);
    expect(tooling.status).toBe(400);
    expect(tooling.body[0].errorCode).toBe('INVALID_TYPE');
  });
});

describe('REST deploy API (metadata/deployRequest)', () => {
  const base = '/services/data/v66.0/metadata/deployRequest';

  async function post(zip: Buffer | null, entity: unknown, token?: string) {
    const form = new FormData();
    if (zip) form.append('file', new Blob([zip], { type: 'application/zip' }), 'package.xml');
    if (entity !== undefined) form.append('entity_content', new Blob([typeof entity === 'string' ? entity : JSON.stringify(entity)], { type: 'application/json' }));
    return call(base, { method: 'POST', body: form, token });
  }

  async function waitDone(id: string) {
    for (;;) {
      const r = await call(`${base}/${id}?includeDetails=true`);
      expect(r.status).toBe(200);
      if (r.body.deployResult.done) return r.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('takes a multipart zip and options, answers 201 and reports with JSON booleans and numbers', async () => {
    const zip = await certsZip([{ name: 'RestOne' }, { name: 'RestTwo', caSigned: true }]);
    const created = await post(zip, { deployOptions: { singlePackage: true, rollbackOnError: true, testLevel: 'NoTestRun' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^0Af[a-zA-Z0-9]{15}$/),
      deployOptions: { singlePackage: true, rollbackOnError: true, checkOnly: false, testLevel: 'NoTestRun' },
      deployResult: { done: false, checkOnly: false, details: expect.any(Object) },
    });
    const done = await waitDone(created.body.id);
    expect(done.id).toBe(created.body.id);
    expect(done.deployResult).toMatchObject({
      id: created.body.id, status: 'Succeeded', success: true, done: true, numberComponentsDeployed: 2, numberComponentsTotal: 2,
      numberComponentErrors: 0, errorMessage: null, canceledBy: null,
    });
    const successes = done.deployResult.details.componentSuccesses;
    expect(successes).toEqual(expect.arrayContaining([
      expect.objectContaining({ fullName: 'RestOne', componentType: 'Certificate', created: true, changed: true, success: true, problem: null }),
      expect.objectContaining({ fullName: 'package.xml', componentType: '' }),
    ]));
    expect(done.deployResult.details.componentFailures).toEqual([]);

    const summary = await call(`${base}/${created.body.id}`);
    expect(summary.body.deployResult.details).toEqual(expect.objectContaining({ componentSuccesses: [], componentFailures: [] }));
  });

  it('deploys a zip larger than the spooling size, gathered into a temporary file as it arrives', async () => {
    const zip = await staticResourceZip('RestLarge', randomBytes(SPOOL_FROM_BYTES + 1024 * 1024));
    expect(zip.length).toBeGreaterThan(SPOOL_FROM_BYTES);
    const created = await post(zip, { deployOptions: { singlePackage: true } });
    expect(created.status).toBe(201);
    const done = await waitDone(created.body.id);
    expect(done.deployResult).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 1 });
  }, 60_000);

  it('reports component failures with their line as numbers', async () => {
    const zip = await certsZip([{ name: 'RestBroken', meta: '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <caSigned>maybe</caSigned>\n</Certificate>\n' }]);
    const created = await post(zip, { deployOptions: { singlePackage: true } });
    const done = await waitDone(created.body.id);
    expect(done.deployResult).toMatchObject({ status: 'Failed', success: false, numberComponentErrors: 1 });
    expect(done.deployResult.details.componentFailures).toEqual([expect.objectContaining({
      fullName: 'RestBroken', fileName: 'certs/RestBroken.crt-meta.xml', lineNumber: 3, problemType: 'Error', success: false,
    })]);
  });

  it('cancels with PATCH {"deployResult": {"status": "Canceling"}}', async () => {
    const zip = await certsZip(Array.from({ length: 6 }, (_, i) => ({ name: `RestCancel${i}`, keySize: 4096 })));
    const created = await post(zip, { deployOptions: { singlePackage: true } });
    const patch = (body: unknown) => call(`${base}/${created.body.id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await patch({ deployResult: { status: 'Succeeded' } })).status).toBe(400);
    const canceling = await patch({ deployResult: { status: 'Canceling' } });
    expect(canceling.status).toBe(202);
    expect(canceling.body.deployResult.status).toMatch(/^Cancel(ing|ed)$/);
    const done = await waitDone(created.body.id);
    expect(done.deployResult).toMatchObject({ status: 'Canceled', done: true, canceledBy: server.org.userId.slice(0, 15) });
    const again = await patch({ deployResult: { status: 'Canceling' } });
    expect(again).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_ID_FIELD', message: 'Deployment already completed' }] });
  });

  it('deploys a successful validation again by validatedDeployRequestId', async () => {
    const zip = await certsZip([{ name: 'RestValidated' }]);
    const validation = await waitDone((await post(zip, { deployOptions: { singlePackage: true, checkOnly: true } })).body.id);
    expect(validation.deployResult).toMatchObject({ status: 'Succeeded', checkOnly: true });
    const quick = await call(base, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ validatedDeployRequestId: validation.id }),
    });
    expect(quick.status).toBe(201);
    expect(quick.body).toMatchObject({ validatedDeployRequestId: validation.id, deployOptions: { checkOnly: false } });
    expect(quick.body.id).not.toBe(validation.id);
    const done = await waitDone(quick.body.id);
    expect(done.deployResult).toMatchObject({ status: 'Succeeded', checkOnly: false });
  });

  it('rejects what is not a deploy request', async () => {
    const zip = await certsZip([{ name: 'RestRejected' }]);
    expect(await post(null, { deployOptions: {} })).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_OPERATION' }] });
    expect(await post(zip, '{not json')).toMatchObject({ status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR' }] });
    expect(await post(zip, { deployOptions: { checkOnly: 'yes' } })).toMatchObject({
      status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR', message: expect.stringContaining('checkOnly') }],
    });
    expect(await post(zip, { deployOptions: { testLevel: 'RunSomeTests' } })).toMatchObject({ status: 400 });
    const plain = await call(base, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip });
    expect(plain.status).toBe(415);
    expect(plain.body[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await call(base, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nbroken' });
    expect(broken.status).toBe(400);
    expect(Array.isArray(broken.body)).toBe(true);
  });

  it('knows only the caller\'s deploys', async () => {
    expect(await call(`${base}/0Af000000000001AAA`)).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    const zip = await certsZip([], { manifest: packageXml([]) });
    const created = await post(zip, { deployOptions: { singlePackage: true } });
    const other = (await (await adminFetch(server, `/_localforce/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { accessToken: string };
    expect((await call(`${base}/${created.body.id}`, { token: other.accessToken })).status).toBe(404);
  });
});
