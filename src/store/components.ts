import { Repository } from './repository';

/** A stored metadata component of any type: its fields as the type defines them, and its file content. */
export interface StoredComponent {
  orgId: string;
  type: string;
  fullName: string;
  id: string;
  fields: Record<string, unknown>;
  content: Buffer | null;
  createdById: string;
  createdDate: string;
  lastModifiedById: string;
  lastModifiedDate: string;
}

export type ComponentStamp = Omit<StoredComponent, 'fields' | 'content'>;

interface ComponentRow {
  org_id: string; type: string; full_name: string; id: string; fields: string; content: Buffer | null;
  created_by_id: string; created_date: string; last_modified_by_id: string; last_modified_date: string;
}

const toComponent = (r: ComponentRow): StoredComponent => ({
  orgId: r.org_id, type: r.type, fullName: r.full_name, id: r.id, fields: JSON.parse(r.fields) as Record<string, unknown>,
  content: r.content, createdById: r.created_by_id, createdDate: r.created_date,
  lastModifiedById: r.last_modified_by_id, lastModifiedDate: r.last_modified_date,
});

/** Names are unique per org and type regardless of case, as in a real org. */
export const nameKey = (fullName: string): string => fullName.toLowerCase();

export class ComponentRepository extends Repository {
  private readonly revisions = new Map<string, number>();

  /**
   * A number that changes whenever any component of the org is written, so that answers computed
   * from the org's components can be reused until then. Kept in memory: it only has to outlive
   * answers held in memory.
   */
  revision(orgId: string): number {
    return this.revisions.get(orgId) ?? 0;
  }

  private touch(orgId: string): void {
    this.revisions.set(orgId, this.revision(orgId) + 1);
  }

  get(orgId: string, type: string, fullName: string): StoredComponent | undefined {
    const row = this.sql('SELECT * FROM components WHERE org_id = ? AND type = ? AND name_key = ?')
      .get(orgId, type, nameKey(fullName)) as ComponentRow | undefined;
    return row && toComponent(row);
  }

  list(orgId: string, type: string): StoredComponent[] {
    const rows = this.sql('SELECT * FROM components WHERE org_id = ? AND type = ? ORDER BY name_key')
      .all(orgId, type) as ComponentRow[];
    return rows.map(toComponent);
  }

  /** Who made and changed each component of a type, without fields or content: what listings need. */
  stamps(orgId: string, type: string): ComponentStamp[] {
    const rows = this.sql(
      `SELECT org_id, type, full_name, id, created_by_id, created_date, last_modified_by_id, last_modified_date
       FROM components WHERE org_id = ? AND type = ? ORDER BY name_key`,
    ).all(orgId, type) as Omit<ComponentRow, 'fields' | 'content'>[];
    return rows.map((r) => ({
      orgId: r.org_id, type: r.type, fullName: r.full_name, id: r.id, createdById: r.created_by_id, createdDate: r.created_date,
      lastModifiedById: r.last_modified_by_id, lastModifiedDate: r.last_modified_date,
    }));
  }

  /** Insert or replace by (org, type, name); the id of an existing component is kept by the caller. */
  put(c: StoredComponent): void {
    this.touch(c.orgId);
    this.sql(
      `INSERT INTO components (org_id, type, name_key, full_name, id, fields, content, created_by_id, created_date, last_modified_by_id, last_modified_date)
       VALUES (@orgId, @type, @nameKey, @fullName, @id, @fields, @content, @createdById, @createdDate, @lastModifiedById, @lastModifiedDate)
       ON CONFLICT (org_id, type, name_key) DO UPDATE SET full_name = excluded.full_name, fields = excluded.fields,
         content = excluded.content, last_modified_by_id = excluded.last_modified_by_id, last_modified_date = excluded.last_modified_date`,
    ).run({ ...c, nameKey: nameKey(c.fullName), fields: JSON.stringify(c.fields) });
  }

  rename(orgId: string, type: string, oldName: string, newName: string, modifiedById: string, modifiedDate: string): void {
    this.touch(orgId);
    this.sql(
      `UPDATE components SET full_name = ?, name_key = ?, last_modified_by_id = ?, last_modified_date = ?
       WHERE org_id = ? AND type = ? AND name_key = ?`,
    ).run(newName, nameKey(newName), modifiedById, modifiedDate, orgId, type, nameKey(oldName));
  }

  delete(orgId: string, type: string, fullName: string): void {
    this.touch(orgId);
    const existing = this.get(orgId, type, fullName);
    if (!existing) return;
    this.sql('DELETE FROM private_keys WHERE component_id = ?').run(existing.id);
    this.sql('DELETE FROM components WHERE id = ?').run(existing.id);
  }

  /** Private keys live in their own table so that no component read can carry one out by accident. */
  putPrivateKey(orgId: string, componentId: string, privateKeyPem: string): void {
    this.touch(orgId);
    this.sql(
      `INSERT INTO private_keys (component_id, org_id, private_key_pem) VALUES (?, ?, ?)
       ON CONFLICT (component_id) DO UPDATE SET private_key_pem = excluded.private_key_pem`,
    ).run(componentId, orgId, privateKeyPem);
  }

  privateKey(componentId: string): string | undefined {
    const row = this.sql('SELECT private_key_pem FROM private_keys WHERE component_id = ?').get(componentId) as
      { private_key_pem: string } | undefined;
    return row?.private_key_pem;
  }
}
