/**
 * Connected apps and the OAuth grants they open, through jsforce and plain HTTP against a started
 * server: apps from ConnectedApp deploys and from the admin API, the JWT bearer grant with every
 * refusal in the real service's words, refresh tokens, SFDX auth URLs, revocation and restarts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import JSZip from 'jszip';
import { Connection, OAuth2 } from 'jsforce';
import { adminFetch, asArray, createOrg, deployAndWait, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { requireTool, runTool } from '../support/tools';

const CORPUS = resolve(__dirname, '../../fixtures/corpus/certs');
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface KeyPair { key: string; cert: string }

/** A key and its self-signed certificate, made by openssl as a CI pipeline makes them. */
async function opensslKeyPair(days = 30): Promise<KeyPair> {
  const run = await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '{key.pem}', '-out', '{cert.pem}',
    '-days', String(days), '-subj', '/CN=ci-pipeline'], {}, ['key.pem', 'cert.pem']);
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { key: run.files['key.pem']!.toString(), cert: run.files['cert.pem']!.toString() };
}

const connectedAppXml = (o: { label?: string; consumerKey?: string; consumerSecret?: string; certificate?: string; scopes?: string[]; noOauth?: boolean }) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
  `    <contactEmail>ci@example.com</contactEmail>\n    <label>${o.label ?? 'CI'}</label>\n` +
  (o.noOauth ? '' : `    <oauthConfig>\n        <callbackUrl>http://localhost:1717/OauthRedirect</callbackUrl>\n` +
    (o.certificate ? `        <certificate>${o.certificate.trim()}</certificate>\n` : '') +
    (o.consumerKey ? `        <consumerKey>${o.consumerKey}</consumerKey>\n` : '') +
    (o.consumerSecret ? `        <consumerSecret>${o.consumerSecret}</consumerSecret>\n` : '') +
    `        <isAdminApproved>false</isAdminApproved>\n` +
    (o.scopes ?? ['Api', 'RefreshToken']).map((s) => `        <scopes>${s}</scopes>\n`).join('') +
    `    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n`) +
  `</ConnectedApp>\n`;

const manifest = (names: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
  `    <types>\n${names.map((n) => `        <members>${n}</members>\n`).join('')}        <name>ConnectedApp</name>\n    </types>\n    <version>66.0</version>\n</Package>\n`;

async function appsZip(apps: Record<string, string>, destructive: string[] = []): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('package.xml', manifest(Object.keys(apps)));
  for (const [name, xml] of Object.entries(apps)) zip.file(`connectedApps/${name}.connectedApp`, xml);
  if (destructive.length) zip.file('destructiveChanges.xml', manifest(destructive));
  return zip.generateAsync({ type: 'nodebuffer' });
}

const form = (params: Record<string, string>) => ({
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(),
});

describe('connected apps and CI logins', () => {
  let server: LocalforceServer;
  let pair: KeyPair;
  let stranger: KeyPair;
  beforeAll(async () => {
    requireTool('openssl');
    server = await startTestServer();
    [pair, stranger] = await Promise.all([opensslKeyPair(), opensslKeyPair()]);
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  const token = (params: Record<string, string>) => fetch(`${server.url}/services/oauth2/token`, form(params));
  const assertion = (claims: Record<string, unknown>, key = pair.key) =>
    jwt.sign({ aud: server.url, exp: Math.floor(Date.now() / 1000) + 300, ...claims }, key, { algorithm: 'RS256' });
  const createApp = async (orgId: string, body: Record<string, unknown>, bearer = server.adminToken) =>
    fetch(`${server.url}/_localforce/orgs/${orgId}/connected-apps`, {
      method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });

  it('makes connected apps through the admin API, answering the consumer key and secret once and refusing bad input', async () => {
    const org = await createOrg(server);
    const res = await createApp(org.id, { name: 'Pipeline', certificate: pair.cert });
    expect(res.status).toBe(201);
    const app = await res.json() as { consumerKey: string; consumerSecret: string; certificate: { subject: string } };
    expect(app).toMatchObject({ name: 'Pipeline', source: 'admin', scopes: ['Api', 'Web', 'RefreshToken'], certificate: { subject: 'CN=ci-pipeline' } });
    expect(app.consumerKey).toMatch(/^3MVG9[A-Za-z0-9.]{80,}$/);
    expect(app.consumerSecret).toMatch(/^[0-9A-F]{64}$/);

    // The org's own token works too; the list shows no secrets, one app's page does.
    const own = await createApp(org.id, { name: 'Scripts', consumerKey: 'my_key.12345678', consumerSecret: 'not-so-secret-1' }, org.accessToken);
    expect(own.status).toBe(201);
    const list = await (await adminFetch(server, `/_localforce/orgs/${org.id}/connected-apps`)).json() as Record<string, unknown>[];
    expect(list.map((a) => a.name)).toEqual(['Pipeline', 'Scripts']);
    expect(JSON.stringify(list)).not.toContain(app.consumerSecret);
    const one = await (await adminFetch(server, `/_localforce/orgs/${org.id}/connected-apps/Scripts`)).json();
    expect(one).toMatchObject({ consumerKey: 'my_key.12345678', consumerSecret: 'not-so-secret-1' });

    const refusals: [Record<string, unknown>, string, string][] = [
      [{ name: 'Pipeline' }, 'DUPLICATE_VALUE', 'already has a connected app named Pipeline'],
      [{ name: 'Other', consumerKey: 'my_key.12345678' }, 'DUPLICATE_VALUE', 'unique across orgs'],
      [{ name: '9lives' }, 'INVALID_FIELD', 'name must be an API name'],
      [{ name: 'Keyed', certificate: pair.key }, 'INVALID_FIELD', 'holds a private key'],
      [{ name: 'Junk', certificate: 'hello' }, 'INVALID_FIELD', 'certificate must be a PEM-encoded X.509 certificate'],
      [{ name: 'Short', consumerKey: 'abc' }, 'INVALID_FIELD', 'consumerKey must be 8 to 256'],
      [{ name: 'Typo', certficate: 'x' }, 'INVALID_FIELD', 'Unknown field "certficate"'],
    ];
    for (const [body, code, words] of refusals) {
      const r = await createApp(org.id, body);
      expect(r.status).toBe(400);
      const [error] = await r.json() as { errorCode: string; message: string }[];
      expect(error!.errorCode).toBe(code);
      expect(error!.message).toContain(words);
    }
    // Another org's token is refused, without a 401 that clients take for an expired session.
    expect((await createApp(org.id, { name: 'Intruder' }, server.org.accessToken)).status).toBe(403);
  });

  it('logs in with the JWT bearer grant through jsforce, and refuses each bad assertion as the real service does', async () => {
    const org = await createOrg(server);
    const app = await (await createApp(org.id, { name: 'Jwt', certificate: pair.cert })).json() as { consumerKey: string };
    const oauth2 = new OAuth2({ loginUrl: server.url });
    const ok = await oauth2.requestToken({ grant_type: JWT_BEARER, assertion: assertion({ iss: app.consumerKey, sub: org.username }) }) as Record<string, string>;
    expect(ok).toMatchObject({ instance_url: server.url, id: `${server.url}/id/${org.id}/${org.userId}`, token_type: 'Bearer', scope: 'api web' });
    expect(ok.refresh_token).toBeUndefined();
    expect(ok.access_token).toMatch(new RegExp(`^${org.id}![.\\w]+$`));
    const conn = new Connection({ instanceUrl: ok.instance_url, accessToken: ok.access_token, version: '66.0' });
    expect((await conn.request<{ preferred_username: string }>('/services/oauth2/userinfo')).preferred_username).toBe(org.username);

    // The sf CLI's shape: exp in milliseconds, aud the login URL with a trailing slash; a Salesforce login host is accepted too.
    for (const claims of [{ exp: Date.now() + 300, aud: `${server.url}/` }, { aud: 'https://login.salesforce.com' }]) {
      const r = await token({ grant_type: JWT_BEARER, assertion: assertion({ iss: app.consumerKey, sub: org.username, ...claims }) });
      expect(r.status).toBe(200);
    }

    const failures: [string, string, string][] = [
      [assertion({ iss: app.consumerKey, sub: org.username }, stranger.key), 'invalid_grant', 'invalid assertion'],
      ['not.a.jwt', 'invalid_grant', 'invalid assertion'],
      [assertion({ iss: '3MVG9unknown', sub: org.username }), 'invalid_client_id', 'client identifier invalid'],
      [assertion({ iss: app.consumerKey, sub: 'nobody@example.com' }), 'invalid_grant', "user hasn't approved this consumer"],
      [assertion({ iss: app.consumerKey, sub: server.org.username }), 'invalid_grant', "user hasn't approved this consumer"],
      [assertion({ iss: app.consumerKey, sub: org.username, aud: 'https://example.com' }), 'invalid_grant', 'audience is invalid'],
      [assertion({ iss: app.consumerKey, sub: org.username, exp: Math.floor(Date.now() / 1000) - 10 }), 'invalid_grant', 'expired authorization code'],
    ];
    for (const [jwtText, error, description] of failures) {
      const err = await oauth2.requestToken({ grant_type: JWT_BEARER, assertion: jwtText }).then(() => undefined, (e: Error) => e);
      expect({ name: err?.name, message: err?.message }).toEqual({ name: error, message: description });
    }
    const raw = await token({ grant_type: JWT_BEARER, assertion: 'x' });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses a JWT once the certificate has expired on the org clock, and counts exp on that clock', async () => {
    const org = await createOrg(server);
    const app = await (await createApp(org.id, { name: 'Clocked', certificate: pair.cert })).json() as { consumerKey: string };
    const signed = assertion({ iss: app.consumerKey, sub: org.username, exp: Math.floor(Date.now() / 1000) + 3600 });
    await adminFetch(server, `/_localforce/orgs/${org.id}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs: 7200_000 }) });
    const late = await (await token({ grant_type: JWT_BEARER, assertion: signed })).json();
    expect(late).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
    await adminFetch(server, `/_localforce/orgs/${org.id}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs: 40 * 86_400_000 }) });
    const expired = await (await token({ grant_type: JWT_BEARER, assertion: assertion({ iss: app.consumerKey, sub: org.username, exp: Date.now() + 300 }) })).json();
    expect(expired).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/^the certificate of connected app Clocked expired on \d{4}-/) });
  });

  it('registers a deployed ConnectedApp (keeping its secret out of retrieves), follows redeploys and deletes, and ends its tokens with it', async () => {
    const org = await createOrg(server);
    const conn = org.conn;
    const deployed = await deployAndWait(conn, await appsZip({
      CI_App: connectedAppXml({ consumerKey: 'ci_app_key.0001', consumerSecret: 'S3cret-of-ci-app', certificate: pair.cert }),
    }));
    expect(deployed.status).toBe('Succeeded');
    const apps = await (await adminFetch(server, `/_localforce/orgs/${org.id}/connected-apps`)).json();
    expect(apps).toEqual([expect.objectContaining({ name: 'CI_App', consumerKey: 'ci_app_key.0001', source: 'metadata', scopes: ['Api', 'RefreshToken'] })]);

    // Reads never return the consumer secret; the rest of the file comes back as deployed.
    const [read] = asArray(await conn.metadata.read('ConnectedApp', ['CI_App'])) as unknown as Record<string, any>[];
    expect(JSON.stringify(read)).not.toContain('S3cret-of-ci-app');
    expect(read!.oauthConfig.consumerKey).toBe('ci_app_key.0001');

    const login = () => token({ grant_type: JWT_BEARER, assertion: assertion({ iss: 'ci_app_key.0001', sub: org.username }) });
    const first = await (await login()).json() as { access_token: string };
    expect(first.access_token).toBeDefined();
    // The password flow through the app gives a refresh token (its scopes hold RefreshToken).
    const password = await (await token({ grant_type: 'password', username: org.username, password: org.password, client_id: 'ci_app_key.0001', client_secret: 'S3cret-of-ci-app' })).json() as Record<string, string>;
    expect(password.refresh_token).toMatch(/^5Aep861[\w.]+$/);
    expect(password.scope).toBe('api refresh_token');
    const wrongSecret = await (await token({ grant_type: 'password', username: org.username, password: org.password, client_id: 'ci_app_key.0001', client_secret: 'guess-guess' })).json();
    expect(wrongSecret).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });

    // Redeployed with another certificate: the old key no longer signs for it; the secret stays.
    const redeployed = await deployAndWait(conn, await appsZip({ CI_App: connectedAppXml({ consumerKey: 'ci_app_key.0001', certificate: stranger.cert }) }));
    expect(redeployed.status).toBe('Succeeded');
    expect(await (await login()).json()).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
    const refreshed = await (await token({ grant_type: 'refresh_token', refresh_token: password.refresh_token!, client_id: 'ci_app_key.0001', client_secret: 'S3cret-of-ci-app' })).json() as Record<string, string>;
    expect(refreshed.access_token).toBeDefined();

    // Another org cannot take the same consumer key.
    const other = await createOrg(server);
    const clash = await deployAndWait(other.conn, await appsZip({ Copy: connectedAppXml({ consumerKey: 'ci_app_key.0001' }) }));
    expect(clash.status).toBe('Failed');
    expect(JSON.stringify(clash)).toContain('unique across orgs');

    // Deleted by a destructive change: logins, refresh tokens and the sessions they opened all end.
    const gone = await deployAndWait(conn, await appsZip({}, ['CI_App']));
    expect(gone.status).toBe('Succeeded');
    expect(await (await adminFetch(server, `/_localforce/orgs/${org.id}/connected-apps`)).json()).toEqual([]);
    expect(await (await login()).json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    const after = await (await token({ grant_type: 'refresh_token', refresh_token: password.refresh_token!, client_id: 'ci_app_key.0001', client_secret: 'S3cret-of-ci-app' })).json();
    expect(after).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    const dead = await fetch(`${server.url}/services/data/v66.0/sobjects/User/${org.userId}`, { headers: { Authorization: `Bearer ${refreshed.access_token}` } });
    expect(dead.status).toBe(401);
  });

  it('takes a certificate written as bare base64, as retrieved connected apps carry it, and logs in with its key', async () => {
    const org = await createOrg(server);
    const bare = pair.cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const deployed = await deployAndWait(org.conn, await appsZip({ Bare_App: connectedAppXml({ consumerKey: 'bare_app_key.0001', certificate: bare }) }));
    expect(deployed.status).toBe('Succeeded');
    const login = await (await token({ grant_type: JWT_BEARER, assertion: assertion({ iss: 'bare_app_key.0001', sub: org.username }) })).json() as { access_token?: string };
    expect(login.access_token).toBeDefined();
  });

  it('refuses a ConnectedApp whose certificate is not a certificate, and takes the real JWT certificates of the corpus', async () => {
    const org = await createOrg(server);
    const bad = await deployAndWait(org.conn, await appsZip({ Broken: connectedAppXml({ certificate: pair.key }) }));
    expect(bad.status).toBe('Failed');
    expect(asArray(bad.details?.componentFailures)[0]).toMatchObject({
      fullName: 'Broken', problem: expect.stringContaining('oauthConfig.certificate must be a PEM-encoded X.509 certificate: it holds a private key'),
    });
    const corpus = {
      JWT_Certificate: readFileSync(join(CORPUS, 'Maryam0605__AMH_pipeline__JWT_Certificate.crt'), 'utf8'),
      JWTCert: readFileSync(join(CORPUS, 'testanother236__ONEMORE__JWTCert.crt'), 'utf8'),
    };
    const apps = Object.fromEntries(Object.entries(corpus).map(([name, cert]) => [`App_${name}`, connectedAppXml({ certificate: cert })]));
    expect((await deployAndWait(org.conn, await appsZip(apps))).status).toBe('Succeeded');
    const list = await (await adminFetch(server, `/_localforce/orgs/${org.id}/connected-apps`)).json() as { name: string; consumerKey: string; certificate: { subject: string; expirationDate: string } }[];
    expect(list.map((a) => [a.name, a.certificate])).toEqual([
      ['App_JWT_Certificate', { subject: expect.stringContaining('CN=JWT_Certificate'), expirationDate: '2026-08-20T12:00:00.000Z' }],
      ['App_JWTCert', { subject: expect.stringContaining('CN=JWTCert'), expirationDate: '2025-09-14T00:00:00.000Z' }],
    ]);
    // The org made consumer keys for them; a JWT not signed by the real org's key is refused.
    const r = await (await token({ grant_type: JWT_BEARER, assertion: assertion({ iss: list[0]!.consumerKey, sub: org.username }) })).json();
    expect(r).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('refreshes sessions with jsforce from an SFDX auth URL\'s parts, and revokes refresh and access tokens', async () => {
    const org = await createOrg(server);
    const app = await (await createApp(org.id, { name: 'Refresher' })).json() as { consumerKey: string; consumerSecret: string };
    const res = await adminFetch(server, `/_localforce/orgs/${org.id}/sfdx-auth-url`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consumerKey: app.consumerKey }),
    });
    expect(res.status).toBe(201);
    const { sfdxAuthUrl } = await res.json() as { sfdxAuthUrl: string };
    // The sf CLI's own parser: force://<clientId>:<clientSecret>:<refreshToken>@<host>.
    const parts = /^force:\/\/([a-zA-Z0-9._-]+={0,2}):([a-zA-Z0-9._-]*={0,2}):([a-zA-Z0-9._-]+={0,2})@([a-zA-Z0-9:._-]+)$/.exec(sfdxAuthUrl);
    expect(parts?.slice(1)).toEqual([app.consumerKey, app.consumerSecret, expect.any(String), new URL(server.url).host]);
    const refreshToken = parts![3]!;

    // jsforce refreshes an expired session by itself, and says so.
    const conn = new Connection({
      oauth2: { clientId: app.consumerKey, clientSecret: app.consumerSecret, loginUrl: server.url },
      instanceUrl: server.url, accessToken: `${org.id}!expired`, refreshToken, version: '66.0',
    });
    const refreshedTo: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshedTo.push(accessToken));
    expect((await conn.request<{ preferred_username: string }>('/services/oauth2/userinfo')).preferred_username).toBe(org.username);
    expect(refreshedTo).toHaveLength(1);

    const oauth2 = new OAuth2({ clientId: app.consumerKey, clientSecret: 'wrong-secret', loginUrl: server.url });
    await expect(oauth2.refreshToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_client', message: 'invalid client credentials' });
    const noSecret = await (await token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: app.consumerKey })).json();
    expect(noSecret).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });

    // Revoking the refresh token ends it and the sessions it opened; revoking again is refused.
    const good = new OAuth2({ clientId: app.consumerKey, clientSecret: app.consumerSecret, loginUrl: server.url });
    const session = await good.refreshToken(refreshToken);
    await good.revokeToken(refreshToken);
    await expect(good.refreshToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_grant', message: 'expired access/refresh token' });
    await expect(tokenConnection(server, session.access_token).request('/services/oauth2/userinfo')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    await expect(good.revokeToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_token' });

    // An access token alone, by GET as the documentation also allows.
    const login = await (await token({ grant_type: 'password', username: org.username, password: org.password })).json() as { access_token: string };
    expect((await fetch(`${server.url}/services/oauth2/revoke?token=${encodeURIComponent(login.access_token)}`)).status).toBe(200);
    await expect(tokenConnection(server, login.access_token).request('/services/oauth2/userinfo')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  });

  it('logs jsforce in through a connected app with the password flow, with a refresh token that logout(true) revokes', async () => {
    const org = await createOrg(server);
    const app = await (await createApp(org.id, { name: 'Jsforce' })).json() as { consumerKey: string; consumerSecret: string };
    const oauth2 = { clientId: app.consumerKey, clientSecret: app.consumerSecret, loginUrl: server.url };
    const conn = new Connection({ oauth2, version: '66.0' });
    expect(await conn.login(org.username, org.password)).toMatchObject({ id: org.userId, organizationId: org.id });
    // jsforce's login() keeps no refresh token; its OAuth2 client shows the one the app's scopes allow.
    const answer = await new OAuth2(oauth2).authenticate(org.username, org.password);
    expect(answer.refresh_token).toMatch(/^5Aep861[\w.]+$/);
    const held = new Connection({ oauth2, instanceUrl: server.url, accessToken: answer.access_token, refreshToken: answer.refresh_token, version: '66.0' });
    await held.logout(true);
    await expect(new OAuth2(oauth2).refreshToken(answer.refresh_token!)).rejects.toMatchObject({ name: 'invalid_grant', message: 'expired access/refresh token' });
    await expect(tokenConnection(server, answer.access_token).request('/services/oauth2/userinfo')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    // A made-up client id still logs in with the password flow, as before connected apps (without a refresh token).
    const plain = await new OAuth2({ clientId: 'cid', clientSecret: 'secret', loginUrl: server.url }).authenticate(org.username, org.password);
    expect(plain.access_token).toMatch(/^00D/);
    expect(plain.refresh_token).toBeUndefined();
  });

  it('keeps refresh tokens and connected apps across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localforce-oauth-'));
    try {
      let stored = await startTestServer({ inMemory: false, location: dir });
      const app = await (await fetch(`${stored.url}/_localforce/orgs/${stored.org.id}/connected-apps`, {
        method: 'POST', headers: { Authorization: `Bearer ${stored.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Kept', certificate: pair.cert }),
      })).json() as { consumerKey: string; consumerSecret: string };
      const url = await (await fetch(`${stored.url}/_localforce/orgs/${stored.org.id}/sfdx-auth-url`, {
        method: 'POST', headers: { Authorization: `Bearer ${stored.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ consumerKey: app.consumerKey }),
      })).json() as { sfdxAuthUrl: string };
      await stored.close();
      stored = await startTestServer({ inMemory: false, location: dir });
      try {
        const refreshToken = url.sfdxAuthUrl.split(':')[3]!.split('@')[0]!;
        const oauth2 = new OAuth2({ clientId: app.consumerKey, clientSecret: app.consumerSecret, loginUrl: stored.url });
        expect((await oauth2.refreshToken(refreshToken)).access_token).toMatch(/^00D/);
        const signed = jwt.sign({ iss: app.consumerKey, sub: stored.org.username, aud: stored.url, exp: Math.floor(Date.now() / 1000) + 60 }, pair.key, { algorithm: 'RS256' });
        expect((await oauth2.requestToken({ grant_type: JWT_BEARER, assertion: signed }) as { access_token: string }).access_token).toMatch(/^00D/);
        // The secret is sealed in the store file, not written in clear.
        expect(readFileSync(join(dir, 'localforce.sqlite')).includes(Buffer.from(app.consumerSecret))).toBe(false);
      } finally {
        await stored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
