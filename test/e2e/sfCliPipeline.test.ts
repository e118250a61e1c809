/**
 * The README's CI pipeline, as written there: its five `sf` commands are read from the block after
 * `<!-- pipeline -->` in README.md and run in order by the real CLI against a Localforce hub, in a
 * project with a definition file, an Apex class and its test. Only the server's address and the key's
 * path are put in for the README's; each command must succeed, and what it left behind is checked.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adminFetch, startTestServer, type LocalforceServer } from '../support/localforce';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfResult, type SfRunner } from '../support/sfCli';
import { requireTool, runTool } from '../support/tools';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
const CLIENT_ID = 'my_ci_app.consumer_key';

/** The pipeline's commands as the README gives them, one per line. */
function pipelineCommands(): string[] {
  const block = /<!-- pipeline -->\s*```sh\n([\s\S]*?)```/.exec(README);
  if (!block) throw new Error('README.md has no <!-- pipeline --> block');
  return block[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
}

let server: LocalforceServer;
let scratch: string;
let project: string;
let sf: SfRunner;

const CLASS = (name: string, body: string) => [`${name}.cls`, body, `${name}.cls-meta.xml`,
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n'] as const;

beforeAll(async () => {
  requireTool('openssl');
  scratch = mkdtempSync(join(tmpdir(), 'localforce-pipeline-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startTestServer();
  project = join(scratch, 'project');
  const classes = join(project, 'force-app', 'main', 'default', 'classes');
  mkdirSync(classes, { recursive: true });
  mkdirSync(join(project, 'config'), { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  writeFileSync(join(project, 'config', 'project-scratch-def.json'), JSON.stringify({
    orgName: 'Pipeline', edition: 'Developer', features: ['EnableSetPasswordInApi'], settings: { lightningExperienceSettings: { enableS1DesktopEnabled: true } },
  }));
  for (const [name, body] of [
    ['Greeting', 'public with sharing class Greeting {\n    public static String hello(String name) {\n        return \'Hello \' + name;\n    }\n}\n'],
    ['GreetingTest', '@isTest\nprivate class GreetingTest {\n    @isTest static void saysHello() {\n        System.assertEquals(\'Hello Ada\', Greeting.hello(\'Ada\'));\n    }\n}\n'],
  ]) {
    const [file, text, meta, metaText] = CLASS(name!, body!);
    writeFileSync(join(classes, file), text);
    writeFileSync(join(classes, meta), metaText);
  }
  // The README's steps 1 to 3 of the JWT section: a key, its certificate in a connected app of the hub.
  const keys = await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '{server.key}', '-out', '{server.crt}', '-days', '30', '-subj', '/CN=ci'],
    {}, ['server.key', 'server.crt']);
  if (keys.status !== 0) throw new Error(`openssl failed: ${keys.stderr}`);
  writeFileSync(join(project, 'server.key'), keys.files['server.key']!, { mode: 0o600 });
  const app = await adminFetch(server, `/_localforce/orgs/${server.org.id}/connected-apps`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'CI', consumerKey: CLIENT_ID, certificate: keys.files['server.crt']!.toString(), scopes: ['Api', 'RefreshToken'] }),
  });
  if (app.status !== 201) throw new Error(`connected app: ${app.status} ${await app.text()}`);
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(8 * SF_COMMAND_TIMEOUT_MS);

it('runs the README\'s five pipeline commands as written, each succeeding', async () => {
  const commands = pipelineCommands();
  expect(commands).toHaveLength(5);
  const results: SfResult[] = [];
  for (const line of commands) {
    const words = line.replace('http://127.0.0.1:8080', server.url).split(/\s+/);
    expect(words[0]).toBe('sf');
    const result = await sf(words.slice(1), { cwd: project });
    if (result.code !== 0) throw new Error(`${line}\nexited ${result.code}: ${result.json.message ?? result.stderr}`);
    results.push(result);
  }
  const [, created, deployed, tested, deleted] = results as [SfResult, SfResult, SfResult, SfResult, SfResult];
  expect(created.json.result.scratchOrgInfo).toMatchObject({ Status: 'Active', OrgName: 'Pipeline' });
  // The tracked deploy sent the project's two classes, and waited on nothing.
  expect(deployed.json.result.files.map((f: { fullName: string }) => f.fullName).sort()).toEqual(['Greeting', 'Greeting', 'GreetingTest', 'GreetingTest']);
  expect((deployed.json.warnings ?? []).filter((w) => /SourceMember|tracking/i.test(w))).toEqual([]);
  expect(tested.json.result.summary).toMatchObject({ outcome: 'Passed', testsRan: 1, passing: 1 });
  const junit = readdirSync(join(project, 'test-results')).find((f) => f.endsWith('junit.xml'));
  expect(junit).toBeDefined();
  expect(readFileSync(join(project, 'test-results', junit!), 'utf8')).toContain('saysHello');
  expect(deleted.json.result).toMatchObject({ orgId: created.json.result.orgId });
  expect(existsSync(join(project, '.sf', 'orgs', created.json.result.orgId))).toBe(false);
  // The scratch org is gone on the hub too.
  const listed = await (await adminFetch(server, `/_localforce/orgs/${server.org.id}/scratch-orgs`)).json() as { orgId: string; status: string }[];
  expect(listed.find((o) => o.orgId === created.json.result.orgId)?.status).toBe('Deleted');
});
