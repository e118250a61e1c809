/**
 * The PostgreSQL connection as the repositories use it: statements run synchronously, writes in a
 * transaction are held and sent together, and a failure anywhere rolls the whole transaction back
 * and leaves the connection usable, and a connection or thread that ends is replaced without a
 * transaction ever going on outside itself. Needs the private server of scripts/with-postgres.sh.
 */
import { Worker } from 'node:worker_threads';
import { PostgresDatabase } from '../../../src/store/postgres/postgresDatabase';
import { newPostgresStore } from '../../support/postgres';

let db: PostgresDatabase;
beforeAll(async () => {
  db = PostgresDatabase.open((await newPostgresStore()).url);
  db.prepare('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, b BYTEA)').run();
});
afterAll(() => db?.close());

const rows = () => db.prepare('SELECT k, n, b FROM t ORDER BY k').all();

describe('PostgresDatabase', () => {
  it('holds writes until a read, with their row counts, and types the values by their columns', () => {
    db.transaction(() => {
      const insert = db.prepare('INSERT INTO t (k, n, b) VALUES (?, ?, ?)');
      insert.run("it's", 1, Buffer.from([0, 1, 2]));
      insert.run('b\\c', 2, null);
      expect(db.prepare('UPDATE t SET n = n + 10 WHERE n < ?').run(5).changes).toBe(2);
      expect(rows()).toEqual([{ k: 'b\\c', n: 12, b: null }, { k: "it's", n: 11, b: Buffer.from([0, 1, 2]) }]);
    });
    expect(rows()).toHaveLength(2);
  });

  it('rolls back everything when a held write fails at the end, and stays usable', () => {
    expect(() => db.transaction(() => {
      db.prepare('INSERT INTO t (k, n) VALUES (?, ?)').run('new', 3);
      db.prepare('INSERT INTO t (k, n) VALUES (?, ?)').run("it's", 4); // taken: fails when sent
    })).toThrow(/duplicate key/);
    expect(rows().map((r) => (r as { k: string }).k)).toEqual(['b\\c', "it's"]);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
  });

  it('rolls a nested transaction back to its savepoint only', () => {
    db.transaction(() => {
      db.prepare('DELETE FROM t WHERE k = ?').run('b\\c');
      expect(() => db.transaction(() => {
        db.prepare('INSERT INTO t (k, n) VALUES (?, ?)').run('inner', 5);
        throw new Error('inner fails');
      })).toThrow('inner fails');
    });
    expect(rows().map((r) => (r as { k: string }).k)).toEqual(["it's"]);
  });

  it('reports a statement PostgreSQL refuses with its SQLSTATE', () => {
    expect(() => db.prepare('SELECT nothing FROM t').all()).toThrow(expect.objectContaining({ code: '42703' }));
  });

  it('takes a wake-up that comes without an answer for what it is (a thread can be paused between its answer and its wake-up call), and waits on', async () => {
    // A stand-in for a connection thread paused after storing one answer's flag and before waking the
    // waiting thread: its late wake-up lands while the next statement waits.
    db.prepare('SELECT 1').get();
    const shared = (db as unknown as { link: { shared: Int32Array } }).link.shared;
    const waker = new Worker(`
      const { workerData, parentPort } = require('node:worker_threads');
      parentPort.postMessage('started');
      const end = Date.now() + 1500;
      while (Date.now() < end) Atomics.notify(workerData, 0);
    `, { eval: true, workerData: shared });
    try {
      await new Promise((resolve) => waker.once('message', resolve));
      const end = Date.now() + 1000;
      let statements = 0;
      for (; Date.now() < end; statements++) expect(db.prepare('SELECT ?::int AS n').get(statements)).toEqual({ n: statements });
      expect(statements).toBeGreaterThan(10);
    } finally {
      await waker.terminate();
    }
  });

  it('starts a new connection thread when its thread has ended, and goes on', async () => {
    const before = rows();
    await (db as unknown as { link: { thread: Worker } }).link.thread.terminate();
    expect(rows()).toEqual(before);
  });

  it('takes a thread that died without a word for dead once it falls silent, and still closes', async () => {
    const other = PostgresDatabase.open((await newPostgresStore()).url);
    const { thread } = (other as unknown as { link: { thread: Worker } }).link;
    // Terminated while this thread does not turn its event loop: nothing announces the end, and the
    // statement sent to it is never answered, so only the missing heartbeat tells.
    void thread.terminate();
    const started = Date.now();
    expect(() => other.prepare('SELECT 1').get()).toThrow(/connection thread ended: no sign of life for 10 s/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(other.prepare('SELECT 2 AS n').get()).toEqual({ n: 2 });
    void (other as unknown as { link: { thread: Worker } }).link.thread.terminate();
    expect(() => other.close()).not.toThrow();
    expect(() => other.prepare('SELECT 3').get()).toThrow('The PostgreSQL store is closed');
  }, 60_000);

  it('fails the rest of a transaction whose connection was cut, never running it outside the transaction', () => {
    const before = rows();
    expect(() => db.transaction(() => {
      db.prepare('INSERT INTO t (k, n) VALUES (?, ?)').run('cut', 6);
      expect(() => db.prepare('SELECT pg_terminate_backend(pg_backend_pid())').get()).toThrow(/terminat/);
      // A caller that catches each failure and goes on, in the same transaction: nothing of it runs.
      for (const k of ['after', 'later', 'last']) {
        expect(() => db.prepare('INSERT INTO t (k, n) VALUES (?, ?)').run(k, 7).changes).toThrow();
      }
    })).toThrow(/lost in the middle of a transaction/);
    expect(rows()).toEqual(before);
  });
});
