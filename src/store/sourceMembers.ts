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
  /**
   * Records changes made together: each gets the next number of the org's counter, in order; a member
   * already tracked keeps its row (and id) and takes the new number. A key given twice counts once, as
   * its last change.
   */
  record(orgId: string, changes: SourceMemberChange[], changedBy: string, at: string): void {
    const latest = new Map<string, SourceMemberChange>();
    for (const c of changes) {
      const key = `${c.memberType}\n${c.memberName}`;
      latest.delete(key);
      latest.set(key, c);
    }
    if (!latest.size) return;
    const { revision_counter: last } = this.sql('UPDATE orgs SET revision_counter = revision_counter + ? WHERE id = ? RETURNING revision_counter')
      .get(latest.size, orgId) as { revision_counter: number };
    const first = Number(last) - latest.size + 1;
    const rows = [...latest.values()].map((c, i) => ({
      id: newId(IdPrefix.sourceMember), member_type: c.memberType, member_name: c.memberName, member_id_or_name: c.memberIdOrName,
      revision_counter: first + i, is_new_member: c.isNewMember ? 1 : 0, is_name_obsolete: c.isNameObsolete ? 1 : 0,
    }));
    // One statement for every row, whatever their number: a deploy of thousands costs one round trip to PostgreSQL.
    const upsert = `ON CONFLICT (org_id, member_type, member_name) DO UPDATE SET member_id_or_name = excluded.member_id_or_name,
         revision_counter = excluded.revision_counter, is_new_member = excluded.is_new_member, is_name_obsolete = excluded.is_name_obsolete,
         changed_by = excluded.changed_by, last_modified_date = excluded.last_modified_date`;
    const columns = '(id, org_id, member_type, member_name, member_id_or_name, revision_counter, is_new_member, is_name_obsolete, changed_by, last_modified_date)';
    this.sql({
      // WHERE true: SQLite needs it to tell the upsert's ON CONFLICT from a join's ON.
      sqlite: `INSERT INTO source_members ${columns}
       SELECT json_extract(value, '$.id'), ?, json_extract(value, '$.member_type'), json_extract(value, '$.member_name'),
         json_extract(value, '$.member_id_or_name'), json_extract(value, '$.revision_counter'), json_extract(value, '$.is_new_member'),
         json_extract(value, '$.is_name_obsolete'), ?, ? FROM json_each(?) WHERE true ${upsert}`,
      postgres: `INSERT INTO source_members ${columns}
       SELECT r.id, ?, r.member_type, r.member_name, r.member_id_or_name, r.revision_counter, r.is_new_member, r.is_name_obsolete, ?, ?
       FROM jsonb_to_recordset(?::jsonb) AS r(id TEXT, member_type TEXT, member_name TEXT, member_id_or_name TEXT, revision_counter INTEGER,
         is_new_member INTEGER, is_name_obsolete INTEGER) ${upsert}`,
    }).run(orgId, to15(changedBy), at, JSON.stringify(rows));
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
