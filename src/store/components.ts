import type { SqlDatabase } from './sqlDatabase';
import { Repository } from './repository';
import type { SecretBox } from './secretBox';

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
  /** Its files as deployed, paths relative to the package folder (types stored faithfully). */
  files?: Map<string, Buffer>;
  /**
   * The paths of its files, when it was read without their bytes (a retrieve reads those a batch at a time,
   * with fileBytes()); `files` is then absent.
   */
  filePaths?: string[];
  /** The named package it was deployed in (package.xml `<fullName>`), if any. */
  packageName?: string;
}

export type ComponentStamp = Omit<StoredComponent, 'fields' | 'content' | 'files'>;

/**
 * A component's columns, read as arrays (a statement's rows()): better-sqlite3 makes an object of a
 * dozen properties per row otherwise, which cost as much as the read itself, for an object that was
 * then copied into a StoredComponent.
 */
const COLUMNS = 'org_id, type, full_name, id, fields, content, created_by_id, created_date, last_modified_by_id, last_modified_date, package_name';
type ComponentRow = [
  orgId: string, type: string, fullName: string, id: string, fields: string, content: Buffer | null,
  createdById: string, createdDate: string, lastModifiedById: string, lastModifiedDate: string, packageName: string | null,
];

/** component_id, path, bytes */
type FileRow = [componentId: string, path: string, bytes: Buffer];

const toComponent = (r: ComponentRow, files?: Map<string, Buffer> | string[]): StoredComponent => ({
  orgId: r[0], type: r[1], fullName: r[2], id: r[3], fields: JSON.parse(r[4]) as Record<string, unknown>,
  content: r[5], createdById: r[6], createdDate: r[7], lastModifiedById: r[8], lastModifiedDate: r[9],
  ...(Array.isArray(files) ? { filePaths: files } : { files: files ?? new Map() }),
  packageName: r[10] ?? undefined,
});

/** Whether a read brings the components' file bytes, or only their paths (fileBytes() reads the bytes later). */
export type FileReading = 'bytes' | 'paths';

/** Files of several components, grouped by component id. */
function groupFiles(rows: FileRow[]): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  for (const [componentId, path, bytes] of rows) {
    let files = out.get(componentId);
    if (!files) out.set(componentId, (files = new Map()));
    files.set(path, bytes);
  }
  return out;
}

function groupPaths(rows: [componentId: string, path: string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [componentId, path] of rows) {
    const paths = out.get(componentId);
    if (paths) paths.push(path); else out.set(componentId, [path]);
  }
  return out;
}

/** Names are unique per org and type regardless of case, as in a real org. */
export const nameKey = (fullName: string): string => fullName.toLowerCase();

export class ComponentRepository extends Repository {
  private readonly revisions = new Map<string, number>();

  constructor(db: SqlDatabase, private readonly box: SecretBox) {
    super(db);
  }

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
    const row = this.sql(`SELECT ${COLUMNS} FROM components WHERE org_id = ? AND type = ? AND name_key = ?`)
      .rows(orgId, type, nameKey(fullName))[0] as ComponentRow | undefined;
    return row && toComponent(row, this.filesOf(row[3]));
  }

  /**
   * The components of a type among `names`, with their files, in two queries whatever their number:
   * a deploy or retrieve of thousands reads them at once rather than one by one.
   */
  getMany(orgId: string, type: string, names: string[], reading: FileReading = 'bytes'): StoredComponent[] {
    if (!names.length) return [];
    const rows = this.sql({
      sqlite: `SELECT ${COLUMNS} FROM components WHERE org_id = ? AND type = ? AND name_key IN (SELECT value FROM json_each(?))`,
      postgres: `SELECT ${COLUMNS} FROM components WHERE org_id = ? AND type = ? AND name_key IN (SELECT jsonb_array_elements_text(?::jsonb))`,
    }).rows(orgId, type, JSON.stringify(names.map(nameKey))) as ComponentRow[];
    if (!rows.length) return [];
    const ids = rows.map((r) => r[3]);
    if (reading === 'paths') {
      const paths = this.pathsOf(ids);
      return rows.map((r) => toComponent(r, paths.get(r[3]) ?? []));
    }
    const files = this.fileBytes(ids);
    return rows.map((r) => toComponent(r, files.get(r[3])));
  }

  /** The files of components, by component id, in one query. */
  fileBytes(componentIds: string[]): Map<string, Map<string, Buffer>> {
    return groupFiles(this.sql({
      sqlite: 'SELECT component_id, path, bytes FROM component_files WHERE component_id IN (SELECT value FROM json_each(?)) ORDER BY path',
      postgres: 'SELECT component_id, path, bytes FROM component_files WHERE component_id IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY path',
    }).rows(JSON.stringify(componentIds)) as FileRow[]);
  }

  private pathsOf(componentIds: string[]): Map<string, string[]> {
    const rows = this.sql({
      sqlite: 'SELECT component_id, path FROM component_files WHERE component_id IN (SELECT value FROM json_each(?)) ORDER BY path',
      postgres: 'SELECT component_id, path FROM component_files WHERE component_id IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY path',
    }).rows(JSON.stringify(componentIds)) as [string, string][];
    return groupPaths(rows);
  }

  private filesOf(componentId: string): Map<string, Buffer> {
    return this.fileBytes([componentId]).get(componentId) ?? new Map();
  }

  /** Every component of a type, with its files (read in one query for the whole type), or their paths only. */
  list(orgId: string, type: string, reading: FileReading = 'bytes'): StoredComponent[] {
    const rows = this.sql(`SELECT ${COLUMNS} FROM components WHERE org_id = ? AND type = ? ORDER BY name_key`)
      .rows(orgId, type) as ComponentRow[];
    if (!rows.length) return [];
    const files = this.sql(
      `SELECT f.component_id, f.path${reading === 'bytes' ? ', f.bytes' : ''} FROM component_files f JOIN components c ON c.id = f.component_id
       WHERE c.org_id = ? AND c.type = ? ORDER BY f.path`,
    ).rows(orgId, type);
    if (reading === 'paths') {
      const paths = groupPaths(files as [string, string][]);
      return rows.map((r) => toComponent(r, paths.get(r[3]) ?? []));
    }
    const bytes = groupFiles(files as FileRow[]);
    return rows.map((r) => toComponent(r, bytes.get(r[3])));
  }

  /** The components of a type whose names start with `prefix` (the children of one parent: `Account.`). */
  withPrefix(orgId: string, type: string, prefix: string): StoredComponent[] {
    const key = nameKey(prefix);
    const rows = this.sql(`SELECT ${COLUMNS} FROM components WHERE org_id = ? AND type = ? AND name_key >= ? AND name_key < ? ORDER BY name_key`)
      .rows(orgId, type, key, `${key}\uffff`) as ComponentRow[];
    return rows.map((r) => toComponent(r));
  }

  /** The components deployed in a named package, as (type, name) pairs. */
  inPackage(orgId: string, packageName: string): { type: string; fullName: string }[] {
    return (this.sql('SELECT type, full_name FROM components WHERE org_id = ? AND package_name = ? ORDER BY type, name_key')
      .all(orgId, packageName) as { type: string; full_name: string }[]).map((r) => ({ type: r.type, fullName: r.full_name }));
  }

  /** Who made and changed each component of a type, without fields or content: what listings need. */
  stamps(orgId: string, type: string): ComponentStamp[] {
    // Only the columns the query does not already know, as arrays: turning each value into JavaScript, and
    // an object per row, are most of a listing's cost.
    const rows = this.sql(
      `SELECT full_name, id, created_by_id, created_date, last_modified_by_id, last_modified_date
       FROM components WHERE org_id = ? AND type = ? ORDER BY name_key`,
    ).rows(orgId, type) as string[][];
    return rows.map((r) => ({
      orgId, type, fullName: r[0]!, id: r[1]!, createdById: r[2]!, createdDate: r[3]!, lastModifiedById: r[4]!, lastModifiedDate: r[5]!,
    }));
  }

  /** Insert or replace by (org, type, name); the id of an existing component is kept by the caller. */
  put(c: StoredComponent): void {
    this.touch(c.orgId);
    this.sql(
      `INSERT INTO components (org_id, type, name_key, full_name, id, fields, content, created_by_id, created_date, last_modified_by_id, last_modified_date, package_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, type, name_key) DO UPDATE SET full_name = excluded.full_name, fields = excluded.fields,
         content = excluded.content, last_modified_by_id = excluded.last_modified_by_id, last_modified_date = excluded.last_modified_date,
         package_name = COALESCE(excluded.package_name, components.package_name)`,
    ).run(
      // Positional: binding by name looks each parameter up in an object, a measurable share of a deploy of thousands.
      c.orgId, c.type, nameKey(c.fullName), c.fullName, c.id, JSON.stringify(c.fields), c.content, c.createdById, c.createdDate,
      c.lastModifiedById, c.lastModifiedDate, c.packageName ?? null,
    );
    if (!c.files) return;
    this.sql('DELETE FROM component_files WHERE component_id = ?').run(c.id);
    const insert = this.sql('INSERT INTO component_files (component_id, path, bytes) VALUES (?, ?, ?)');
    for (const [path, bytes] of c.files) insert.run(c.id, path, bytes);
  }

  /** Renames a component; `renamePath` gives each of its files its new path. */
  rename(orgId: string, type: string, oldName: string, newName: string, modifiedById: string, modifiedDate: string, renamePath: (path: string) => string = (p) => p): void {
    this.touch(orgId);
    const existing = this.get(orgId, type, oldName);
    for (const path of existing?.files?.keys() ?? []) {
      this.sql('UPDATE component_files SET path = ? WHERE component_id = ? AND path = ?').run(renamePath(path), existing!.id, path);
    }
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
    this.sql('DELETE FROM component_files WHERE component_id = ?').run(existing.id);
    this.sql('DELETE FROM components WHERE id = ?').run(existing.id);
  }

  /** Every component of an org, with its files and private keys (reset and delete of the org). */
  deleteOrg(orgId: string): void {
    this.touch(orgId);
    this.sql('DELETE FROM component_files WHERE component_id IN (SELECT id FROM components WHERE org_id = ?)').run(orgId);
    this.sql('DELETE FROM private_keys WHERE org_id = ?').run(orgId);
    this.sql('DELETE FROM components WHERE org_id = ?').run(orgId);
  }

  /** Each component of an org, without fields, content or files: the console's inventory, by type and name. */
  inventory(orgId: string): { type: string; fullName: string; id: string; lastModifiedDate: string; packageName?: string }[] {
    const rows = this.sql('SELECT type, full_name, id, last_modified_date, package_name FROM components WHERE org_id = ? ORDER BY type, name_key')
      .all(orgId) as { type: string; full_name: string; id: string; last_modified_date: string; package_name: string | null }[];
    return rows.map((r) => ({ type: r.type, fullName: r.full_name, id: r.id, lastModifiedDate: r.last_modified_date, packageName: r.package_name ?? undefined }));
  }

  /**
   * Private keys live in their own table so that no component read can carry one out by accident,
   * sealed under the master key and bound to their component.
   */
  putPrivateKey(orgId: string, componentId: string, privateKeyPem: string): void {
    this.touch(orgId);
    this.sql(
      `INSERT INTO private_keys (component_id, org_id, private_key_pem) VALUES (?, ?, ?)
       ON CONFLICT (component_id) DO UPDATE SET private_key_pem = excluded.private_key_pem`,
    ).run(componentId, orgId, this.box.seal(privateKeyPem, `private_keys:${componentId}`));
  }

  privateKey(componentId: string): string | undefined {
    const row = this.sql('SELECT private_key_pem FROM private_keys WHERE component_id = ?').get(componentId) as
      { private_key_pem: string } | undefined;
    return row && this.box.open(row.private_key_pem, `private_keys:${componentId}`);
  }
}
