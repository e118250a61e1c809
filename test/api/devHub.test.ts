/**
 * Localforce as a Dev Hub over the wire, call by call as the sf CLI makes them (scratch-org flow): the
 * hub check at login, the ScratchOrgInfo insert and poll, the authorization-code exchange, the scratch
 * org's own answers, listing, deletion, expiry on the hub's clock, limits, and the real refusals.
 */
import { adminFetch, createOrg, startTestServer, type LocalforceServer, type TestOrg } from '../support/localforce';

let server: LocalforceServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

async function call(path: string, init: { token?: string; method?: string; body?: unknown } = {}) {
  const r = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.token ?? server.org.accessToken}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}
const query = (q: string, token?: string, version = '66.0') => call(`/services/data/v${version}/query?q=${encodeURIComponent(q)}`, { token });

/** The insert body the CLI sends for `sf org create scratch --edition developer -y 3`. */
const CLI_INSERT = {
  Edition: 'developer', HasSampleData: false, DurationDays: 3, OrgName: 'Company',
  ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect', ConnectedAppConsumerKey: 'PlatformCLI', Package2AncestorIds: '',
};

async function exchange(code: string, extra: Record<string, string> = {}) {
  const r = await fetch(`${server.url}/services/oauth2/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'PlatformCLI', redirect_uri: 'http://localhost:1717/OauthRedirect', ...extra }),
  });
  return { status: r.status, body: await r.json() as Record<string, string> };
}

/** A scratch org made as the CLI makes it: insert, poll, exchange. */
async function createScratch(hubToken = server.org.accessToken, body: Record<string, unknown> = CLI_INSERT) {
  const inserted = await call('/services/data/v66.0/sobjects/ScratchOrgInfo', { token: hubToken, method: 'POST', body });
  expect(inserted.status).toBe(201);
  const info = (await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${inserted.body.id}`, { token: hubToken })).body;
  const token = await exchange(info.AuthCode);
  expect(token.status).toBe(200);
  return { info, token: token.body };
}

describe('the hub', () => {
  it('answers the Dev Hub check of every login (v51.0 ScratchOrgInfo query) with rows, not a refusal', async () => {
    const r = await query('SELECT Id FROM ScratchOrgInfo limit 1', undefined, '51.0');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ done: true, records: expect.any(Array) });
  });

  it('makes a scratch org on insert: Active at once, with the fields the CLI reads, and one authorization code', async () => {
    const inserted = await call('/services/data/v66.0/sobjects/ScratchOrgInfo', { method: 'POST', body: CLI_INSERT });
    expect(inserted).toEqual({ status: 201, body: { id: expect.stringMatching(/^2SR\w{15}$/), success: true, errors: [] } });
    const info = (await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${inserted.body.id}`)).body;
    expect(info).toMatchObject({
      attributes: { type: 'ScratchOrgInfo' }, Id: inserted.body.id, Status: 'Active', ErrorCode: null, Edition: 'Developer',
      SignupUsername: expect.stringMatching(/^test-[a-z0-9]{12}@example\.com$/), LoginUrl: server.url, SignupInstance: null,
      AuthCode: expect.any(String), ConnectedAppConsumerKey: 'PlatformCLI', ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
      ScratchOrg: expect.stringMatching(/^00D\w{12}$/), DurationDays: 3, OrgName: 'Company',
      ExpirationDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), CreatedDate: expect.stringMatching(/\.\d{3}\+0000$/),
    });
    const days = (Date.parse(info.ExpirationDate) - Date.parse(info.CreatedDate.slice(0, 10))) / 86400_000;
    expect(days).toBe(3);

    const token = await exchange(info.AuthCode);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ access_token: expect.stringMatching(/^00D/), refresh_token: expect.any(String), instance_url: server.url });
    expect(token.body.id).toMatch(new RegExp(`/id/${info.ScratchOrg}\\w{3}/005`));
    // Once only.
    expect(await exchange(info.AuthCode)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
    expect((await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${inserted.body.id}`)).body.AuthCode).toBeNull();
  });

  it('refuses the code for another client or callback', async () => {
    const inserted = await call('/services/data/v66.0/sobjects/ScratchOrgInfo', { method: 'POST', body: CLI_INSERT });
    const info = (await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${inserted.body.id}`)).body;
    expect((await exchange(info.AuthCode, { redirect_uri: 'http://localhost:9999/elsewhere' })).body.error).toBe('invalid_grant');
    expect((await exchange(info.AuthCode, { client_id: 'SomeoneElse' })).body.error).toBe('invalid_client_id');
    expect((await exchange(info.AuthCode)).status).toBe(200);
  });

  it('refuses a bad request with the hub\'s own errors', async () => {
    const insert = (body: Record<string, unknown>) => call('/services/data/v66.0/sobjects/ScratchOrgInfo', { method: 'POST', body });
    expect(await insert({ ...CLI_INSERT, Edition: 'partner-developers' })).toEqual({
      status: 400, body: [{ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Edition: bad value for restricted picklist field: partner-developers', fields: ['Edition'] }],
    });
    // A plain misspelling of a listed feature, and what is no feature name at all, are refused in the hub's words.
    expect((await insert({ ...CLI_INSERT, Features: 'Communities;PlatfromCache' })).body[0]).toMatchObject({ errorCode: 'INVALID_INPUT', message: 'PlatfromCache is not a valid Features value.' });
    expect((await insert({ ...CLI_INSERT, Features: 'Platform Cache' })).body[0]).toMatchObject({ message: 'Platform Cache is not a valid Features value.' });
    expect((await insert({ ...CLI_INSERT, Features: 'Communities:3' })).body[0]).toMatchObject({ message: 'Communities:3 is not a valid Features value.' });
    // A name the CLI's lists lack but nothing like a typo is accepted: real projects use such features (EinsteinGPTPlatform).
    expect((await insert({ ...CLI_INSERT, Features: 'EinsteinGPTPlatform;EventLogFile' })).status).toBe(201);
    expect((await insert({ OrgName: 'x' })).body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Edition'] });
    expect((await insert({ ...CLI_INSERT, Colour: 'blue' })).body[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: "No such column 'Colour' on sobject of type ScratchOrgInfo" });
    expect((await insert({ ...CLI_INSERT, DurationDays: 31 })).status).toBe(400);
    // Known features in any case, counted ones with their number, and partner editions as the CLI sends them.
    expect((await insert({ ...CLI_INSERT, Edition: 'partner developer', Features: 'communities;MaxApexCodeSize:20' })).status).toBe(201);
  });

  it('fails the signup with C-1007 when the username is taken', async () => {
    const inserted = await call('/services/data/v66.0/sobjects/ScratchOrgInfo', { method: 'POST', body: { ...CLI_INSERT, Username: server.org.username } });
    expect(inserted.status).toBe(201);
    const info = (await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${inserted.body.id}`)).body;
    expect(info).toMatchObject({ Status: 'Error', ErrorCode: 'C-1007', ScratchOrg: null, AuthCode: null });
  });
});

describe('a scratch org', () => {
  it('is a sandbox with a trial end to the CLI, not a hub, and isolated from its hub', async () => {
    const { info, token } = await createScratch();
    const org = await query('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization', token.access_token);
    expect(org.body.records[0]).toMatchObject({ IsSandbox: true, TrialExpirationDate: `${info.ExpirationDate}T00:00:00.000+0000`, OrganizationType: 'Developer Edition', Name: 'Company' });
    const hubCheck = await query('SELECT Id FROM ScratchOrgInfo limit 1', token.access_token, '51.0');
    expect(hubCheck.status).toBe(400);
    expect(hubCheck.body[0].errorCode).toBe('INVALID_TYPE');
    const users = await query(`SELECT Id, Name FROM User WHERE Username = '${info.SignupUsername}'`, token.access_token);
    expect(users.body.totalSize).toBe(1);
    expect((await call(`/services/data/v66.0/sobjects/User/${server.org.userId}`, { token: token.access_token })).status).toBe(404);
    // The refresh token works with the CLI's client and no secret.
    const refreshed = await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token!, client_id: 'PlatformCLI' }),
    });
    expect(refreshed.status).toBe(200);
  });

  it('is listed by the query sf org list sends, with its creator nested', async () => {
    const { info } = await createScratch();
    const listed = await query(`SELECT CreatedDate, Edition, Status, ExpirationDate, Namespace, OrgName, CreatedBy.Username, SignupUsername, LoginUrl, ScratchOrg FROM ScratchOrgInfo WHERE ScratchOrg IN ('${info.ScratchOrg}')`);
    expect(listed.body).toEqual({
      totalSize: 1, done: true,
      records: [{
        attributes: { type: 'ScratchOrgInfo', url: `/services/data/v66.0/sobjects/ScratchOrgInfo/${info.Id}` },
        CreatedDate: info.CreatedDate, Edition: 'Developer', Status: 'Active', ExpirationDate: info.ExpirationDate, Namespace: null, OrgName: 'Company',
        CreatedBy: { attributes: { type: 'User', url: `/services/data/v66.0/sobjects/User/${server.org.userId}` }, Username: server.org.username },
        SignupUsername: info.SignupUsername, LoginUrl: server.url, ScratchOrg: info.ScratchOrg,
      }],
    });
  });

  it('ends on delete: ActiveScratchOrg found by username and deleted, then its tokens and logins fail and its record says Deleted', async () => {
    const { info, token } = await createScratch();
    const active = await query(`SELECT Id FROM ActiveScratchOrg WHERE SignupUsername='${info.SignupUsername}'`);
    expect(active.body.records).toEqual([{ attributes: expect.any(Object), Id: expect.stringMatching(/^2AS/) }]);
    expect((await call(`/services/data/v66.0/sobjects/ActiveScratchOrg/${active.body.records[0].Id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await query('SELECT Id FROM Organization', token.access_token)).status).toBe(401);
    expect((await query(`SELECT Id FROM ActiveScratchOrg WHERE SignupUsername='${info.SignupUsername}'`)).body.totalSize).toBe(0);
    expect((await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${info.Id}`)).body.Status).toBe('Deleted');
    expect((await call(`/services/data/v66.0/sobjects/ActiveScratchOrg/${active.body.records[0].Id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('expires on the hub\'s clock: Expired on the hub, its sessions and refresh tokens refused', async () => {
    const hub = await createOrg(server);
    const { info, token } = await createScratch(hub.accessToken, { ...CLI_INSERT, DurationDays: 1 });
    expect((await query('SELECT Id FROM Organization', token.access_token)).status).toBe(200);
    const moved = await adminFetch(server, `/_localforce/orgs/${hub.id}/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offsetMs: 3 * 86400_000 }) });
    expect(moved.status).toBe(200);
    expect((await call(`/services/data/v66.0/sobjects/ScratchOrgInfo/${info.Id}`, { token: hub.accessToken })).body.Status).toBe('Expired');
    expect((await query('SELECT Id FROM Organization', token.access_token)).status).toBe(401);
    const refreshed = await fetch(`${server.url}/services/oauth2/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token!, client_id: 'PlatformCLI' }),
    });
    expect(await refreshed.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    expect((await query(`SELECT Id FROM ActiveScratchOrg WHERE ScratchOrg = '${info.ScratchOrg}'`, hub.accessToken)).body.totalSize).toBe(0);
  });
});

describe('hubs apart, limits and the admin API', () => {
  let hub: TestOrg;
  beforeAll(async () => {
    hub = await createOrg(server);
  });

  it('shows a hub only its own scratch orgs, and two at once get distinct orgs', async () => {
    const [a, b] = await Promise.all([createScratch(hub.accessToken), createScratch(hub.accessToken)]);
    expect(a.info.ScratchOrg).not.toBe(b.info.ScratchOrg);
    const mine = await query('SELECT Id FROM ScratchOrgInfo', hub.accessToken);
    expect(mine.body.records.map((r: { Id: string }) => r.Id).sort()).toEqual([a.info.Id, b.info.Id].sort());
    const theirs = await query(`SELECT Id FROM ScratchOrgInfo WHERE Id = '${a.info.Id}'`);
    expect(theirs.body.totalSize).toBe(0);
  });

  it('counts limits as sf org list limits reads them, and refuses past them', async () => {
    const put = await adminFetch(server, `/_localforce/orgs/${hub.id}/dev-hub`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ activeScratchOrgs: 2 }) });
    expect(put.status).toBe(200);
    const limits = await call('/services/data/v66.0/limits', { token: hub.accessToken });
    expect(limits.body.ActiveScratchOrgs).toEqual({ Max: 2, Remaining: 0 });
    expect(limits.body.DailyScratchOrgs).toEqual({ Max: 200, Remaining: 198 });
    const refused = await call('/services/data/v66.0/sobjects/ScratchOrgInfo', { token: hub.accessToken, method: 'POST', body: CLI_INSERT });
    expect(refused.body[0]).toMatchObject({ errorCode: 'LIMIT_EXCEEDED', message: expect.stringContaining('active scratch org limit') });
    await adminFetch(server, `/_localforce/orgs/${hub.id}/dev-hub`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ limits: null }) });
  });

  it('lists, makes, expires and deletes scratch orgs through the admin API; a hub switched off answers as no hub', async () => {
    const made = await adminFetch(server, `/_localforce/orgs/${hub.id}/scratch-orgs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Edition: 'Enterprise', OrgName: 'Admin made' }) });
    expect(made.status).toBe(201);
    const scratch = await made.json() as { id: string; accessToken: string; scratchOrgInfoId: string };
    expect((await query('SELECT OrganizationType FROM Organization', scratch.accessToken)).body.records[0].OrganizationType).toBe('Enterprise Edition');
    const listed = await (await adminFetch(server, `/_localforce/orgs/${hub.id}/scratch-orgs`)).json() as { orgId: string; status: string; createdBy: string }[];
    expect(listed.find((s) => s.orgId === scratch.id)).toMatchObject({ status: 'Active', createdBy: hub.username });
    expect((await adminFetch(server, `/_localforce/orgs/${hub.id}/scratch-orgs/${scratch.id}/expire`, { method: 'POST' })).status).toBe(200);
    expect((await query('SELECT Id FROM Organization', scratch.accessToken)).status).toBe(401);
    expect((await adminFetch(server, `/_localforce/orgs/${hub.id}/scratch-orgs/${scratch.scratchOrgInfoId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await adminFetch(server, `/_localforce/orgs/${scratch.id}/clock`)).status).toBe(404);

    await adminFetch(server, `/_localforce/orgs/${hub.id}/dev-hub`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ devHub: false }) });
    expect((await query('SELECT Id FROM ScratchOrgInfo limit 1', hub.accessToken, '51.0')).status).toBe(400);
    await adminFetch(server, `/_localforce/orgs/${hub.id}/dev-hub`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ devHub: true }) });
  });

  it('takes a deleted hub\'s scratch orgs with it', async () => {
    const other = await createOrg(server);
    const { token } = await createScratch(other.accessToken);
    expect((await adminFetch(server, `/_localforce/orgs/${other.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await query('SELECT Id FROM Organization', token.access_token)).status).toBe(401);
  });
});
