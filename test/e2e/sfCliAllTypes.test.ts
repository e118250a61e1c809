/**
 * End-to-end over many metadata types: the real Salesforce CLI (`sf`, pinned in scripts/install-sf-cli.sh)
 * deploys fixtures/all-types-project (a small "Property Broker" app in source format, 40+ metadata types
 * covering every content strategy: single XML files, content files, bundles, folders, decomposed objects,
 * custom labels, workflows) to a Localforce started in this process, retrieves it into an empty copy
 * of the project, and expects the very same files back, byte for byte. The fixture is written the way
 * SDR writes source (convert source -> mdapi -> source gives identical bytes), so any difference is
 * the server's.
 *
 * The tests run in order, as one user's session would: log in, deploy, retrieve, redeploy, run tests.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { startTestServer, type LocalforceServer } from '../support/localforce';
import { installSfCli, SF_INSTALL_TIMEOUT_MS, type SfResult, type SfRunner } from '../support/sfCli';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'fixtures', 'all-types-project');
const SOURCE = join('force-app', 'main', 'default');
const MANIFEST = join('manifest', 'package.xml');
const ALIAS = 'localforce-all-types';
/** A test class of the fixture (four test methods). */
const TEST_CLASS = 'BrokerServiceTest';
const COMMAND_TIMEOUT_MS = 180_000;

type SfRun = SfResult;

/** The `files` table of a deploy or retrieve: one row per file, as the CLI prints it. */
type FileRow = { fullName: string; type: string; state: string; filePath?: string; error?: string; problemType?: string };

let server: LocalforceServer;
let sf: SfRunner;
let scratch: string;
let home: string;

const asArray = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/** A fresh copy of the fixture project, so every test starts from the files as committed. */
function project(name: string): string {
  const dir = join(scratch, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, as sorted paths relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The fixture manifest's members, as `Type:member`. */
function manifestMembers(): string[] {
  const xml = readFileSync(join(FIXTURE, MANIFEST), 'utf8');
  const members: string[] = [];
  for (const [, body] of xml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
    const name = /<name>([^<]*)<\/name>/.exec(body!)![1];
    for (const [, member] of body!.matchAll(/<members>([^<]*)<\/members>/g)) members.push(`${name}:${member}`);
  }
  return members;
}

const fileRows = (r: SfRun): FileRow[] => (r.json.result?.files ?? []) as FileRow[];
/** A row as `state type fullName path`, the path relative to the project: readable in a failure message. */
const describeRow = (dir: string) => (f: FileRow) => `${f.state} ${f.type} ${f.fullName} ${f.filePath ? relative(dir, f.filePath) : ''}${f.error ? ` (${f.error})` : ''}`;
/** What a failed command said, for the failure message of the assertion that follows it. */
const summary = (r: SfRun) => JSON.stringify({
  code: r.code, status: r.json.status, name: r.json.name, message: r.json.message,
  resultStatus: r.json.result?.status, componentFailures: asArray(r.json.result?.details?.componentFailures).slice(0, 20),
  messages: asArray(r.json.result?.messages).slice(0, 20),
}, null, 2);
/** Exit code and status, with what went wrong when they are not 0: compared to {@link OK}. */
const outcome = (r: SfRun) => ({ code: r.code, status: r.json.status, failure: r.code === 0 && r.json.status === 0 ? '' : summary(r) });
const OK = { code: 0, status: 0, failure: '' };

beforeAll(async () => {
  server = await startTestServer();
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-all-'));
  home = join(scratch, 'home');
  // Once per machine: later runs find the pinned version in .cache/sf-cli and return at once.
  sf = await installSfCli(home, COMMAND_TIMEOUT_MS);

  const login = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', ALIAS, '--no-prompt'], {
    env: { SF_ACCESS_TOKEN: server.org.accessToken },
  });
  if (login.code !== 0) throw new Error(`sf org login access-token failed:\n${summary(login)}`);
}, SF_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(3 * COMMAND_TIMEOUT_MS);

describe('the all-types fixture', () => {
  it('lists at least 30 metadata types in its manifest', () => {
    const types = new Set(manifestMembers().map((m) => m.slice(0, m.indexOf(':'))));
    expect(types.size).toBeGreaterThanOrEqual(30);
    expect(filesUnder(join(FIXTURE, SOURCE)).length).toBeGreaterThan(100);
  });
});

describe('sf project deploy start', () => {
  it('deploys every component of the fixture with --source-dir', async () => {
    const dir = project('deploy-source-dir');
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: dir });
    expect(outcome(r)).toEqual(OK);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, checkOnly: false, numberComponentErrors: 0 });
    expect(asArray(r.json.result.details?.componentFailures)).toEqual([]);
    expect(r.json.result.numberComponentsDeployed).toBe(manifestMembers().length);
    expect(r.json.result.numberComponentsTotal).toBe(manifestMembers().length);

    const rows = fileRows(r);
    expect(rows.filter((f) => f.state === 'Failed').map(describeRow(dir))).toEqual([]);
    // A first deploy to a fresh org creates everything.
    expect(rows.filter((f) => f.state !== 'Created').map(describeRow(dir))).toEqual([]);
    // The CLI lists a file only when the server reported its component: every file of the project is there, but
    // for the empty parent of Account's fields, which the CLI leaves out of the manifest (so no org reports it).
    const listed = new Set(rows.map((f) => relative(join(dir, SOURCE), f.filePath ?? '').split(sep).join('/')));
    expect(filesUnder(join(dir, SOURCE)).filter((f) => !listed.has(f))).toEqual(['objects/Account/Account.object-meta.xml']);
  });

  it('deploys the same components again with --manifest', async () => {
    const dir = project('deploy-manifest');
    const r = await sf(['project', 'deploy', 'start', '--manifest', MANIFEST, '--target-org', ALIAS], { cwd: dir });
    expect(outcome(r)).toEqual(OK);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, numberComponentErrors: 0 });
    expect(asArray(r.json.result.details?.componentFailures)).toEqual([]);
    expect(r.json.result.numberComponentsDeployed).toBe(manifestMembers().length);
    expect(fileRows(r).filter((f) => f.state === 'Failed').map(describeRow(dir))).toEqual([]);
  });
});

describe('sf project retrieve start', () => {
  let retrieved: string;

  it('retrieves the manifest into an empty project, file for file and byte for byte as the fixture', async () => {
    retrieved = project('retrieve-manifest');
    // Keep sfdx-project.json, the manifest and the package directory itself; the source goes.
    rmSync(join(retrieved, SOURCE), { recursive: true, force: true });
    const r = await sf(['project', 'retrieve', 'start', '--manifest', MANIFEST, '--target-org', ALIAS], { cwd: retrieved });
    expect(outcome(r)).toEqual(OK);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true });
    expect(fileRows(r).filter((f) => f.state === 'Failed').map(describeRow(retrieved))).toEqual([]);

    const want = filesUnder(join(FIXTURE, SOURCE));
    const got = filesUnder(join(retrieved, SOURCE));
    const gotSet = new Set(got);
    const wantSet = new Set(want);
    const differing = want.filter((f) => gotSet.has(f) && !readFileSync(join(FIXTURE, SOURCE, f)).equals(readFileSync(join(retrieved, SOURCE, f))));
    expect({
      missing: want.filter((f) => !gotSet.has(f)),
      unexpected: got.filter((f) => !wantSet.has(f)),
      differing,
    }).toEqual({ missing: [], unexpected: [], differing: [] });
  });

  it('deploys what it retrieved as a no-op: every file Unchanged, none Created', async () => {
    expect(retrieved).toBeDefined();
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: retrieved });
    expect(outcome(r)).toEqual(OK);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, numberComponentErrors: 0 });
    const rows = fileRows(r);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((f) => f.state === 'Created').map(describeRow(retrieved))).toEqual([]);
    expect(rows.filter((f) => f.state !== 'Unchanged').map(describeRow(retrieved))).toEqual([]);
    // The same in the server's own words (the package.xml entry has no component type).
    const changed = asArray(r.json.result.details?.componentSuccesses as { componentType?: string; fullName: string; changed: unknown; created: unknown }[])
      .filter((c) => c.componentType && (String(c.changed) === 'true' || String(c.created) === 'true'))
      .map((c) => `${c.componentType} ${c.fullName}`);
    expect(changed).toEqual([]);
  });
});

describe('sf project deploy start --test-level RunSpecifiedTests', () => {
  it(`runs the tests of ${TEST_CLASS} and reports them`, async () => {
    const dir = project('run-specified-tests');
    const r = await sf([
      'project', 'deploy', 'start', '--source-dir', 'force-app', '--test-level', 'RunSpecifiedTests', '--tests', TEST_CLASS, '--target-org', ALIAS,
    ], { cwd: dir });
    expect(outcome(r)).toEqual(OK);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, runTestsEnabled: true });
    expect(Number(r.json.result.numberTestsTotal)).toBeGreaterThan(0);
    expect(Number(r.json.result.numberTestErrors)).toBe(0);
    expect(Number(r.json.result.numberTestsCompleted)).toBe(Number(r.json.result.numberTestsTotal));
    // Only the class asked for ran.
    const runTestResult = r.json.result.details?.runTestResult ?? {};
    const ran = asArray(runTestResult.successes as { name: string }[]).concat(asArray(runTestResult.failures as { name: string }[]));
    expect(ran.length).toBe(Number(r.json.result.numberTestsTotal));
    expect([...new Set(ran.map((t) => t.name))]).toEqual([TEST_CLASS]);
  });

  it('fails the deploy when the test class does not exist', async () => {
    const dir = project('run-missing-tests');
    const r = await sf([
      'project', 'deploy', 'start', '--source-dir', 'force-app', '--test-level', 'RunSpecifiedTests', '--tests', 'NoSuchClass', '--target-org', ALIAS,
    ], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.json.status).not.toBe(0);
    if (r.json.result) expect(r.json.result).toMatchObject({ success: false });
    // The failure names the class that is not there (the components themselves deploy, as above).
    expect(JSON.stringify(r.json)).toContain('NoSuchClass');
  });
});
