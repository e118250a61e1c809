import type { SqlDatabase } from './sqlDatabase';
import { to15, to18 } from '../ids';
import { Repository } from './repository';

/** A deploy or retrieve as stored: its latest result (the API shape, as JSON) and, when needed, its zip. */
export interface StoredJob<R> {
  id: string;
  orgId: string;
  createdDate: string;
  result: R;
  options: Record<string, unknown>;
  zip: Buffer | null;
  /** When a retrieve ended (a deploy's result says so itself). */
  completedDate?: string;
  /** The server running it, while it runs, and until when its lease holds (ms since 1970, machine clock). */
  owner?: string;
  leaseUntilMs?: number;
}

interface JobRow {
  id: string; org_id: string; created_date: string; result: string; options?: string | null; zip: Buffer | null; completed_date?: string | null;
  owner?: string | null; lease_until_ms?: number | null; messages?: string | null;
}

/** A deploy's per-component lists: thousands of entries for a large deploy, kept apart from the rest of its result. */
interface ComponentMessages {
  componentFailures?: unknown[];
  componentSuccesses?: unknown[];
}

type WithDetails = { details?: ComponentMessages & Record<string, unknown> };

/**
 * A result as the row keeps it: without its per-component lists, which go to their own column. Rows
 * written before that column came hold them in the result (messages null), and are read either way.
 */
function split(result: unknown, table: JobTable): { result: string; messages: string | null } {
  const details = (result as WithDetails).details;
  if (table !== 'deploys' || !details) return { result: JSON.stringify(result), messages: null };
  const { componentFailures, componentSuccesses, ...rest } = details;
  return { result: JSON.stringify({ ...(result as object), details: rest }), messages: JSON.stringify({ componentFailures, componentSuccesses }) };
}

function joined<R>(result: string, messages: string | null | undefined): R {
  const parsed = JSON.parse(result) as R & WithDetails;
  if (messages && parsed.details) parsed.details = { ...(JSON.parse(messages) as ComponentMessages), ...parsed.details };
  return parsed;
}

type JobTable = 'deploys' | 'retrieves';

/** A finished deploy's result for a poll with details: its lists as the XML they were written to when it ended. */
export interface WrittenResult<R> {
  /** The result without its per-component lists. */
  result: R;
  /** The XML of componentFailures then componentSuccesses, as a SOAP answer holds them. */
  messagesXml: Buffer;
}

/** Deploys and retrieves share a shape; each gets its own table. */
export class JobRepository<R> extends Repository {
  constructor(db: SqlDatabase, private readonly table: JobTable) {
    super(db);
  }

  get(orgId: string, id: string): StoredJob<R> | undefined {
    // Ids may come in their 15- or 18-character form; the primary key holds the 18.
    const row = this.sql(`SELECT * FROM ${this.table} WHERE org_id = ? AND id = ?`)
      .get(orgId, to18(to15(id))) as JobRow | undefined;
    return row && this.toJob(row);
  }

  /**
   * A job's result without the per-component lists of its details (componentSuccesses and
   * componentFailures: thousands for a large deploy), cut out by the database: what a poll without
   * details needs, without reading and parsing them on every poll.
   */
  resultWithoutDetails(orgId: string, id: string): R | undefined {
    // Rows that keep their lists apart have none in the result: only older rows need them cut out.
    const lists = this.table === 'deploys' ? 'messages' : 'NULL';
    const row = this.sql({
      sqlite: `SELECT CASE WHEN ${lists} IS NULL THEN json_remove(result, '$.details.componentSuccesses', '$.details.componentFailures') ELSE result END AS result
        FROM ${this.table} WHERE org_id = ? AND id = ?`,
      postgres: `SELECT CASE WHEN ${lists} IS NULL THEN (result::jsonb #- '{details,componentSuccesses}' #- '{details,componentFailures}')::text ELSE result END AS result
        FROM ${this.table} WHERE org_id = ? AND id = ?`,
    }).get(orgId, to18(to15(id))) as { result: string } | undefined;
    return row && JSON.parse(row.result) as R;
  }

  /**
   * A finished deploy's result without its lists, and the lists as the XML written when it ended: what
   * a poll with details sends, read without parsing or writing again a thousand entries a poll.
   * Undefined when the deploy has none written (not ended, or ended before they were kept).
   */
  writtenResult(orgId: string, id: string): WrittenResult<R> | undefined {
    if (this.table !== 'deploys') return undefined;
    const row = this.sql(`SELECT result, messages_xml FROM deploys WHERE org_id = ? AND id = ? AND messages_xml IS NOT NULL`)
      .get(orgId, to18(to15(id))) as { result: string; messages_xml: Buffer } | undefined;
    return row && { result: JSON.parse(row.result) as R, messagesXml: row.messages_xml };
  }

  insert(job: StoredJob<R>): void {
    const { result, messages } = split(job.result, this.table);
    const lists = this.table === 'deploys' ? ', messages' : '';
    this.sql(`INSERT INTO ${this.table} (id, org_id, created_date, result, options, zip, owner, lease_until_ms${lists}) VALUES (?, ?, ?, ?, ?, ?, ?, ?${lists && ', ?'})`)
      .run(job.id, job.orgId, job.createdDate, result, JSON.stringify(job.options), job.zip, job.owner ?? null, job.leaseUntilMs ?? null, ...(lists ? [messages] : []));
  }

  /**
   * A new result; a result that is done ends the job's lease. A zip and (for a retrieve) the date it
   * ended go in the same write: a row holding a large zip is written once, and no poll sees one
   * without the other.
   */
  update(id: string, result: R & { done: boolean }, also: { zip?: Buffer | null; completedDate?: string; messagesXml?: Buffer } = {}): void {
    const row = split(result, this.table);
    const sets = ['result = ?'];
    const values: unknown[] = [row.result];
    if (this.table === 'deploys') {
      // The lists' XML goes with the lists it was written from, or not at all: a poll never sends old ones.
      sets.push('messages = ?', 'messages_xml = ?');
      values.push(row.messages, also.messagesXml ?? null);
    }
    if (also.zip !== undefined) { sets.push('zip = ?'); values.push(also.zip); }
    if (also.completedDate !== undefined) { sets.push('completed_date = ?'); values.push(also.completedDate); }
    if (result.done) sets.push('lease_until_ms = NULL');
    this.sql(`UPDATE ${this.table} SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /** Extends the leases of the jobs `owner` is running (the server's heartbeat). */
  renewLeases(owner: string, untilMs: number): void {
    this.sql(`UPDATE ${this.table} SET lease_until_ms = ? WHERE owner = ? AND lease_until_ms IS NOT NULL`).run(untilMs, owner);
  }

  /**
   * Unfinished jobs of other servers whose lease ran out before `nowMs` (their server died), or, with
   * `own`, every unfinished job of server `me`. On a shared store the rows stay locked until the
   * transaction ends, and rows another server is ending already are skipped.
   */
  orphans(me: string, nowMs: number, own = false): StoredJob<R>[] {
    const where = own ? 'lease_until_ms IS NOT NULL AND owner = ?' : 'lease_until_ms < ? AND (owner IS NULL OR owner <> ?)';
    const rows = this.sql({
      sqlite: `SELECT * FROM ${this.table} WHERE ${where}`,
      postgres: `SELECT * FROM ${this.table} WHERE ${where} FOR UPDATE SKIP LOCKED`,
    }).all(...(own ? [me] : [nowMs, me])) as JobRow[];
    return rows.map((row) => this.toJob(row));
  }

  /**
   * Whether `owner` still runs the job, which no other server has ended: checked in the transaction
   * that commits a deploy, so a server that stalled past its lease commits nothing once another has
   * ended its job. Locks the row until that transaction ends on a shared store.
   */
  stillOwns(id: string, owner: string): boolean {
    return !!this.sql({
      sqlite: `SELECT 1 AS held FROM ${this.table} WHERE id = ? AND owner = ? AND lease_until_ms IS NOT NULL`,
      postgres: `SELECT 1 AS held FROM ${this.table} WHERE id = ? AND owner = ? AND lease_until_ms IS NOT NULL FOR UPDATE`,
    }).get(id, owner);
  }

  /** Asks whichever server runs the job to cancel it; false when it is not running. */
  requestCancel(id: string, userId: string): boolean {
    return this.sql(`UPDATE ${this.table} SET cancel_requested_by = ? WHERE id = ? AND lease_until_ms IS NOT NULL`).run(userId, id).changes > 0;
  }

  /** Who asked for the job to be canceled, if anyone has. */
  cancelRequestedBy(id: string): string | undefined {
    const row = this.sql(`SELECT cancel_requested_by FROM ${this.table} WHERE id = ?`).get(id) as { cancel_requested_by: string | null } | undefined;
    return row?.cancel_requested_by ?? undefined;
  }

  /**
   * An org's newest jobs, newest first, without their zips and without the per-component parts of
   * their results (details, fileProperties), which can be long: what a history list shows.
   */
  recent(orgId: string, limit: number): StoredJob<Partial<R>>[] {
    const completed = this.table === 'retrieves' ? 'completed_date' : 'NULL AS completed_date';
    const rows = this.sql({
      sqlite: `SELECT id, org_id, created_date, json_remove(result, '$.details', '$.fileProperties', '$.zipFile') AS result, options, NULL AS zip, ${completed}
       FROM ${this.table} WHERE org_id = ? ORDER BY created_date DESC, rowid DESC LIMIT ?`,
      postgres: `SELECT id, org_id, created_date, (result::jsonb - 'details' - 'fileProperties' - 'zipFile')::text AS result, options, NULL AS zip, ${completed}
       FROM ${this.table} WHERE org_id = ? ORDER BY created_date DESC, seq DESC LIMIT ?`,
    }).all(orgId, limit) as JobRow[];
    return rows.map((row) => this.toJob(row) as StoredJob<Partial<R>>);
  }

  /** Every job of an org (reset and delete of the org). */
  deleteOrg(orgId: string): void {
    this.sql(`DELETE FROM ${this.table} WHERE org_id = ?`).run(orgId);
  }

  /** Jobs that were running when the process stopped. */
  unfinished(): StoredJob<R>[] {
    const rows = this.sql({
      sqlite: `SELECT * FROM ${this.table} WHERE json_extract(result, '$.done') = 0`,
      postgres: `SELECT * FROM ${this.table} WHERE result::jsonb ->> 'done' = 'false'`,
    }).all() as JobRow[];
    return rows.map((row) => this.toJob(row));
  }

  private toJob(row: JobRow): StoredJob<R> {
    return {
      id: row.id, orgId: row.org_id, createdDate: row.created_date, result: joined<R>(row.result, row.messages),
      options: row.options ? JSON.parse(row.options) as Record<string, unknown> : {}, zip: row.zip,
      completedDate: row.completed_date ?? undefined, owner: row.owner ?? undefined, leaseUntilMs: row.lease_until_ms ?? undefined,
    };
  }
}
