/**
 * The real sf CLI against Localforce over HTTPS (--https): the CLI trusts the local CA through
 * NODE_EXTRA_CA_CERTS in its environment, logs in, deploys and retrieves as against a real org.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalforce, type LocalforceServer } from '../../src';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfResult } from '../support/sfCli';

const FIXTURE = resolve(__dirname, '../../fixtures/sfdx-project');
const CERTS = join('force-app', 'main', 'default', 'certs');

let server: LocalforceServer;
let scratch: string;
let sf: Awaited<ReturnType<typeof installSfCli>>;
let trust: Record<string, string>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-https-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startLocalforce({ port: 0, inMemory: true, location: join(scratch, 'store'), https: true });
  trust = { NODE_EXTRA_CA_CERTS: server.caPath! };
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(3 * SF_COMMAND_TIMEOUT_MS);

const login = (env: Record<string, string>): Promise<SfResult> =>
  sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'secure', '--no-prompt'], { env: { SF_ACCESS_TOKEN: server.org.accessToken, ...env } });

describe('the sf CLI over HTTPS', () => {
  it('cannot log in before it trusts the local CA', async () => {
    const r = await login({});
    expect(r.code).not.toBe(0);
    expect(`${r.json.message} ${r.stderr}`).toMatch(/self[- ]signed certificate in certificate chain|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('logs in with NODE_EXTRA_CA_CERTS, with no insecure-protocol warning, then deploys and retrieves', async () => {
    const r = await login(trust);
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ username: server.org.username, orgId: server.org.id });
    expect(r.json.result.instanceUrl.replace(/\/$/, '')).toBe(server.url);
    expect(JSON.stringify(r.json.warnings ?? [])).not.toMatch(/insecure/i);

    const dir = join(scratch, 'project');
    cpSync(FIXTURE, dir, { recursive: true });
    const deployed = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'secure'], { cwd: dir, env: trust });
    expect(deployed.code).toBe(0);
    expect(deployed.json.result).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 2 });

    const retrieved = await sf(['project', 'retrieve', 'start', '--metadata', 'Certificate:Localforce_SelfSigned', '--target-org', 'secure'], { cwd: dir, env: trust });
    expect(retrieved.code).toBe(0);
    expect(readFileSync(join(dir, CERTS, 'Localforce_SelfSigned.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });
});
