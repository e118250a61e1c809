/**
 * The real sf CLI's Apex commands against Localforce: `sf apex run test` (asynchronous with coverage and
 * JUnit output, synchronous, single methods), `sf apex get test` (which needs the Streaming API's
 * handshake), `sf apex run` under each anonymous Apex policy, and `sf apex get log` / `sf apex list log`.
 * Outcomes and coverage are declared by the org's policies: the CLI must read them as it reads a real
 * org's, exit codes included (100 when a test fails).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminFetch, createOrg, startTestServer, type LocalforceServer, type TestOrg } from '../support/localforce';
import { installSfCli, SF_COMMAND_TIMEOUT_MS, SF_INSTALL_TIMEOUT_MS, type SfRunner } from '../support/sfCli';

const ALIAS = 'apex';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const CLASSES: Record<string, string> = {
  Greeting: 'public with sharing class Greeting {\n    public static String hello(String name) {\n        String text = \'Hello \' + name;\n        text = text.trim();\n        return text;\n    }\n}\n',
  GreetingTest: '@isTest\nprivate class GreetingTest {\n    @isTest static void saysHello() {\n        System.assertEquals(\'Hello Ada\', Greeting.hello(\'Ada\'));\n    }\n' +
    '    @isTest static void saysHelloAgain() {\n        System.assertEquals(\'Hello Bo\', Greeting.hello(\'Bo\'));\n    }\n}\n',
  FarewellTest: '@isTest\nprivate class FarewellTest {\n    @isTest static void saysGoodbye() {\n        System.assert(true);\n    }\n}\n',
};

let server: LocalforceServer;
let org: TestOrg;
let scratch: string;
let project: string;
let sf: SfRunner;

const inProject = (args: string[]) => sf([...args, '--target-org', ALIAS], { cwd: project });
const apexFile = (name: string, code: string) => {
  const path = join(project, name);
  writeFileSync(path, code);
  return path;
};

async function admin(method: string, path: string, body?: unknown) {
  const res = await adminFetch(server, path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-apex-'));
  sf = await installSfCli(join(scratch, 'home'));
  server = await startTestServer();
  org = await createOrg(server);
  project = join(scratch, 'project');
  const classes = join(project, 'force-app', 'main', 'default', 'classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  for (const [name, body] of Object.entries(CLASSES)) {
    writeFileSync(join(classes, `${name}.cls`), body);
    writeFileSync(join(classes, `${name}.cls-meta.xml`), META);
  }
  const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', ALIAS, '--no-prompt'], { env: { SF_ACCESS_TOKEN: org.accessToken } });
  if (login.code !== 0) throw new Error(`login: ${login.json.message}`);
  const deploy = await inProject(['project', 'deploy', 'start', '--source-dir', 'force-app']);
  if (deploy.code !== 0) throw new Error(`deploy: ${deploy.json.message}`);
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(4 * SF_COMMAND_TIMEOUT_MS);

describe('sf apex run test', () => {
  let passedRunId: string;

  it('runs the org\'s local tests, with coverage and JUnit output, and passes', async () => {
    const out = join(scratch, 'results');
    const r = await inProject(['apex', 'run', 'test', '--wait', '2', '--code-coverage', '--result-format', 'junit', '--output-dir', out]);
    expect(r.code).toBe(0);
    const { summary, tests, coverage } = r.json.result;
    expect(summary).toMatchObject({ outcome: 'Passed', testsRan: 3, passing: 3, failing: 0, orgId: org.id, testRunId: expect.stringMatching(/^707/) });
    expect(tests.map((t: { FullName: string }) => t.FullName).sort()).toEqual(['FarewellTest.saysGoodbye', 'GreetingTest.saysHello', 'GreetingTest.saysHelloAgain']);
    expect(tests[0]).toMatchObject({ Outcome: 'Pass', Message: expect.stringMatching(/declared by Localforce's test outcome policy: the test was not run/) });
    // Greeting's four code lines, 75% declared: all but the last.
    expect(coverage.coverage).toEqual([expect.objectContaining({ name: 'Greeting', totalLines: 4, lines: { 2: 1, 3: 1, 4: 1, 5: 0 }, coveredPercent: 75 })]);
    expect(coverage.summary).toMatchObject({ totalLines: 4, coveredLines: 3, orgWideCoverage: '75%', testRunCoverage: '75%' });
    passedRunId = summary.testRunId;
    const junit = readdirSync(out).filter((f) => f.endsWith('-junit.xml'));
    expect(junit).toHaveLength(1);
    const xml = readFileSync(join(out, junit[0]!), 'utf8');
    expect(xml).toMatch(/<testsuite name="force.apex" [^>]*tests="3" failures="0"/);
    expect(xml).toContain('<testcase name="saysHelloAgain" classname="GreetingTest"');
  });

  it('exits 100 when the declared policy fails a class, with the policy\'s message', async () => {
    await admin('PUT', `/_localforce/orgs/${org.id}/apex-test-outcomes`, { default: 'pass', classes: { FarewellTest: 'fail' } });
    const r = await inProject(['apex', 'run', 'test', '--wait', '2']);
    expect(r.code).toBe(100);
    expect(r.json.result.summary).toMatchObject({ outcome: 'Failed', testsRan: 3, passing: 2, failing: 1 });
    const failed = r.json.result.tests.find((t: { Outcome: string }) => t.Outcome === 'Fail');
    expect(failed).toMatchObject({
      FullName: 'FarewellTest.saysGoodbye', Message: expect.stringContaining('set to fail by Localforce\'s test outcome policy'), StackTrace: 'Class.FarewellTest.saysGoodbye: line 1, column 1',
    });
  });

  it('runs one class synchronously', async () => {
    const r = await inProject(['apex', 'run', 'test', '--synchronous', '-n', 'GreetingTest', '--code-coverage']);
    expect(r.code).toBe(0);
    expect(r.json.result.summary).toMatchObject({ outcome: 'Passed', testsRan: 2, passing: 2 });
    expect(r.json.result.coverage.coverage).toEqual([expect.objectContaining({ name: 'Greeting' })]);
  });

  it('runs single methods named Class.method', async () => {
    const r = await inProject(['apex', 'run', 'test', '-t', 'FarewellTest.saysGoodbye', '-t', 'GreetingTest.saysHello', '--wait', '2']);
    expect(r.code).toBe(100);
    expect(r.json.result.tests.map((t: { FullName: string; Outcome: string }) => `${t.FullName} ${t.Outcome}`).sort())
      .toEqual(['FarewellTest.saysGoodbye Fail', 'GreetingTest.saysHello Pass']);
  });

  it('refuses a class that is not a test class in the service\'s words', async () => {
    const r = await inProject(['apex', 'run', 'test', '-n', 'Greeting', '--wait', '2']);
    expect(r.code).toBe(1);
    expect(r.json.message).toContain('This class name\'s value is invalid: Greeting');
  });

  it('without --wait, prints the id that sf apex get test then reports to the end (Streaming API handshake)', async () => {
    const started = await inProject(['apex', 'run', 'test', '-n', 'GreetingTest']);
    expect(started.code).toBe(0);
    const id = started.json.result.testRunId;
    expect(id).toMatch(/^707/);
    const r = await inProject(['apex', 'get', 'test', '-i', id, '--code-coverage']);
    expect(r.code).toBe(0);
    expect(r.json.result.summary).toMatchObject({ outcome: 'Passed', testsRan: 2, testRunId: id });
    const earlier = await inProject(['apex', 'get', 'test', '-i', passedRunId]);
    expect(earlier.json.result.summary).toMatchObject({ outcome: 'Passed', testsRan: 3 });
  });

  it('says an org without tests has none to run', async () => {
    const empty = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'empty', '--no-prompt'], { env: { SF_ACCESS_TOKEN: server.org.accessToken } });
    expect(empty.code).toBe(0);
    const r = await sf(['apex', 'run', 'test', '--target-org', 'empty', '--wait', '2'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.json.message).toBe('There are no Apex tests to run in this org.');
  });
});

describe('sf apex run, sf apex get log, sf apex list log', () => {
  it('refuses by default, after compiling, with the clear message and exit code 1', async () => {
    const r = await inProject(['apex', 'run', '-f', apexFile('hello.apex', "System.debug('hello');\n")]);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('executeRuntimeFailure');
    expect(r.json.message).toContain('Localforce does not execute Apex: this block compiled, but nothing was run');
  });

  it('reports a compile problem with its line and column', async () => {
    const r = await inProject(['apex', 'run', '-f', apexFile('broken.apex', 'Integer i = 1;\nSystem.debug(i)\nSystem.debug(2);\n')]);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('executeCompileFailure');
    expect(r.json.message).toContain('Compilation failed at Line 3 column 1 with the error:');
    expect(r.json.message).toContain('Expecting \';\' but was: \'System\'');
  });

  it('declares success under the succeed policy, with the log that says nothing ran', async () => {
    await admin('PUT', `/_localforce/orgs/${org.id}/anonymous-apex`, { policy: 'succeed' });
    const r = await inProject(['apex', 'run', '-f', apexFile('ok.apex', 'Integer i = 1;\n')]);
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ success: true, compiled: true, line: -1, column: -1 });
    expect(r.json.result.logs).toContain('Execute Anonymous: Integer i = 1;');
    expect(r.json.result.logs).toContain('declared successful by the org\'s anonymous Apex policy (succeed); none of it was run');
  });

  it('gets and lists the logs', async () => {
    const got = await inProject(['apex', 'get', 'log', '-n', '2']);
    expect(got.code).toBe(0);
    expect(got.json.result).toHaveLength(2);
    expect(got.json.result[0].log).toContain('Execute Anonymous: Integer i = 1;');
    const dir = join(scratch, 'logs');
    const saved = await inProject(['apex', 'get', 'log', '-n', '1', '--output-dir', dir]);
    expect(saved.code).toBe(0);
    expect(existsSync(dir) && readdirSync(dir).some((f) => /^07L\w+\.log$/.test(f))).toBe(true);
    const listed = await inProject(['apex', 'list', 'log']);
    expect(listed.code).toBe(0);
    // One per test run (five) and per compiled anonymous block (two); the compile failure ran nothing.
    expect(listed.json.result).toHaveLength(7);
    expect(listed.json.result[0]).toMatchObject({ Id: expect.stringMatching(/^07L/), Operation: expect.stringMatching(new RegExp(`^/services/Soap/s/\\d+\\.0/${org.id}$`)), Status: 'Success' });
    const ids = listed.json.result.map((l: { Id: string }) => l.Id);
    const one = await inProject(['apex', 'get', 'log', '-i', ids.at(-1)]);
    expect(one.json.result[0].log).toContain('Localforce runs no Apex');
  });
});
