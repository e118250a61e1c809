import type { Db } from './database';
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
}

interface JobRow {
  id: string; org_id: string; created_date: string; result: string; options?: string | null; zip: Buffer | null; completed_date?: string | null;
}

/** Deploys and retrieves share a shape; each gets its own table. */
export class JobRepository<R> extends Repository {
  constructor(db: Db, private readonly table: 'deploys' | 'retrieves') {
    super(db);
  }

  get(orgId: string, id: string): StoredJob<R> | undefined {
    // Ids may come in their 15- or 18-character form; the primary key holds the 18.
    const row = this.sql(`SELECT * FROM ${this.table} WHERE org_id = ? AND id = ?`)
      .get(orgId, to18(to15(id))) as JobRow | undefined;
    return row && this.toJob(row);
  }

  insert(job: StoredJob<R>): void {
    if (this.table === 'deploys') {
      this.sql('INSERT INTO deploys (id, org_id, created_date, result, options, zip) VALUES (?, ?, ?, ?, ?, ?)')
        .run(job.id, job.orgId, job.createdDate, JSON.stringify(job.result), JSON.stringify(job.options), job.zip);
    } else {
      this.sql('INSERT INTO retrieves (id, org_id, created_date, result, options, zip) VALUES (?, ?, ?, ?, ?, ?)')
        .run(job.id, job.orgId, job.createdDate, JSON.stringify(job.result), JSON.stringify(job.options), job.zip);
    }
  }

  update(id: string, result: R, zip?: Buffer | null): void {
    if (zip === undefined) {
      this.sql(`UPDATE ${this.table} SET result = ? WHERE id = ?`).run(JSON.stringify(result), id);
    } else {
      this.sql(`UPDATE ${this.table} SET result = ?, zip = ? WHERE id = ?`).run(JSON.stringify(result), zip, id);
    }
  }

  /** A retrieve's end (deploys keep theirs in the result). */
  setCompletedDate(id: string, at: string): void {
    if (this.table === 'retrieves') this.sql('UPDATE retrieves SET completed_date = ? WHERE id = ?').run(at, id);
  }

  /**
   * An org's newest jobs, newest first, without their zips and without the per-component parts of
   * their results (details, fileProperties), which can be long: what a history list shows.
   */
  recent(orgId: string, limit: number): StoredJob<Partial<R>>[] {
    const completed = this.table === 'retrieves' ? 'completed_date' : 'NULL AS completed_date';
    const rows = this.sql(
      `SELECT id, org_id, created_date, json_remove(result, '$.details', '$.fileProperties', '$.zipFile') AS result, options, NULL AS zip, ${completed}
       FROM ${this.table} WHERE org_id = ? ORDER BY created_date DESC, rowid DESC LIMIT ?`,
    ).all(orgId, limit) as JobRow[];
    return rows.map((row) => this.toJob(row) as StoredJob<Partial<R>>);
  }

  /** Every job of an org (reset and delete of the org). */
  deleteOrg(orgId: string): void {
    this.sql(`DELETE FROM ${this.table} WHERE org_id = ?`).run(orgId);
  }

  /** Jobs that were running when the process stopped. */
  unfinished(): StoredJob<R>[] {
    const rows = this.sql(`SELECT * FROM ${this.table} WHERE json_extract(result, '$.done') = 0`).all() as JobRow[];
    return rows.map((row) => this.toJob(row));
  }

  private toJob(row: JobRow): StoredJob<R> {
    return {
      id: row.id, orgId: row.org_id, createdDate: row.created_date, result: JSON.parse(row.result) as R,
      options: row.options ? JSON.parse(row.options) as Record<string, unknown> : {}, zip: row.zip,
      completedDate: row.completed_date ?? undefined,
    };
  }
}
