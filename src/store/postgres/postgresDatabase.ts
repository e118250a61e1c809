import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { escapeLiteral } from 'pg';
import type { SqlDatabase, SqlStatement } from '../sqlDatabase';
import { inlineParameters, toPostgresPlaceholders } from './placeholders';
import { POSTGRES_MIGRATIONS } from './postgresSchema';

// Why a thread and a wait: the repositories (and the SQLite store they were written for) run a statement
// and have its rows at once. The pg client answers with promises, so each statement is handed to a
// thread that owns the connection, and this thread sleeps on a shared flag (Atomics.wait) until the
// rows are posted back, then takes them with receiveMessageOnPort. A statement thus blocks the event
// loop for one round trip to the server, as SQLite blocks it for one read of its file. No library does
// this for a thread made from a source string (synckit needs a worker file, which ts-jest cannot run);
// the string form runs the same from ts-jest and from dist.
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
const { flag, port, connectionString } = workerData;
// A thread that ends (or never starts) wakes the waiting one, which then finds no answer.
process.on('exit', () => { Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); });
const pg = require(workerData.pgPath);
// Our BIGINT columns hold milliseconds and sequence numbers, all below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
let client;
let broken;
const names = new Map();
async function connection() {
  if (client) return client;
  const c = new pg.Client({ connectionString, application_name: 'localforce', connectionTimeoutMillis: 10000 });
  c.on('error', (err) => { broken = err; });
  await c.connect();
  names.clear();
  broken = undefined;
  return (client = c);
}
port.on('message', async (request) => {
  let reply;
  try {
    if (request.close) {
      if (client) await client.end().catch(() => {});
      reply = { rows: [], rowCount: 0 };
    } else {
      if (broken && client) { client.end().catch(() => {}); client = undefined; }
      const c = await connection();
      const values = request.params.map((v) => v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
      let query = request.text;
      if (values.length) {
        // Named statements are parsed and planned once per connection.
        let name = names.get(request.text);
        if (!name) names.set(request.text, (name = 'lf' + names.size));
        query = { name, text: request.text, values };
      }
      const result = await c.query(query);
      const results = Array.isArray(result) ? result : [result];
      const last = results[results.length - 1];
      reply = { rows: last.rows || [], rowCount: last.rowCount || 0, counts: results.map((r) => r.rowCount || 0) };
    }
  } catch (err) {
    reply = { error: { message: err.message, code: err.code, detail: err.detail } };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** How long a statement may take before the store is taken for unreachable. */
const ANSWER_TIMEOUT_MS = 120_000;

/** Writes held back in a transaction are sent once this many have gathered, or this many characters. */
const BATCH_STATEMENTS = 1_000;
const BATCH_CHARS = 8 * 1024 * 1024;

interface Reply {
  rows: Record<string, unknown>[]; rowCount: number; counts?: number[];
  error?: { message: string; code?: string; detail?: string };
}

/** A write held back until the transaction's next read or its end; its row count is known then. */
interface HeldWrite { sql: string; outcome: { changes?: number } }

/** An error PostgreSQL reported, with its SQLSTATE code (23505: a unique key taken…). */
export class PostgresError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** The shared store: PostgreSQL through a connection of its own, several servers at once. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres';
  readonly shared = true;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly thread: Worker;
  private depth = 0;
  private closed = false;
  private held: HeldWrite[] = [];
  private heldChars = 0;

  private constructor(connectionString: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { pgPath: require.resolve('pg'), connectionString, flag: this.flag, port: port2 },
      transferList: [port2],
    });
    this.thread.unref();
  }

  /** Connects to `connectionString` (postgres://…) and brings its schema up to date. */
  static open(connectionString: string): PostgresDatabase {
    const db = new PostgresDatabase(connectionString);
    try {
      db.migrate();
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Migrations run in one transaction under an advisory lock, so servers starting together apply each
   * exactly once: the others wait for the lock and then find nothing left to do.
   */
  private migrate(): void {
    this.transaction(() => {
      this.query('SELECT pg_advisory_xact_lock(7160, 0)', []);
      this.query('CREATE TABLE IF NOT EXISTS localforce_schema (version INTEGER NOT NULL)', []);
      const row = this.query('SELECT version FROM localforce_schema', []).rows[0] as { version: number } | undefined;
      if (!row) this.query('INSERT INTO localforce_schema (version) VALUES (0)', []);
      const applied = row?.version ?? 0;
      if (applied > POSTGRES_MIGRATIONS.length) {
        throw new Error(`The PostgreSQL store is at schema version ${applied}, newer than this Localforce knows (${POSTGRES_MIGRATIONS.length}): upgrade Localforce`);
      }
      for (let i = applied; i < POSTGRES_MIGRATIONS.length; i++) {
        this.query(POSTGRES_MIGRATIONS[i]!, []);
        this.query('UPDATE localforce_schema SET version = $1', [i + 1]);
      }
    });
  }

  prepare(text: string): SqlStatement {
    const { sql, names } = toPostgresPlaceholders(text);
    const values = (params: unknown[]): unknown[] => {
      if (!names) return params;
      const byName = params[0] as Record<string, unknown>;
      return names.map((n) => byName[n]);
    };
    return {
      get: (...params) => this.query(sql, values(params)).rows[0],
      all: (...params) => this.query(sql, values(params)).rows,
      run: (...params) => (this.depth > 0 ? this.hold(inlineParameters(sql, values(params), escapeLiteral))
        : { changes: this.query(sql, values(params)).rowCount }),
    };
  }

  /**
   * In a transaction a write is held back, and the writes gathered are sent together, as one message
   * of several statements, before the next read, the end of the transaction, or when its row count is
   * asked for: a deploy's hundreds of rows cost one round trip to the server, not one each. A held
   * write that fails fails there, still inside its transaction, which then rolls back.
   */
  private hold(sql: string): { readonly changes: number } {
    const outcome: HeldWrite['outcome'] = {};
    this.held.push({ sql, outcome });
    this.heldChars += sql.length;
    if (this.held.length >= BATCH_STATEMENTS || this.heldChars >= BATCH_CHARS) this.flush();
    const flush = () => this.flush();
    return {
      get changes(): number {
        if (outcome.changes === undefined) flush();
        return outcome.changes!;
      },
    };
  }

  private flush(): void {
    if (!this.held.length) return;
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    const reply = this.request(held.map((w) => w.sql).join(';\n'), []);
    held.forEach((w, i) => { w.outcome.changes = reply.counts?.[i] ?? 0; });
  }

  transaction<T>(work: () => T): T {
    const savepoint = this.depth > 0 ? `lf_${this.depth}` : undefined;
    this.query(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN', []);
    this.depth++;
    let open = true;
    try {
      const result = work();
      this.flush(); // held writes that fail, fail here, inside the transaction
      this.depth--;
      open = false;
      this.query(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT', []);
      return result;
    } catch (err) {
      if (open) this.depth--;
      // Held writes all came after the savepoint (it was sent first): they go with the rollback.
      this.held = [];
      this.heldChars = 0;
      try {
        this.request(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK', []);
      } catch { /* the connection is gone, and the server has rolled back with it */ }
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.exchange({ close: true });
    } catch { /* ending anyway */ }
    this.closed = true;
    void this.thread.terminate();
  }

  /** Runs one statement (after any writes held back) and waits for its rows. */
  query(text: string, params: unknown[]): Reply {
    this.flush();
    return this.request(text, params);
  }

  private request(text: string, params: unknown[]): Reply {
    const reply = this.exchange({ text, params });
    if (reply.error) {
      throw new PostgresError(`PostgreSQL: ${reply.error.message}${reply.error.detail ? ` (${reply.error.detail})` : ''}`, reply.error.code);
    }
    for (const row of reply.rows) {
      for (const key in row) {
        const v = row[key];
        // Buffers arrive from the thread as plain Uint8Arrays.
        if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      }
    }
    return reply;
  }

  private exchange(request: object): Reply {
    if (this.closed) throw new Error('The PostgreSQL store is closed');
    if (Atomics.load(this.flag, 0) === 2) {
      this.closed = true;
      throw new Error('The PostgreSQL store\'s connection thread ended');
    }
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    if (Atomics.wait(this.flag, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`The PostgreSQL store did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
    }
    const message = receiveMessageOnPort(this.port);
    if (!message) {
      this.closed = true;
      throw new Error('The PostgreSQL store\'s connection thread ended');
    }
    return message.message as Reply;
  }
}
