import { Worker } from 'node:worker_threads';

/** How soon after a write transaction the log is copied, and how often in any case (single writes outside transactions). */
const AFTER_WRITE_MS = 100;
const PERIOD_MS = 10_000;

// The thread's own connection to the store's file: a PASSIVE checkpoint copies what no reader still
// needs, and never waits for a reader or a writer. A source string (as the PostgreSQL store's thread),
// so that the same code runs from ts-jest and from dist.
const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next one copies it */ }
});
`;

/**
 * Copies the store's write-ahead log into its database file on a thread of its own. By default SQLite
 * does it inside the commit that grows the log past 1,000 pages, on the event loop: a deploy of 35 MB of
 * profiles paid about 0.1 s for it in its commit, and every request waited meanwhile. The log still
 * holds every commit (durable as before: a crash replays it); the copy now runs beside the server.
 */
export class WalCheckpointer {
  private readonly thread: Worker;
  private readonly timer: NodeJS.Timeout;
  private pending: NodeJS.Timeout | undefined;

  /** `fallBack`: what to do if the thread fails (the store was closed or removed first): copy in commits again. */
  constructor(file: string, fallBack: () => void) {
    this.thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, sqlitePath: require.resolve('better-sqlite3') } });
    this.thread.unref();
    this.thread.on('error', () => {
      clearInterval(this.timer);
      fallBack();
    });
    this.timer = setInterval(() => this.thread.postMessage('checkpoint'), PERIOD_MS).unref();
  }

  /** A write transaction committed: the log is copied shortly after, once for a burst of them. */
  wrote(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.thread.postMessage('checkpoint');
    }, AFTER_WRITE_MS).unref();
  }

  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.thread.postMessage('close');
  }
}
