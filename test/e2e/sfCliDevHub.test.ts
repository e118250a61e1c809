/**
 * The real sf CLI using Localforce as its Dev Hub, as a CI pipeline does: the hub logged in by access
 * token and by JWT, `sf org create scratch` from a definition file with settings and from `--edition`,
 * `sf org list`, `sf org display`, `sf org open --url-only`, `sf org list limits`, `sf org delete scratch`
 * and then a refused login, expiry by moving the hub's clock, and the refusals of a bad definition.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminFetch, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfRunner } from '../support/sfCli';
import { requireTool, runTool } from '../support/tools';

let server: LocalforceServer;
let scratch: string;
let project: string;
let sf: SfRunner;

const CLIENT_KEY = 'localforce_hub_app.0001';

beforeAll(async () => {
  requireTool('openssl');
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-hub-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startTestServer();
  project = join(scratch, 'project');
  mkdirSync(join(project, 'config'), { recursive: true });
  mkdirSync(join(project, 'force-app', 'main', 'default'), { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  writeFileSync(join(project, 'config', 'project-scratch-def.json'), JSON.stringify({
    orgName: 'Acme CI', edition: 'Developer', features: ['EnableSetPasswordInApi', 'Communities'],
    settings: { lightningExperienceSettings: { enableS1DesktopEnabled: true }, mobileSettings: { enableS1EncryptedStoragePref2: false } },
  }));
  const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'hub', '--set-default-dev-hub', '--no-prompt'],
    { cwd: project, env: { SF_ACCESS_TOKEN: server.org.accessToken } });
  expect(login.code).toBe(0);
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(6 * SF_COMMAND_TIMEOUT_MS);

/** A logged-in org's access token, as `sf org display --verbose` shows it when asked to show secrets. */
async function accessTokenOf(alias: string): Promise<string> {
  const shown = await sf(['org', 'display', '-o', alias, '--verbose'], { cwd: project, env: { SF_TEMP_SHOW_SECRETS: 'true' } });
  expect(shown.json.result.accessToken).toMatch(/^00D/);
  return shown.json.result.accessToken as string;
}

describe('a pipeline against a Localforce Dev Hub', () => {
  let username: string;

  it('logs the hub in as a Dev Hub: sf org list shows it under Dev Hubs', async () => {
    const list = await sf(['org', 'list'], { cwd: project });
    expect(list.code).toBe(0);
    expect(list.json.result.devHubs).toEqual([expect.objectContaining({ alias: 'hub', username: server.org.username, isDevHub: true })]);
  });

  it('creates a scratch org from a definition file with settings, which the CLI then knows as a scratch org', async () => {
    const made = await sf(['org', 'create', 'scratch', '-f', 'config/project-scratch-def.json', '--alias', 'ci', '--duration-days', '2', '--set-default', '--wait', '5'], { cwd: project });
    expect(made.code).toBe(0);
    // The CLI's own notices (hidden secrets, plain http) only: nothing failed, nothing about tracking.
    expect((made.json.warnings ?? []).filter((w) => /fail|error|timed out|tracking|settings/i.test(w))).toEqual([]);
    expect(made.json.result).toMatchObject({ username: expect.stringMatching(/^test-\w+@example\.com$/), orgId: expect.stringMatching(/^00D/) });
    ({ username } = made.json.result as { username: string });
    expect(made.json.result.scratchOrgInfo).toMatchObject({ Status: 'Active', OrgName: 'Acme CI', Edition: 'Developer', Features: 'EnableSetPasswordInApi;Communities' });
    expect(made.json.result.scratchOrgInfo.AuthCode).toBeUndefined();

    // The settings were deployed to the new org, as the CLI deploys them.
    const settings = await tokenConnection(server, await accessTokenOf('ci')).metadata.read('LightningExperienceSettings', 'LightningExperience');
    expect(settings).toMatchObject({ fullName: 'LightningExperience', enableS1DesktopEnabled: true });

    const display = await sf(['org', 'display', '-o', 'ci'], { cwd: project });
    expect(display.code).toBe(0);
    expect(display.json.result).toMatchObject({ username, status: 'Active', devHubId: server.org.username, createdBy: server.org.username, orgName: 'Acme CI', edition: 'Developer' });
    const open = await sf(['org', 'open', '-o', 'ci', '--url-only'], { cwd: project });
    expect(open.json.message ?? '').toBe('');
    expect(open.code).toBe(0);
    expect(open.json.result.url).toMatch(new RegExp(`^${server.url}/secur/frontdoor\\.jsp\\?otp=`));
  });

  it('lists it with the hub, and the limits the hub reports', async () => {
    const list = await sf(['org', 'list'], { cwd: project });
    expect(list.json.result.scratchOrgs).toEqual([expect.objectContaining({ alias: 'ci', username, status: 'Active', devHubUsername: server.org.username, isExpired: false })]);
    const limits = await sf(['org', 'list', 'limits', '-o', 'hub'], { cwd: project });
    expect(limits.code).toBe(0);
    expect(limits.json.result).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ActiveScratchOrgs', max: 100, remaining: 99 })]));
  });

  it('creates one with --edition, and refuses a bad definition with the hub\'s words', async () => {
    const byEdition = await sf(['org', 'create', 'scratch', '--edition', 'enterprise', '--alias', 'ent', '--wait', '5'], { cwd: project });
    expect(byEdition.code).toBe(0);
    expect(byEdition.json.result.scratchOrgInfo).toMatchObject({ Edition: 'Enterprise', Status: 'Active' });
    writeFileSync(join(project, 'config', 'bad-feature.json'), JSON.stringify({ edition: 'Developer', features: ['PlatfromCache'] }));
    const badFeature = await sf(['org', 'create', 'scratch', '-f', 'config/bad-feature.json', '--wait', '5'], { cwd: project });
    expect(badFeature.code).not.toBe(0);
    expect(badFeature.json.message).toContain('PlatfromCache is not a valid Features value.');
    writeFileSync(join(project, 'config', 'bad-setting.json'), JSON.stringify({ edition: 'Developer', settings: { lightningExperienceSettings: { noSuchSetting: true } } }));
    const badSetting = await sf(['org', 'create', 'scratch', '-f', 'config/bad-setting.json', '--alias', 'badsetting', '--wait', '5'], { cwd: project });
    expect(badSetting.code).toBe(68);
    expect(`${badSetting.json.message} ${JSON.stringify(badSetting.json)}`).toContain('noSuchSetting');
  });

  it('deletes the scratch org, after which its login is refused', async () => {
    const token = await accessTokenOf('ent');
    expect((await tokenConnection(server, token).query('SELECT Id FROM Organization')).totalSize).toBe(1);
    const deleted = await sf(['org', 'delete', 'scratch', '-o', 'ent', '--no-prompt'], { cwd: project });
    expect(deleted.code).toBe(0);
    const list = await sf(['org', 'list', '--all'], { cwd: project });
    expect(list.json.result.scratchOrgs.map((o: { alias?: string }) => o.alias)).not.toContain('ent');
    await expect(tokenConnection(server, token).query('SELECT Id FROM Organization')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  });

  it('expires the scratch org when the hub\'s clock passes its end', async () => {
    const moved = await adminFetch(server, `/_localforce/orgs/${server.org.id}/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offsetMs: 5 * 86400_000 }) });
    expect(moved.status).toBe(200);
    try {
      const list = await sf(['org', 'list', '--all'], { cwd: project });
      // Status is the hub's; the CLI's own isExpired reads the machine's clock, which did not move.
      expect(list.json.result.scratchOrgs).toEqual(expect.arrayContaining([expect.objectContaining({ alias: 'ci', status: 'Expired' })]));
      const display = await sf(['org', 'display', '-o', 'ci'], { cwd: project });
      expect(display.json.result?.connectedStatus ?? display.json.message).not.toBe('Connected');
    } finally {
      await adminFetch(server, `/_localforce/orgs/${server.org.id}/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({}) });
    }
  });
});

describe('a hub logged in with JWT', () => {
  it('creates a scratch org whose first login is the hub app\'s JWT, as the CLI does for JWT hubs', async () => {
    const keys = await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '{server.key}', '-out', '{server.crt}', '-days', '30', '-subj', '/CN=localforce-hub'],
      {}, ['server.key', 'server.crt']);
    expect(keys.status).toBe(0);
    const keyFile = join(scratch, 'hub.key');
    writeFileSync(keyFile, keys.files['server.key']!, { mode: 0o600 });
    const app = await adminFetch(server, `/_localforce/orgs/${server.org.id}/connected-apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'HubCI', consumerKey: CLIENT_KEY, certificate: keys.files['server.crt']!.toString(), scopes: ['Api', 'RefreshToken'] }),
    });
    expect(app.status).toBe(201);
    const login = await sf(['org', 'login', 'jwt', '--username', server.org.username, '--jwt-key-file', keyFile, '--client-id', CLIENT_KEY,
      '--instance-url', server.url, '--alias', 'jwthub'], { cwd: project });
    expect(login.code).toBe(0);
    const made = await sf(['org', 'create', 'scratch', '--edition', 'developer', '--target-dev-hub', 'jwthub', '--alias', 'jwtscratch', '--wait', '5'], { cwd: project });
    expect(made.code).toBe(0);
    expect(made.json.result.scratchOrgInfo.ConnectedAppConsumerKey).toBe(CLIENT_KEY);
    const display = await sf(['org', 'display', '-o', 'jwtscratch'], { cwd: project });
    expect(display.code).toBe(0);
    expect(display.json.result).toMatchObject({ status: 'Active', clientId: CLIENT_KEY, devHubId: server.org.username });
  });
});
