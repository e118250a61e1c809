import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * System tools as independent checkers (openssl, keytool, curl). A missing tool fails the test that
 * needs it, loudly: scripts/install-system-tools.sh installs them, and .ci/run calls it.
 */
export function requireTool(tool: 'openssl' | 'keytool' | 'curl'): void {
  const probe = { openssl: ['version'], keytool: ['-help'], curl: ['--version'] }[tool];
  if (spawnSync(tool, probe, { stdio: 'ignore' }).error) {
    throw new Error(`${tool} is not installed: run scripts/install-system-tools.sh (it installs openssl, curl and Java 17's keytool)`);
  }
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The files of the work folder after the run, for tools that write their output to a file. */
  files: Record<string, Buffer>;
}

/**
 * Runs `tool` in a fresh folder holding `files`; `{name}` in an argument stands for the path of that
 * file, or of that output (a file the tool writes, read back into `files` of the answer).
 * Asynchronous, so a server started in this process keeps answering while the tool talks to it.
 */
export function runTool(tool: string, args: string[], files: Record<string, string | Buffer> = {}, outputs: string[] = []): Promise<ToolRun> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-tool-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const names = new Set([...Object.keys(files), ...outputs]);
  const resolved = args.map((a) => a.replace(/\{([^}]+)\}/g, (all, name: string) => (names.has(name) ? join(dir, name) : all)));
  return new Promise((resolve) => {
    // No input: a tool that would prompt (keytool asking for a key password) reads end of file and stops.
    const child = execFile(tool, resolved, { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const out: Record<string, Buffer> = {};
      for (const name of outputs) if (existsSync(join(dir, name))) out[name] = readFileSync(join(dir, name));
      rmSync(dir, { recursive: true, force: true });
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, stderr, files: out });
    });
    child.stdin?.end();
  });
}
