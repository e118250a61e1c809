/**
 * The real sf CLI logging in the ways CI pipelines do, against Localforce over HTTPS (the CLI trusts
 * the local CA through NODE_EXTRA_CA_CERTS): `sf org login jwt` with a key made by openssl whose
 * certificate is deployed as a ConnectedApp with `sf project deploy start`, and `sf org login
 * sfdx-url` from a file and from standard input; then the failures a user meets, as the CLI shows them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalforce, type LocalforceServer } from '../../src';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfResult, type SfRunner } from '../support/sfCli';
import { requireTool, runTool } from '../support/tools';

let server: LocalforceServer;
let scratch: string;
let sf: SfRunner;
let trust: Record<string, string>;
let project: string;
let keys: { key: string; stranger: string };
let consumerKey: string;

const CLIENT_KEY = 'localforce_ci_app.0001';

async function opensslKeyPair(days: number): Promise<{ key: string; cert: string }> {
  const run = await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '{server.key}', '-out', '{server.crt}',
    '-days', String(days), '-subj', '/CN=localforce-ci'], {}, ['server.key', 'server.crt']);
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { key: run.files['server.key']!.toString(), cert: run.files['server.crt']!.toString() };
}

const connectedApp = (certificate: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>ci@example.com</contactEmail>
    <label>CI</label>
    <oauthConfig>
        <callbackUrl>http://localhost:1717/OauthRedirect</callbackUrl>
        <certificate>${certificate.trim()}</certificate>
        <consumerKey>${CLIENT_KEY}</consumerKey>
        <isAdminApproved>false</isAdminApproved>
        <scopes>Api</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>infinite</refreshTokenPolicy>
    </oauthPolicy>
</ConnectedApp>
`;

beforeAll(async () => {
  requireTool('openssl');
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-ci-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startLocalforce({ port: 0, inMemory: true, https: true });
  trust = { NODE_EXTRA_CA_CERTS: server.caPath! };
  const [app, stranger] = await Promise.all([opensslKeyPair(30), opensslKeyPair(30)]);
  keys = { key: join(scratch, 'server.key'), stranger: join(scratch, 'stranger.key') };
  writeFileSync(keys.key, app.key, { mode: 0o600 });
  writeFileSync(keys.stranger, stranger.key, { mode: 0o600 });
  project = join(scratch, 'project');
  mkdirSync(join(project, 'force-app', 'main', 'default', 'connectedApps'), { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  writeFileSync(join(project, 'force-app', 'main', 'default', 'connectedApps', 'CI.connectedApp-meta.xml'), connectedApp(app.cert));
  consumerKey = CLIENT_KEY;
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(4 * SF_COMMAND_TIMEOUT_MS);

const jwtLogin = (o: { key?: string; clientId?: string; username?: string; alias?: string } = {}): Promise<SfResult> =>
  sf(['org', 'login', 'jwt', '--username', o.username ?? server.org.username, '--jwt-key-file', o.key ?? keys.key,
    '--client-id', o.clientId ?? consumerKey, '--instance-url', server.url, '--alias', o.alias ?? 'jwt'], { cwd: project, env: trust });

/** What the CLI tells the user, whatever the channel. */
const said = (r: SfResult) => `${r.json.message ?? ''} ${r.stderr}`;

/** A POST to the server over HTTPS, trusting its local CA as the CLI does. */
function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers, ca: readFileSync(server.caPath!) }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => done({ status: res.statusCode!, text }));
    });
    req.on('error', fail).end(body);
  });
}

const admin = (path: string, body: unknown) =>
  post(path, JSON.stringify(body), { Authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' });

describe('CI logins with the sf CLI', () => {
  it('deploys a ConnectedApp holding the certificate, then logs in with sf org login jwt and the matching key', async () => {
    const admin = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'admin', '--no-prompt'],
      { cwd: project, env: { SF_ACCESS_TOKEN: server.org.accessToken, ...trust } });
    expect(admin.code).toBe(0);
    const deployed = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'admin'], { cwd: project, env: trust });
    expect(deployed.code).toBe(0);
    expect(deployed.json.result).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 1 });

    const r = await jwtLogin();
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ username: server.org.username, orgId: server.org.id, clientId: consumerKey });
    expect(r.json.result.instanceUrl.replace(/\/$/, '')).toBe(server.url);
    const listed = await sf(['org', 'list', 'metadata', '--metadata-type', 'ConnectedApp', '--target-org', 'jwt'], { cwd: project, env: trust });
    expect(listed.code).toBe(0);
    expect(listed.json.result.map((p: { fullName: string }) => p.fullName)).toEqual(['CI']);
  });

  it('shows the real service\'s reasons for a wrong key, an unknown client id and an unknown username', async () => {
    const wrongKey = await jwtLogin({ key: keys.stranger, alias: 'bad' });
    expect(wrongKey.code).not.toBe(0);
    expect(said(wrongKey)).toContain('invalid assertion');
    const unknownClient = await jwtLogin({ clientId: '3MVG9NoSuchApp', alias: 'bad' });
    expect(unknownClient.code).not.toBe(0);
    expect(said(unknownClient)).toContain('client identifier invalid');
    const unknownUser = await jwtLogin({ username: 'nobody@example.com', alias: 'bad' });
    expect(unknownUser.code).not.toBe(0);
    expect(said(unknownUser)).toContain("user hasn't approved this consumer");
  });

  it('logs in with sf org login sfdx-url from a file and from standard input, and sf org display --verbose gives a URL that logs in again', async () => {
    const made = await admin(`/_localforce/orgs/${server.org.id}/sfdx-auth-url`, { consumerKey });
    expect(made.status).toBe(201);
    const { sfdxAuthUrl } = JSON.parse(made.text) as { sfdxAuthUrl: string };
    const file = join(scratch, 'auth-url.txt');
    writeFileSync(file, sfdxAuthUrl);
    const fromFile = await sf(['org', 'login', 'sfdx-url', '--sfdx-url-file', file, '--alias', 'fromfile'], { cwd: project, env: trust });
    expect(fromFile.code).toBe(0);
    expect(fromFile.json.result).toMatchObject({ username: server.org.username, orgId: server.org.id });

    const fromStdin = await sf(['org', 'login', 'sfdx-url', '--sfdx-url-stdin', '-', '--alias', 'fromstdin'], { cwd: project, env: trust, input: `${sfdxAuthUrl}\n` });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.json.result).toMatchObject({ username: server.org.username, orgId: server.org.id });

    const shown = await sf(['org', 'display', '--target-org', 'fromfile', '--verbose'], { cwd: project, env: { ...trust, SF_TEMP_SHOW_SECRETS: 'true' } });
    expect(shown.code).toBe(0);
    const again = shown.json.result.sfdxAuthUrl as string;
    expect(again).toMatch(new RegExp(`^force://${consumerKey.replace(/\./g, '\\.')}:[0-9A-F]{64}:5Aep861[\\w.-]+@${new URL(server.url).host}$`));
    const jsonFile = join(scratch, 'display.json');
    writeFileSync(jsonFile, shown.stdout);
    const relogin = await sf(['org', 'login', 'sfdx-url', '--sfdx-url-file', jsonFile, '--alias', 'again'], { cwd: project, env: trust });
    expect(relogin.code).toBe(0);
    const deployed = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'again'], { cwd: project, env: trust });
    expect(deployed.code).toBe(0);

    // Revoked: the URL no longer logs in.
    const revoked = await post('/services/oauth2/revoke', new URLSearchParams({ token: sfdxAuthUrl.split(':')[3]!.split('@')[0]! }).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' });
    expect(revoked.status).toBe(200);
    const refused = await sf(['org', 'login', 'sfdx-url', '--sfdx-url-file', file, '--alias', 'revoked'], { cwd: project, env: trust });
    expect(refused.code).not.toBe(0);
    expect(said(refused)).toContain('expired access/refresh token');
  });

  it('refuses the JWT login once the certificate has expired on the org clock, and once the app is deleted', async () => {
    await admin(`/_localforce/orgs/${server.org.id}/clock`, { offsetMs: 40 * 86_400_000 });
    try {
      const expired = await jwtLogin({ alias: 'late' });
      expect(expired.code).not.toBe(0);
      expect(said(expired)).toMatch(/the certificate of connected app CI expired on \d{4}-/);
    } finally {
      await admin(`/_localforce/orgs/${server.org.id}/clock`, {});
    }
    // A failed JWT login drops the CLI's saved login of that username: log in again to delete the app.
    const relogin = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'admin', '--no-prompt'],
      { cwd: project, env: { SF_ACCESS_TOKEN: server.org.accessToken, ...trust } });
    expect(relogin.code).toBe(0);
    const deleted = await sf(['project', 'delete', 'source', '--metadata', 'ConnectedApp:CI', '--target-org', 'admin', '--no-prompt'], { cwd: project, env: trust });
    expect({ code: deleted.code, message: deleted.json.message }).toEqual({ code: 0, message: undefined });
    const gone = await jwtLogin({ alias: 'gone' });
    expect(gone.code).not.toBe(0);
    expect(said(gone)).toContain('client identifier invalid');
  });
});
