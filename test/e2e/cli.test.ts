/**
 * The `localforce` command as a user runs it: `bin/localforce.js` (built by `npm install`) in its own process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'localforce.js');

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const lines = new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length > 3) resolve(out.split('\n'));
    });
    child.once('exit', (code) => reject(new Error(`localforce exited with ${code}: ${out}`)));
  });
  return { child, lines };
}

describe('the localforce command', () => {
  it('starts, prints where it listens and the default org, answers, and stops on SIGTERM', async () => {
    const { child, lines } = start(['--port', '0', '--in-memory', '--no-key-pool']);
    try {
      const [listening, credentials, admin] = await lines;
      const url = /^Localforce listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(listening!)?.[1];
      expect(url).toBeDefined();
      expect(credentials).toBe('Default org 00D000000000001AAA: username admin@localforce.dev, password localforce, access token 00D000000000001AAA!localforce');
      const adminToken = /^Admin token: (lfadmin_[A-Za-z0-9_-]{32})$/.exec(admin!)?.[1];
      expect(adminToken).toBeDefined();
      const created = await fetch(`${url}/_localforce/orgs`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
      expect(created.status).toBe(201);
      const health = await (await fetch(`${url}/_localforce/health`)).json();
      expect(health).toEqual(expect.objectContaining({ status: 'ok', name: 'localforce' }));
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('takes the admin token from LOCALFORCE_ADMIN_TOKEN', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--in-memory', '--no-key-pool'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOCALFORCE_ADMIN_TOKEN: 'from-the-environment-123' },
    });
    try {
      let out = '';
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Admin token')) resolve(); }));
      expect(out).toContain('Admin token: from-the-environment-123\n');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a second server on the same location, naming the first', async () => {
    const location = mkdtempSync(join(tmpdir(), 'lf-cli-'));
    const { child, lines } = start(['--port', '0', '--location', location, '--no-key-pool']);
    try {
      await lines;
      const second = spawnSync(process.execPath, [BIN, 'start', '--port', '0', '--location', location, '--no-key-pool'], { encoding: 'utf8', timeout: 30_000 });
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`is in use by another Localforce server (pid ${child.pid}`);
      const rotate = spawnSync(process.execPath, [BIN, 'rotate-master-key', '--location', location], { encoding: 'utf8', timeout: 30_000 });
      expect(rotate.status).toBe(2);
      expect(rotate.stderr).toContain('is in use by another Localforce server');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const rotate = spawnSync(process.execPath, [BIN, 'rotate-master-key', '--location', location], { encoding: 'utf8', timeout: 30_000 });
    expect(rotate.stdout).toMatch(/^New master key [0-9a-f]{12} in .*master\.key; 0 private keys re-sealed with it\.\n$/);
    expect(rotate.status).toBe(0);
  });

  it('logs a line per call, as JSON with --log-format json, and no secret', async () => {
    const { child, lines } = start(['--port', '0', '--in-memory', '--no-key-pool', '--log-format', 'json']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      const [listening] = await lines;
      const url = (JSON.parse(listening!) as { url: string }).url;
      await fetch(`${url}/services/data/v66.0/query?q=SELECT+Id+FROM+Organization`, { headers: { Authorization: 'Bearer 00D000000000001AAA!localforce' } });
      const deadline = Date.now() + 10_000;
      while (!out.includes('"operation":"query"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const records = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records).toContainEqual(expect.objectContaining({
        level: 'info', method: 'GET', path: '/services/data/v66.0/query', operation: 'query', orgId: '00D000000000001AAA', status: 200,
      }));
      expect(out).not.toContain('localforce,');
      expect(out).not.toContain('!localforce');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it.each([
    [['--log-level', 'loud'], /--log-level must be one of fatal, error, warn, info, debug, trace, silent, not loud/],
    [['--log-format', 'xml'], /--log-format must be text or json, not xml/],
    [['--deploy-pacing', 'slow'], /--deploy-pacing must be a number of status polls/],
    [['--port', 'abc'], /--port must be a number from 0 to 65535/],
    [['--clock', 'yesterday'], /--clock must be an ISO 8601 date/],
    [['--colour'], /Unknown option '--colour'/],
  ])('refuses %j with a clear message', (args, message) => {
    const run = spawnSync(process.execPath, [BIN, 'start', '--in-memory', '--no-key-pool', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});
