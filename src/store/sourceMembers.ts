import { IdPrefix, newId, to15, to18 } from '../ids';
import { Repository } from './repository';

/** One change to one member, as source tracking records it (src/tracking/). */
export interface SourceMemberChange {
  memberType: string;
  memberName: string;
  /** The component's id, or its name when it has none. */
  memberIdOrName: string;
  isNewMember: boolean;
  isNameObsolete: boolean;
}

/** A SourceMember row: the latest change of its member, under the org's revision counter. */
export interface SourceMember extends SourceMemberChange {
  id: string;
  orgId: string;
  revisionCounter: number;
  /** The 15-character id of the user who made the change. */
  changedBy: string;
  lastModifiedDate: string;
}

interface SourceMemberRow {
  id: string; org_id: string; member_type: string; member_name: string; member_id_or_name: string; revision_counter: number;
  is_new_member: number; is_name_obsolete: number; changed_by: string; last_modified_date: string;
}

interface PendingChange { orgId: string; change: SourceMemberChange; changedBy: string; at: string }

/** The columns a change writes besides id and org_id: the rows of a write go to the database as JSON objects of them. */
const CHANGE_COLUMNS = ['member_type', 'member_name', 'member_id_or_name', 'revision_counter', 'is_new_member', 'is_name_obsolete', 'changed_by', 'last_modified_date'];
const INTEGER_COLUMNS = new Set(['revision_counter', 'is_new_member', 'is_name_obsolete']);
const UPSERT = `ON CONFLICT (org_id, member_type, member_name) DO UPDATE SET ${CHANGE_COLUMNS
  .filter((c) => c !== 'member_type' && c !== 'member_name').map((c) => `${c} = excluded.${c}`).join(', ')}`;
/** Every row of a write in one statement, whatever their number; a member already tracked keeps its id. */
const UPSERT_ROWS = {
  // WHERE true: SQLite needs it to tell the upsert's ON CONFLICT from a join's ON.
  sqlite: `INSERT INTO source_members (id, org_id, ${CHANGE_COLUMNS.join(', ')})
    SELECT json_extract(value, '$.id'), ?, ${CHANGE_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(', ')}
    FROM json_each(?) WHERE true ${UPSERT}`,
  postgres: `INSERT INTO source_members (id, org_id, ${CHANGE_COLUMNS.join(', ')})
    SELECT r.id, ?, ${CHANGE_COLUMNS.map((c) => `r.${c}`).join(', ')}
    FROM jsonb_to_recordset(?::jsonb) AS r(id TEXT, ${CHANGE_COLUMNS.map((c) => `${c} ${INTEGER_COLUMNS.has(c) ? 'INTEGER' : 'TEXT'}`).join(', ')}) ${UPSERT}`,
};

const toMember = (r: SourceMemberRow): SourceMember => ({
  id: r.id, orgId: r.org_id, memberType: r.member_type, memberName: r.member_name, memberIdOrName: r.member_id_or_name,
  revisionCounter: Number(r.revision_counter), isNewMember: !!r.is_new_member, isNameObsolete: !!r.is_name_obsolete,
  changedBy: r.changed_by, lastModifiedDate: r.last_modified_date,
});

/**
 * SourceMember rows, one per member key (type and name) of an org, each stamped from the org's one
 * revision counter. The counter is moved by the database inside the caller's transaction, so that
 * servers sharing a PostgreSQL store never hand out the same number twice.
 */
export class SourceMemberRepository extends Repository {
  /** Changes held back by batch(), to be written when it ends. */
  private pending: PendingChange[] | undefined;

  /**
   * Records changes made together: each gets the next number of the org's counter, in order; a member
   * already tracked keeps its row (and id) and takes the new number. A key given twice counts once, as
   * its last change. Inside batch(), they are written when the batch ends.
   */
  record(orgId: string, changes: SourceMemberChange[], changedBy: string, at: string): void {
    const entries = changes.map((change) => ({ orgId, change, changedBy: to15(changedBy), at }));
    if (this.pending) this.pending.push(...entries);
    else this.write(entries);
  }

  /**
   * Runs `work` (inside the caller's transaction) and writes every change it records at its end, in two
   * statements per org: a deploy of thousands of components then costs two round trips to PostgreSQL,
   * not two for each component. Nothing is written when `work` throws.
   */
  batch<T>(work: () => T): T {
    if (this.pending) return work();
    const pending: PendingChange[] = (this.pending = []);
    try {
      const result = work();
      this.write(pending);
      return result;
    } finally {
      this.pending = undefined;
    }
  }

  private write(entries: PendingChange[]): void {
    const byOrg = new Map<string, Map<string, PendingChange>>();
    for (const entry of entries) {
      let latest = byOrg.get(entry.orgId);
      if (!latest) byOrg.set(entry.orgId, (latest = new Map()));
      const key = `${entry.change.memberType}\n${entry.change.memberName}`;
      latest.delete(key);
      latest.set(key, entry);
    }
    for (const [orgId, latest] of byOrg) this.writeOrg(orgId, [...latest.values()]);
  }

  private writeOrg(orgId: string, entries: PendingChange[]): void {
    const { revision_counter: last } = this.sql('UPDATE orgs SET revision_counter = revision_counter + ? WHERE id = ? RETURNING revision_counter')
      .get(entries.length, orgId) as { revision_counter: number };
    const first = Number(last) - entries.length + 1;
    const rows = entries.map(({ change: c, changedBy, at }, i) => ({
      id: newId(IdPrefix.sourceMember), member_type: c.memberType, member_name: c.memberName, member_id_or_name: c.memberIdOrName,
      revision_counter: first + i, is_new_member: c.isNewMember ? 1 : 0, is_name_obsolete: c.isNameObsolete ? 1 : 0,
      changed_by: changedBy, last_modified_date: at,
    }));
    this.sql(UPSERT_ROWS).run(orgId, JSON.stringify(rows));
  }

  /** Every row of an org, in the order of their revision counters. */
  list(orgId: string): SourceMember[] {
    return (this.sql('SELECT * FROM source_members WHERE org_id = ? ORDER BY revision_counter, member_type, member_name')
      .all(orgId) as SourceMemberRow[]).map(toMember);
  }

  /** A row by its id, in its 15- or 18-character form. */
  get(orgId: string, id: string): SourceMember | undefined {
    const row = this.sql('SELECT * FROM source_members WHERE org_id = ? AND id = ?').get(orgId, to18(to15(id))) as SourceMemberRow | undefined;
    return row && toMember(row);
  }

  /** Sets a row's revision counter (the sf CLI sets 0 on what a scratch org's settings made); false when there is no such row. */
  setRevisionCounter(orgId: string, id: string, revisionCounter: number): boolean {
    return this.sql('UPDATE source_members SET revision_counter = ? WHERE org_id = ? AND id = ?')
      .run(revisionCounter, orgId, to18(to15(id))).changes > 0;
  }

  /** The org's counter: the number its latest change took. */
  revisionCounter(orgId: string): number {
    const row = this.sql('SELECT revision_counter FROM orgs WHERE id = ?').get(orgId) as { revision_counter: number } | undefined;
    return Number(row?.revision_counter ?? 0);
  }

  /** Every row of an org (reset and delete of the org); its counter goes on from where it was, so clients never see a number twice. */
  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM source_members WHERE org_id = ?').run(orgId);
  }
}
