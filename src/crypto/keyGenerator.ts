import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RsaKeyPair } from './keys';

// Why threads of our own rather than crypto.generateKeyPair's libuv pool: key generation is pure
// CPU, and on a 2-core machine four libuv threads making keys starve the event loop and the
// clients' own processes (checkDeployStatus p99 rose 5-10x in the benchmark). These threads lower
// their own priority to the lowest (on Linux the nice value is per thread, so only they yield):
// they still get every core nothing else wants, while a request that arrives takes a core at once.
// Elsewhere setPriority would lower the whole process, so it is skipped there.
// The source is a string run with `eval: true`, so it works from ts-jest and from dist alike.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { generateKeyPairSync } = require('node:crypto');
const os = require('node:os');
if (process.platform === 'linux') {
  try { os.setPriority(os.constants.priority.PRIORITY_LOW); } catch {}
}
parentPort.on('message', (bits) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits, publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  parentPort.postMessage({ privateKeyPem: privateKey, publicKeyPem: publicKey });
});
`;

interface Job {
  bits: number;
  background: boolean;
  resolve(key: RsaKeyPair): void;
  reject(err: Error): void;
}

/**
 * RSA key generation with native crypto on a few low-priority threads (one per core by default),
 * off the event loop. Keys wanted now (a deploy) go before background ones (the pool filler).
 */
export class KeyGenerator {
  private readonly queue: Job[] = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  private threads = 0;
  private closed = false;

  constructor(readonly size = availableParallelism()) {}

  /** Keys wanted now, queued or being made. */
  get urgent(): number {
    let n = this.queue.filter((j) => !j.background).length;
    for (const job of this.running.values()) if (!job.background) n++;
    return n;
  }

  /** Background keys (the pool's), queued or being made. */
  get background(): number {
    let n = this.queue.filter((j) => j.background).length;
    for (const job of this.running.values()) if (job.background) n++;
    return n;
  }

  /**
   * A key wanted now never waits for a background one: while background keys hold every thread,
   * it gets a thread of its own, ended once done (OpenSSL cannot stop a key half made).
   */
  private capacity(job: Job): number {
    if (job.background) return this.size;
    let background = 0;
    for (const j of this.running.values()) if (j.background) background++;
    return this.size + background;
  }

  generate(bits: number, options: { background?: boolean } = {}): Promise<RsaKeyPair> {
    if (this.closed) return Promise.reject(new Error('The key generator is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { bits, background: options.background ?? false, resolve, reject };
      const firstBackground = this.queue.findIndex((j) => j.background);
      if (job.background || firstBackground < 0) this.queue.push(job);
      else this.queue.splice(firstBackground, 0, job);
      this.dispatch();
    });
  }

  /** Fails what is queued or under way and ends the threads; a key being made is dropped, not awaited. */
  close(): void {
    this.closed = true;
    const error = new Error('Localforce stopped while this key was being made');
    for (const job of this.queue.splice(0)) job.reject(error);
    for (const [worker, job] of this.running) {
      job.reject(error);
      this.end(worker);
    }
    this.running.clear();
    for (const worker of this.idle.splice(0)) this.end(worker);
  }

  private dispatch(): void {
    while (this.queue.length) {
      const job = this.queue[0]!;
      const worker = this.idle.pop() ?? (this.threads < this.capacity(job) ? this.spawn() : undefined);
      if (!worker) return;
      this.queue.shift();
      this.running.set(worker, job);
      // A key wanted now keeps the process alive, like any pending I/O; a background one does not.
      if (job.background) worker.unref();
      else worker.ref();
      worker.postMessage(job.bits);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    this.threads++;
    worker.on('message', (key: RsaKeyPair) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      worker.unref(); // an idle thread never keeps the process alive
      if (this.threads > this.size) this.end(worker, true); // a thread lent to a key wanted now
      else this.idle.push(worker);
      job?.resolve(key);
      this.dispatch();
    });
    worker.on('error', (err) => this.running.get(worker)?.reject(err));
    worker.on('exit', () => {
      // A thread that died (out of memory, say) fails its key; the next one starts a new thread.
      this.threads--;
      this.running.get(worker)?.reject(new Error('The key generation thread stopped'));
      this.running.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      if (!this.closed) this.dispatch();
    });
    return worker;
  }

  // OpenSSL's key generation cannot be interrupted: the thread ends when the key in hand is made.
  private end(worker: Worker, counted = false): void {
    if (counted) this.threads--;
    worker.removeAllListeners();
    worker.on('error', () => undefined);
    void worker.terminate();
  }
}
