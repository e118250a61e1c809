import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { atFirstUse } from '../../atFirstUse';
import type { SqlDatabase, SqlStatement } from '../sqlDatabase';
import { inlineParameters, toPostgresPlaceholders } from './placeholders';
import { POSTGRES_MIGRATIONS } from './postgresSchema';

/** pg's own quoting of a literal, loaded with the first PostgreSQL store: a server on SQLite never loads pg (80 ms). */
const escapeLiteral = atFirstUse(() => (require('pg') as typeof import('pg')).escapeLiteral);

/** The connection thread beats this often; the waiting thread takes it for dead after this long without a beat. */
const HEARTBEAT_MS = 500;
const SILENCE_MS = 10_000;

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
let inHand = false;
let lastWords;
// A thread that ends says why to the thread waiting for it, and wakes it.
process.on('exit', (code) => {
  const why = 'exit code ' + code + (lastWords ? ': ' + lastWords : '');
  try { port.postMessage({ rows: [], rowCount: 0, ended: true, error: { message: 'The PostgreSQL store\\'s connection thread ended (' + why + ')' } }); } catch {}
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});
// A thread can also die without a word (out of memory): a heartbeat the waiting thread watches tells.
setInterval(() => Atomics.add(flag, 1, 1), ${HEARTBEAT_MS});
const pg = require(workerData.pgPath);
// Our BIGINT columns hold milliseconds and sequence numbers, all below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
const LOST = 'The connection to PostgreSQL was lost in the middle of a transaction, which PostgreSQL rolled back';
let client;
let broken;
// Each connection made is numbered: a transaction's statements name the connection it began on, and
// fail on any other, so that none of them ever runs outside it.
let connections = 0;
const names = new Map();
async function connection() {
  if (client) return client;
  const c = new pg.Client({ connectionString, application_name: 'localforce', connectionTimeoutMillis: 10000 });
  c.on('error', (err) => { broken = err; });
  await c.connect();
  names.clear();
  broken = undefined;
  connections++;
  return (client = c);
}
// The state it leaves: 1, answered; 2, answered and ended.
function answer(reply, state = 1) {
  inHand = false;
  try {
    port.postMessage(reply);
  } catch (err) {
    port.postMessage({ rows: [], rowCount: 0, error: { message: 'PostgreSQL answered with what cannot be passed on: ' + err.message } });
  }
  Atomics.store(flag, 0, state);
  Atomics.notify(flag, 0);
}
// Whatever escapes fails the statement in hand, then ends the thread, so the next statement starts a new one.
process.on('uncaughtException', (err) => {
  lastWords = String(err && err.stack || err);
  if (inHand) answer({ rows: [], rowCount: 0, error: { message: 'The PostgreSQL store\\'s connection thread failed: ' + lastWords } }, 2);
  process.exit(1);
});
port.on('message', async (request) => {
  inHand = true;
  let reply;
  try {
    if (request.close) {
      if (client) await client.end().catch(() => {});
      reply = { rows: [], rowCount: 0 };
    } else {
      if (broken && client) {
        client.end().catch(() => {});
        client = undefined;
      }
      if (request.connection !== undefined && (!client || request.connection !== connections)) throw new Error(LOST);
      const values = request.params.map((v) => v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
      const run = async () => {
        const c = await connection();
        let query = request.text;
        if (values.length) {
          // Named statements are parsed and planned once per connection.
          let name = names.get(request.text);
          if (!name) names.set(request.text, (name = 'lf' + names.size));
          query = { name, text: request.text, values };
        }
        return c.query(query);
      };
      let result;
      try {
        result = await run();
      } catch (err) {
        // The server ended the session (an administrator, a restart: class 57P) before the error event
        // said so. Outside a transaction the statement did not run, so it runs once more on a new connection.
        if (request.connection !== undefined || !/^57P0[123]$/.test(err.code || '')) throw err;
        if (client) client.end().catch(() => {});
        client = undefined;
        result = await run();
      }
      const results = Array.isArray(result) ? result : [result];
      const last = results[results.length - 1];
      reply = { rows: last.rows || [], rowCount: last.rowCount || 0, counts: results.map((r) => r.rowCount || 0), connection: connections };
    }
  } catch (err) {
    reply = { rows: [], rowCount: 0, error: { message: err.message, code: err.code, detail: err.detail } };
  }
  answer(reply);
});
`;

/** How long a statement may take before the store is taken for unreachable. */
const ANSWER_TIMEOUT_MS = 120_000;

/** Writes held back in a transaction are sent once this many have gathered, or this many characters. */
const BATCH_STATEMENTS = 1_000;
const BATCH_CHARS = 8 * 1024 * 1024;

interface Reply {
  rows: Record<string, unknown>[]; rowCount: number; counts?: number[];
  /** The number of the thread's connection that ran the statement. */
  connection?: number;
  /** The thread ended instead of answering (the error says why). */
  ended?: true;
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

/**
 * The connection thread, its channel, and what it shares with this thread: [state, heartbeat]. One each,
 * so a thread that ends cannot disturb its successor. `failure` is what the thread died of, once known.
 */
interface Link { thread: Worker; port: MessagePort; shared: Int32Array; failure?: string }

// The states: a request is out, its answer is in, the thread ended.
const WAITING = 0;
const ENDED = 2;

/** The shared store: PostgreSQL through a connection of its own, several servers at once. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres';
  readonly shared = true;
  private link: Link | undefined;
  private depth = 0;
  /** The connection the open transaction began on: its statements run there or nowhere. */
  private transactionConnection: number | undefined;
  private closed = false;
  private held: HeldWrite[] = [];
  private heldChars = 0;

  private constructor(private readonly connectionString: string) {}

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
      // Rows cross from the connection thread as objects either way; their keys keep the columns' order.
      rows: (...params) => this.query(sql, values(params)).rows.map((row) => Object.values(row)),
      run: (...params) => (this.depth > 0 ? this.hold(inlineParameters(sql, values(params), escapeLiteral()))
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
    const outermost = this.depth === 0;
    const savepoint = outermost ? undefined : `lf_${this.depth}`;
    const begun = this.query(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN', []);
    if (outermost) this.transactionConnection = begun.connection;
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
    } finally {
      if (outermost) this.transactionConnection = undefined;
    }
  }

  close(): void {
    if (this.closed) return;
    const link = this.link;
    // A thread already ended has no connection to end (and exchange would start a new thread for it).
    if (link && Atomics.load(link.shared, 0) !== ENDED) {
      try {
        this.exchange({ close: true });
      } catch { /* ending anyway */ }
    }
    if (link) this.drop(link); // the link as it was: a failed exchange may have dropped it already
    this.closed = true;
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

  /**
   * Hands one request to the connection thread and sleeps until it answers. A thread that ended (or
   * did not answer in time) is replaced by a new one at the next statement outside a transaction; a
   * transaction it had open is gone, so the statements still to come in it fail.
   */
  private exchange(request: { close?: true; text?: string; params?: unknown[] }): Reply {
    if (this.closed) throw new Error('The PostgreSQL store is closed');
    let link = this.link;
    if (link && Atomics.load(link.shared, 0) === ENDED) link = this.drop(link);
    if (!link) {
      if (this.transactionConnection !== undefined) throw new Error('The PostgreSQL store\'s connection thread ended during a transaction, which PostgreSQL rolled back');
      link = this.link = this.start();
    }
    Atomics.store(link.shared, 0, WAITING);
    link.port.postMessage({ ...request, connection: this.transactionConnection });
    const message = this.answerOf(link);
    if (!message) {
      this.drop(link);
      throw new Error(`The PostgreSQL store's connection thread ended${link.failure ? `: ${link.failure}` : ''}`);
    }
    if (message.ended) this.drop(link);
    return message;
  }

  /**
   * Sleeps until the thread answers, ends, falls silent, or the answer is overdue. Only the flag says
   * which: a wake-up alone proves nothing, since the thread may have been paused between storing one
   * answer's flag and its wake-up call, which then lands while the next statement waits.
   */
  private answerOf(link: Link): Reply | undefined {
    const overdue = Date.now() + ANSWER_TIMEOUT_MS;
    let beat = Atomics.load(link.shared, 1);
    let silentSince = Date.now();
    while (Atomics.load(link.shared, 0) === WAITING) {
      if (Atomics.wait(link.shared, 0, WAITING, HEARTBEAT_MS * 2) !== 'timed-out') continue;
      const now = Date.now();
      if (now > overdue) {
        this.drop(link); // its late answer must not be taken for the next statement's
        throw new Error(`The PostgreSQL store did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
      }
      const latest = Atomics.load(link.shared, 1);
      if (latest !== beat) {
        beat = latest;
        silentSince = now;
      } else if (now - silentSince > SILENCE_MS) {
        link.failure ??= `no sign of life for ${SILENCE_MS / 1000} s`;
        return undefined;
      }
    }
    return receiveMessageOnPort(link.port)?.message as Reply | undefined;
  }

  private start(): Link {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    const thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { pgPath: require.resolve('pg'), connectionString: this.connectionString, flag: shared, port: port2 },
      transferList: [port2],
    });
    thread.unref();
    const link: Link = { thread, port: port1, shared };
    // Heard between statements (this thread's loop is not running during one): the next one starts a new thread.
    thread.on('error', (err) => { link.failure = err.message; });
    thread.on('exit', () => { Atomics.store(shared, 0, ENDED); });
    return link;
  }

  private drop(link: Link): undefined {
    if (this.link === link) this.link = undefined;
    link.port.close();
    void link.thread.terminate();
    return undefined;
  }
}
