import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const COMMAND_TIMEOUT_MS = 120_000;

export interface SfResult {
  code: number;
  stdout: string;
  stderr: string;
  json: { status: number; result?: any; name?: string; message?: string; warnings?: string[] };
}

function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number; input?: string }) {
  const { input, ...execOptions } = options;
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
    const child = execFile(file, args, { ...execOptions, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return fail(new Error(`${file} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      done({ code: err ? (err.code as unknown as number) : 0, stdout, stderr });
    });
    // Standard input: what is given (`--sfdx-url-stdin -` reads it), else closed so that nothing waits on it.
    // A child that exits without reading it closes the pipe first (EPIPE); its exit code is what counts.
    child.stdin?.on('error', (err: NodeJS.ErrnoException) => { if (err.code !== 'EPIPE') fail(err); });
    if (input === undefined) child.stdin?.end(); else child.stdin?.end(input);
  });
}

/**
 * The pinned sf CLI (scripts/install-sf-cli.sh, once per machine) in an isolated HOME with telemetry
 * and update checks off; `sf(args)` runs `sf <args> --json` in a child process and parses its answer.
 */
export type SfRunner = (args: string[], options?: { cwd?: string; env?: Record<string, string>; input?: string }) => Promise<SfResult>;

export async function installSfCli(home: string, commandTimeoutMs = COMMAND_TIMEOUT_MS): Promise<SfRunner> {
  const install = await run('bash', [join(ROOT, 'scripts', 'install-sf-cli.sh')], { cwd: ROOT, env: process.env, timeout: INSTALL_TIMEOUT_MS });
  if (install.code !== 0) throw new Error(`scripts/install-sf-cli.sh failed (exit ${install.code}):\n${install.stderr}`);
  const bin = install.stdout.trim().split('\n').pop()!;
  const sfRun = join(bin, '..', '..', '@salesforce', 'cli', 'bin', 'run.js');
  if (!existsSync(sfRun)) throw new Error(`The sf CLI is not at ${sfRun}`);
  mkdirSync(home, { recursive: true });
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH, LANG: 'C.UTF-8', TMPDIR: tmpdir(),
    HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local', 'share'),
    SF_DISABLE_TELEMETRY: 'true', SF_DISABLE_AUTOUPDATE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true', CI: 'true', NO_COLOR: '1',
    ...extra,
  });
  return async (args, options = {}) => {
    const out = await run(process.execPath, ['--no-deprecation', sfRun, ...args, '--json'], {
      cwd: options.cwd ?? home, env: env(options.env ?? {}), timeout: commandTimeoutMs, input: options.input,
    });
    try {
      return { ...out, json: JSON.parse(out.stdout) as SfResult['json'] };
    } catch {
      throw new Error(`sf ${args.join(' ')} printed no JSON (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
    }
  };
}

export const SF_INSTALL_TIMEOUT_MS = INSTALL_TIMEOUT_MS + 60_000;
export const SF_COMMAND_TIMEOUT_MS = COMMAND_TIMEOUT_MS;
