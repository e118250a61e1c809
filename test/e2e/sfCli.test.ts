/**
 * End-to-end: the real Salesforce CLI (`sf`, pinned in scripts/install-sf-cli.sh) against a Localforce
 * started in this process. The CLI runs in an isolated HOME with telemetry and update checks off, and
 * every assertion reads its --json output or the files it wrote. The tests run in order, as one user's
 * session would: log in, deploy, retrieve (the retrieves read what the deploys made).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import {
  asArray, certMeta, certsZip, deployAndWait, packageXml, startTestServer, tokenConnection, type LocalforceServer,
} from '../support/localforce';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'fixtures', 'sfdx-project');
const CERTS = join('force-app', 'main', 'default', 'certs');
const ALIAS = 'localforce';
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const COMMAND_TIMEOUT_MS = 120_000;

interface SfRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The parsed --json output, when there is one. */
  json: { status: number; result?: any; name?: string; message?: string; warnings?: string[] };
}

let server: LocalforceServer;
let conn: Connection;
let sfRun: string;
let scratch: string;
let home: string;

/** `execFile` as a promise that also resolves on a non-zero exit: the exit code is part of what is tested. */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    execFile(file, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return fail(new Error(`${file} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      done({ code: err ? (err.code as unknown as number) : 0, stdout, stderr });
    });
  });
}

/** A quiet, offline CLI that sees nothing of this machine's own Salesforce setup. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, LANG: 'C.UTF-8', TMPDIR: tmpdir(),
    HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local', 'share'),
    SF_DISABLE_TELEMETRY: 'true', SF_DISABLE_AUTOUPDATE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true', CI: 'true', NO_COLOR: '1',
    ...extra,
  };
}

/** Runs `sf <args>` as a child process (async: this process must stay free to serve it); the exit code is returned, not thrown. */
function sfPlain(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return run(process.execPath, ['--no-deprecation', sfRun, ...args], { cwd: options.cwd ?? scratch, env: cliEnv(options.env), timeout: COMMAND_TIMEOUT_MS });
}

/** Runs `sf <args> --json` and parses what it prints. */
async function sf(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<SfRun> {
  const out = await sfPlain([...args, '--json'], options);
  let json: SfRun['json'];
  try {
    json = JSON.parse(out.stdout) as SfRun['json'];
  } catch {
    throw new Error(`sf ${args.join(' ')} printed no JSON (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  }
  return { ...out, json };
}

/** A fresh copy of the fixture project, so every test starts from the files as committed. */
function project(name: string): string {
  const dir = join(scratch, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** The files of a retrieve exactly as the server zips them (jsforce, no CLI in between), by zip path. */
async function serverFiles(members: string[]): Promise<Record<string, Buffer>> {
  conn.metadata.pollTimeout = 60_000;
  const result = await conn.metadata.retrieve({
    apiVersion: '66.0', singlePackage: false, unpackaged: { types: [{ name: 'Certificate', members }], version: '66.0' },
  } as never).complete();
  const zip = await JSZip.loadAsync(Buffer.from(result.zipFile as string, 'base64'));
  const files: Record<string, Buffer> = {};
  for (const f of Object.values(zip.files)) if (!f.dir) files[f.name] = await f.async('nodebuffer');
  return files;
}

const readCert = async (name: string) => asArray(await conn.metadata.read('Certificate', [name]))
  .filter((r) => r && (r as { fullName?: string }).fullName) as unknown as { fullName: string; caSigned: boolean | string; masterLabel: string }[];

/** The `files` table of a deploy or retrieve: one row per file, as the CLI prints it. */
type FileRow = { fullName: string; type: string; state: string; filePath?: string; error?: string; lineNumber?: number; columnNumber?: number; problemType?: string };
const fileRows = (r: SfRun): FileRow[] => (r.json.result?.files ?? []) as FileRow[];
const rowsFor = (r: SfRun, fullName: string) => fileRows(r).filter((f) => f.fullName === fullName);
const EMPTY_MANIFEST = '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <version>66.0</version>\n</Package>\n';

beforeAll(async () => {
  // Once per machine: later runs find the pinned version in .cache/sf-cli and return at once.
  const install = await run('bash', [join(ROOT, 'scripts', 'install-sf-cli.sh')], { cwd: ROOT, env: process.env, timeout: INSTALL_TIMEOUT_MS });
  if (install.code !== 0) throw new Error(`scripts/install-sf-cli.sh failed (exit ${install.code}):\n${install.stderr}`);
  const bin = install.stdout.trim().split('\n').pop()!;
  sfRun = join(bin, '..', '..', '@salesforce', 'cli', 'bin', 'run.js');
  if (!existsSync(sfRun)) throw new Error(`The sf CLI is not at ${sfRun}`);

  server = await startTestServer();
  conn = tokenConnection(server);
  scratch = mkdtempSync(join(tmpdir(), 'localforce-sf-'));
  home = join(scratch, 'home');
  mkdirSync(home);
}, INSTALL_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

jest.setTimeout(3 * COMMAND_TIMEOUT_MS);

describe('sf org login access-token and sf org display', () => {
  it('refuses a token Localforce does not know', async () => {
    const r = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', 'wrong', '--no-prompt'], {
      env: { SF_ACCESS_TOKEN: `${server.org.id}!not.a.real.token` },
    });
    expect(r.code).not.toBe(0);
    expect(r.json.status).not.toBe(0);
    expect(r.json.message).toMatch(/Session expired or invalid/);
  });

  it('logs in with an access token and learns the org from the REST API', async () => {
    const r = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--alias', ALIAS, '--no-prompt'], {
      env: { SF_ACCESS_TOKEN: server.org.accessToken },
    });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({
      username: server.org.username, orgId: server.org.id, isDevHub: true, isSandbox: false, isScratch: false,
      instanceApiVersion: '68.0', name: 'Localforce Default Org', orgEdition: 'Developer Edition',
    });
    expect(r.json.result.instanceUrl.replace(/\/$/, '')).toBe(server.url);
  });

  it('displays the connected org', async () => {
    const r = await sf(['org', 'display', '--target-org', ALIAS]);
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({
      id: server.org.id, username: server.org.username, connectedStatus: 'Connected', apiVersion: '68.0', alias: ALIAS,
    });
  });
});

describe('sf project deploy start', () => {
  it('deploys the fixture project and lists both certificates in the deployed files', async () => {
    const dir = project('deploy');
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, checkOnly: false, numberComponentsDeployed: 2, numberComponentsTotal: 2 });
    const files = fileRows(r).map((f) => ({ ...f, filePath: f.filePath?.slice(dir.length + 1) }));
    expect(files).toEqual(expect.arrayContaining([
      { fullName: 'Localforce_SelfSigned', type: 'Certificate', state: 'Created', filePath: join(CERTS, 'Localforce_SelfSigned.crt') },
      { fullName: 'Localforce_SelfSigned', type: 'Certificate', state: 'Created', filePath: join(CERTS, 'Localforce_SelfSigned.crt-meta.xml') },
      { fullName: 'Localforce_CaSigned', type: 'Certificate', state: 'Created', filePath: join(CERTS, 'Localforce_CaSigned.crt') },
      { fullName: 'Localforce_CaSigned', type: 'Certificate', state: 'Created', filePath: join(CERTS, 'Localforce_CaSigned.crt-meta.xml') },
    ]));
    expect(files).toHaveLength(4);
    // The SOAP answer leaves absent fields out (the REST one below sends them as null).
    expect(r.json.result).not.toHaveProperty('canceledBy');
    expect(await readCert('Localforce_SelfSigned')).toEqual([expect.objectContaining({ masterLabel: 'Localforce Self-Signed' })]);
    expect(await readCert('Localforce_CaSigned')).toEqual([expect.objectContaining({ masterLabel: 'Localforce CA-Signed' })]);
  });

  it('reports a broken meta file with exit code 1, the component failure and its line', async () => {
    const dir = project('broken');
    const meta = join(dir, CERTS, 'Localforce_SelfSigned.crt-meta.xml');
    // Line 5 loses the ">" of its closing tag.
    writeFileSync(meta, readFileSync(meta, 'utf8').replace('</masterLabel>', '</masterLabel'));
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.json.status).toBe(1);
    expect(r.json.result).toMatchObject({ status: 'Failed', success: false, numberComponentErrors: 1 });
    const failed = fileRows(r).filter((f) => f.state === 'Failed');
    expect(failed).toEqual([expect.objectContaining({
      fullName: 'Localforce_SelfSigned', type: 'Certificate', problemType: 'Error', filePath: meta, lineNumber: 5,
      error: expect.stringMatching(/^Error parsing file: .*\(5:\d+\)$/),
    })]);
    expect(asArray(r.json.result.details.componentFailures)).toEqual([expect.objectContaining({
      fileName: 'certs/Localforce_SelfSigned.crt-meta.xml', fullName: 'Localforce_SelfSigned', componentType: 'Certificate', lineNumber: 5,
    })]);
    // What a person sees without --json: the failures table names the component and its line:column.
    const plain = await sfPlain(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/Component Failures \[1\]/);
    expect(plain.stdout).toMatch(/Certificate\s+Localforce_SelfSigned\s+Error parsing file: .*\s5:\d+\s/);
  });

  it('validates without committing with --dry-run', async () => {
    const dir = project('dry-run');
    writeFileSync(join(dir, CERTS, 'Dry_Run_Cert.crt'), '');
    writeFileSync(join(dir, CERTS, 'Dry_Run_Cert.crt-meta.xml'), certMeta({ label: 'Dry run' }));
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--dry-run', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', checkOnly: true });
    expect(rowsFor(r, 'Dry_Run_Cert').map((f) => f.state)).toEqual(['Created', 'Created']);
    expect(await readCert('Dry_Run_Cert')).toEqual([]);
  });

  it('deploys a metadata-format folder with --metadata-dir', async () => {
    const dir = join(scratch, 'mdapi');
    mkdirSync(join(dir, 'certs'), { recursive: true });
    writeFileSync(join(dir, 'package.xml'), packageXml(['Mdapi_Cert']));
    writeFileSync(join(dir, 'certs', 'Mdapi_Cert.crt'), '');
    writeFileSync(join(dir, 'certs', 'Mdapi_Cert.crt-meta.xml'), certMeta({ caSigned: true, keySize: 2048, label: 'From mdapi' }));
    const r = await sf(['project', 'deploy', 'start', '--metadata-dir', dir, '--target-org', ALIAS], { cwd: scratch });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', numberComponentsDeployed: 1 });
    expect(asArray(r.json.result.details.componentSuccesses)).toEqual(expect.arrayContaining([
      expect.objectContaining({ fullName: 'Mdapi_Cert', componentType: 'Certificate', created: true }),
    ]));
    expect(await readCert('Mdapi_Cert')).toEqual([expect.objectContaining({ masterLabel: 'From mdapi' })]);
  });

  it('deploys through the REST deploy API with SF_ORG_METADATA_REST_DEPLOY=true', async () => {
    const dir = project('rest');
    rmSync(join(dir, CERTS), { recursive: true });
    mkdirSync(join(dir, CERTS));
    writeFileSync(join(dir, CERTS, 'Rest_Cert.crt'), '');
    writeFileSync(join(dir, CERTS, 'Rest_Cert.crt-meta.xml'), certMeta({ keySize: 2048, label: 'Over REST' }));
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], {
      cwd: dir, env: { SF_ORG_METADATA_REST_DEPLOY: 'true' },
    });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true, numberComponentsDeployed: 1 });
    expect(rowsFor(r, 'Rest_Cert').map((f) => f.state)).toEqual(['Created', 'Created']);
    // Only the REST answer carries absent fields as null: the CLI really went through deployRequest.
    expect(r.json.result).toHaveProperty('canceledBy', null);
    expect(await readCert('Rest_Cert')).toEqual([expect.objectContaining({ masterLabel: 'Over REST' })]);
  });

  it('deletes with --post-destructive-changes', async () => {
    const created = await deployAndWait(conn, await certsZip([{ name: 'Doomed_Cert', label: 'To be deleted' }]));
    expect(created.success).toBe(true);
    const dir = project('destructive');
    // The user still has its files, so the CLI can show them as deleted in its table (it lists local files only).
    writeFileSync(join(dir, CERTS, 'Doomed_Cert.crt'), '');
    writeFileSync(join(dir, CERTS, 'Doomed_Cert.crt-meta.xml'), certMeta({ label: 'To be deleted' }));
    // The usual "delete only" deploy: a manifest without types, and the deletions after it.
    writeFileSync(join(dir, 'manifest', 'package.xml'), EMPTY_MANIFEST);
    writeFileSync(join(dir, 'manifest', 'destructiveChangesPost.xml'), packageXml(['Doomed_Cert']));
    const r = await sf([
      'project', 'deploy', 'start', '--manifest', 'manifest/package.xml', '--post-destructive-changes', 'manifest/destructiveChangesPost.xml',
      '--target-org', ALIAS,
    ], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true });
    expect(rowsFor(r, 'Doomed_Cert').map((f) => f.state)).toEqual(['Deleted', 'Deleted']);
    expect(asArray(r.json.result.details.componentSuccesses)).toEqual(expect.arrayContaining([
      expect.objectContaining({ fullName: 'Doomed_Cert', componentType: 'Certificate', deleted: true }),
    ]));
    expect(await readCert('Doomed_Cert')).toEqual([]);
  });
});

describe('sf project retrieve start', () => {
  it('retrieves one certificate with --metadata, byte for byte as the server sends it', async () => {
    const dir = project('retrieve-metadata');
    const r = await sf(['project', 'retrieve', 'start', '--metadata', 'Certificate:Localforce_SelfSigned', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true });
    expect(fileRows(r).map((f) => [f.fullName, f.state, f.filePath])).toEqual(expect.arrayContaining([
      ['Localforce_SelfSigned', 'Changed', join(dir, CERTS, 'Localforce_SelfSigned.crt')],
      ['Localforce_SelfSigned', 'Changed', join(dir, CERTS, 'Localforce_SelfSigned.crt-meta.xml')],
    ]));
    expect(fileRows(r)).toHaveLength(2);
    const expected = await serverFiles(['Localforce_SelfSigned']);
    const crt = readFileSync(join(dir, CERTS, 'Localforce_SelfSigned.crt'));
    expect(crt.toString('utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(crt.equals(expected['unpackaged/certs/Localforce_SelfSigned.crt']!)).toBe(true);
    expect(readFileSync(join(dir, CERTS, 'Localforce_SelfSigned.crt-meta.xml')).equals(expected['unpackaged/certs/Localforce_SelfSigned.crt-meta.xml']!)).toBe(true);
    // Only what was asked for: the other certificate's files are as committed.
    expect(readFileSync(join(dir, CERTS, 'Localforce_CaSigned.crt'))).toHaveLength(0);
  });

  it('retrieves the fixture manifest with --manifest, byte for byte', async () => {
    const dir = project('retrieve-manifest');
    const r = await sf(['project', 'retrieve', 'start', '--manifest', 'manifest/package.xml', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ status: 'Succeeded', success: true });
    expect(fileRows(r)).toHaveLength(4);
    const expected = await serverFiles(['Localforce_CaSigned', 'Localforce_SelfSigned']);
    for (const name of ['Localforce_CaSigned', 'Localforce_SelfSigned']) {
      for (const file of [`${name}.crt`, `${name}.crt-meta.xml`]) {
        const written = readFileSync(join(dir, CERTS, file));
        expect({ file, same: written.equals(expected[`unpackaged/certs/${file}`]!) }).toEqual({ file, same: true });
      }
    }
    // The CA-signed certificate waits for its signed chain, so the org hands out its CSR.
    expect(readFileSync(join(dir, CERTS, 'Localforce_CaSigned.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(readFileSync(join(dir, CERTS, 'Localforce_CaSigned.crt-meta.xml'), 'utf8')).toContain('<caSigned>true</caSigned>');
  });

  it('deploys what it retrieved as a no-op', async () => {
    const dir = join(scratch, 'retrieve-manifest');
    const r = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', ALIAS], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.result.status).toBe('Succeeded');
    expect(fileRows(r).map((f) => f.state)).toEqual(['Unchanged', 'Unchanged', 'Unchanged', 'Unchanged']);
  });
});
