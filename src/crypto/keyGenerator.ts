import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RsaKeyPair } from './keys';

// Why threads of our own rather than crypto.generateKeyPair's libuv pool: key generation is pure
// CPU, and on a 2-core machine four libuv threads making keys starve the event loop and the
// clients' own processes (checkDeployStatus p99 rose 5-10x in the benchmark). Two sets of threads:
// background keys (the pool's) are made on threads that lower their own priority to the lowest (on
// Linux the nice value is per thread, so only they yield): they get every core nothing else wants,
// while a request that arrives takes a core at once. Keys a deploy waits for are made on threads of
// the process's own priority, so that a busy machine (a CI runner) does not starve a waiting client.
// Elsewhere setPriority would lower the whole process, so it is skipped there.
// The source is a string run with `eval: true`, so it works from ts-jest and from dist alike.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync } = require('node:crypto');
const os = require('node:os');
if (workerData.background && process.platform === 'linux') {
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

type Kind = 'urgent' | 'background';

interface Job {
  bits: number;
  kind: Kind;
  resolve(key: RsaKeyPair): void;
  reject(err: Error): void;
}

/**
 * RSA key generation with native crypto off the event loop, on up to `size` threads of each kind
 * (one per core by default): keys wanted now (a deploy) never wait for background ones (the pool
 * filler), and run at the process's priority while background ones run at the lowest.
 */
export class KeyGenerator {
  private readonly queue: Job[] = [];
  private readonly idle: Record<Kind, Worker[]> = { urgent: [], background: [] };
  private readonly threads: Record<Kind, number> = { urgent: 0, background: 0 };
  private readonly running = new Map<Worker, Job>();
  private closed = false;

  constructor(readonly size = availableParallelism()) {}

  /** Keys wanted now, queued or being made. */
  get urgent(): number {
    return this.count('urgent');
  }

  /** Background keys (the pool's), queued or being made. */
  get background(): number {
    return this.count('background');
  }

  /** Keys being made right now, by kind (queued ones aside). */
  get making(): Record<Kind, number> {
    const n: Record<Kind, number> = { urgent: 0, background: 0 };
    for (const job of this.running.values()) n[job.kind]++;
    return n;
  }

  private count(kind: Kind): number {
    let n = this.queue.filter((j) => j.kind === kind).length;
    for (const job of this.running.values()) if (job.kind === kind) n++;
    return n;
  }

  generate(bits: number, options: { background?: boolean } = {}): Promise<RsaKeyPair> {
    if (this.closed) return Promise.reject(new Error('The key generator is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ bits, kind: options.background ? 'background' : 'urgent', resolve, reject });
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
    for (const worker of [...this.idle.urgent.splice(0), ...this.idle.background.splice(0)]) this.end(worker);
  }

  /** Starts each queued job, in order, that has a thread of its kind free or a thread yet to make. */
  private dispatch(): void {
    for (let i = 0; i < this.queue.length;) {
      const job = this.queue[i]!;
      const worker = this.idle[job.kind].pop() ?? (this.threads[job.kind] < this.size ? this.spawn(job.kind) : undefined);
      if (!worker) { i++; continue; }
      this.queue.splice(i, 1);
      this.running.set(worker, job);
      // A key wanted now keeps the process alive, like any pending I/O; a background one does not.
      if (job.kind === 'background') worker.unref();
      else worker.ref();
      worker.postMessage(job.bits);
    }
  }

  private spawn(kind: Kind): Worker {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { background: kind === 'background' } });
    this.threads[kind]++;
    worker.on('message', (key: RsaKeyPair) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      worker.unref(); // an idle thread never keeps the process alive
      this.idle[kind].push(worker);
      job?.resolve(key);
      this.dispatch();
    });
    worker.on('error', (err) => this.running.get(worker)?.reject(err));
    worker.on('exit', () => {
      // A thread that died (out of memory, say) fails its key; the next one starts a new thread.
      this.threads[kind]--;
      this.running.get(worker)?.reject(new Error('The key generation thread stopped'));
      this.running.delete(worker);
      const at = this.idle[kind].indexOf(worker);
      if (at >= 0) this.idle[kind].splice(at, 1);
      if (!this.closed) this.dispatch();
    });
    return worker;
  }

  // OpenSSL's key generation cannot be interrupted: the thread ends when the key in hand is made.
  private end(worker: Worker): void {
    worker.removeAllListeners();
    worker.on('error', () => undefined);
    void worker.terminate();
  }
}
