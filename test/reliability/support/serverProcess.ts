import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LocalforceOptions, OrgCredentials } from '../../../src';

/** Event loop delay of the server process since the last report, in milliseconds. */
export interface LoopDelay { max: number; p99: number; mean: number }

export interface ServerProcess {
  url: string;
  port: number;
  org: OrgCredentials;
  adminToken: string;
  child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** The event loop delay since the last call (the first call: since start). */
  loopDelay(): Promise<LoopDelay>;
  alive(): boolean;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

const SCRIPT = join(__dirname, 'server.js');

/** Starts Localforce (from dist/) in a child process; fails with its output if it does not start. */
export function startServerProcess(options: LocalforceOptions): Promise<ServerProcess> {
  // LOCALFORCE_PROFILE_DIR=<dir> writes a CPU profile of the server, to see what held its event loop.
  const execArgv = process.env.LOCALFORCE_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOCALFORCE_PROFILE_DIR}`] : [];
  const child = fork(SCRIPT, [JSON.stringify({ port: 0, ...options })], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready:\n${output}`)));
    child.on('message', function onReady(message: { ready?: Omit<ServerProcess, 'child'>; error?: string }) {
      if (message.error) return reject(new Error(message.error));
      if (!message.ready) return;
      child.off('message', onReady);
      resolve({
        ...message.ready, child,
        output: () => output,
        alive: () => !exited,
        loopDelay: () => new Promise((done) => {
          const onDelay = (m: { delay?: LoopDelay }) => { if (m.delay) { child.off('message', onDelay); done(m.delay); } };
          child.on('message', onDelay);
          child.send('delay');
        }),
        stop: async () => { if (!exited) { child.send('stop'); await exit; } },
        kill9: async () => { if (!exited) { child.kill('SIGKILL'); await exit; } },
      } as ServerProcess);
    });
  });
}
