import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The files Localforce keeps in its location; only these may sit in a folder it tightens to 700. */
export const LocationFiles = {
  store: 'localforce.sqlite',
  lock: 'localforce.lock',
  masterKey: 'master.key',
  adminToken: 'admin-token',
} as const;

const OWN_FILE = /^(localforce\.sqlite(-wal|-shm|-journal)?|localforce\.lock|master\.key(\.new)?|admin-token)$/;

/** Who holds a location: written into the lock file by the server that took it. */
interface LockHolder {
  pid: number;
  host: string;
  /** The process's start time as the kernel counts it (Linux), so a reused pid is not taken for the holder. */
  started?: string;
  since: string;
}

export class LocationLockedError extends Error {}

/** A process's start time in clock ticks since boot, from /proc (Linux only; undefined elsewhere or when gone). */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  // Alive, but after a crash and a reboot the pid may now be someone else's.
  const started = processStartTime(holder.pid);
  return !(holder.started && started && holder.started !== started);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined; // gone, or half-written by a process that died while writing it
  }
}

/**
 * A store folder claimed by this process: created with mode 700 (or tightened to it when it holds
 * nothing but Localforce's files), and locked so that a second server on the same folder stops at
 * start instead of failing the first one's deploys. A lock left by a process that no longer runs
 * (a crash, a kill -9) is taken over.
 */
export class StoreLocation {
  private released = false;

  private constructor(readonly dir: string, private readonly lockFile: string) {}

  static claim(location: string): StoreLocation {
    const dir = resolve(location);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error(`--location ${location} is not a folder`);
    if (readdirSync(dir).every((name) => OWN_FILE.test(name))) chmodSync(dir, 0o700);
    const lockFile = join(dir, LocationFiles.lock);
    const me: LockHolder = { pid: process.pid, host: hostname(), started: processStartTime(process.pid), since: new Date().toISOString() };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(lockFile, 'wx', 0o600);
        try { writeSync(fd, `${JSON.stringify(me)}\n`); } finally { closeSync(fd); }
        return new StoreLocation(dir, lockFile);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(lockFile);
      if (holder && holder.host !== me.host) {
        throw new LocationLockedError(`The store in ${dir} is in use by a Localforce server on ${holder.host} (pid ${holder.pid}, since ${holder.since}). ` +
          `Stop it first, or start this one with another --location. If that server is gone, delete ${lockFile}.`);
      }
      if (holder && isRunning(holder)) {
        throw new LocationLockedError(`The store in ${dir} is in use by another Localforce server (pid ${holder.pid}, since ${holder.since}). ` +
          'Stop it first, or start this one with another --location.');
      }
      // Stale: its server died without releasing it. Remove it and try again (another starter may race us to it).
      try { unlinkSync(lockFile); } catch { /* already removed by that other starter */ }
    }
    throw new LocationLockedError(`The store in ${dir} could not be locked: ${lockFile} keeps coming back`);
  }

  /** A file of the location, kept to mode 600 if it exists. */
  file(name: string): string {
    const path = join(this.dir, name);
    if (existsSync(path)) chmodSync(path, 0o600);
    return path;
  }

  /** Gives the location up; the lock file is removed only while it is still this process's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readHolder(this.lockFile)?.pid === process.pid) {
      try { unlinkSync(this.lockFile); } catch { /* already gone */ }
    }
  }
}
