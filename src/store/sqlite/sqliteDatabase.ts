import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase, SqlStatement } from '../sqlDatabase';
import { WalCheckpointer } from './walCheckpointer';

/** The embedded store: better-sqlite3 already runs statements synchronously, as the repositories expect. */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite';
  /** One server holds a store folder (src/store/location.ts locks it), so nothing is shared. */
  readonly shared = false;

  constructor(readonly raw: Database.Database, private readonly checkpointer?: WalCheckpointer) {}

  prepare(text: string): SqlStatement {
    const statement = this.raw.prepare(text);
    // raw() sets the mode of the statement it is called on: rows() has a statement of its own, made when first used.
    let asArrays: Database.Statement | undefined;
    const rows = (...params: unknown[]) => (asArrays ??= this.raw.prepare(text).raw(true)).all(...params) as unknown[][];
    return Object.assign(statement, { rows }) as unknown as SqlStatement;
  }

  transaction<T>(work: () => T): T {
    const result = this.raw.transaction(work)();
    this.checkpointer?.wrote();
    return result;
  }

  close(): void {
    this.checkpointer?.close();
    this.raw.close();
  }
}

/** Schema migrations, applied in order; the index of the last one applied is kept in user_version. */
const MIGRATIONS: string[] = [
  `CREATE TABLE orgs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     created_date TEXT NOT NULL,
     clock_offset_ms INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password TEXT NOT NULL,
     full_name TEXT NOT NULL,
     email TEXT NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     user_id TEXT NOT NULL REFERENCES users(id),
     created_date TEXT NOT NULL,
     revoked INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE components (
     org_id TEXT NOT NULL REFERENCES orgs(id),
     type TEXT NOT NULL,
     name_key TEXT NOT NULL,
     full_name TEXT NOT NULL,
     id TEXT NOT NULL UNIQUE,
     fields TEXT NOT NULL,
     content BLOB,
     created_by_id TEXT NOT NULL,
     created_date TEXT NOT NULL,
     last_modified_by_id TEXT NOT NULL,
     last_modified_date TEXT NOT NULL,
     PRIMARY KEY (org_id, type, name_key)
   );
   CREATE TABLE private_keys (
     component_id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     private_key_pem TEXT NOT NULL
   );
   CREATE TABLE deploys (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     created_date TEXT NOT NULL,
     result TEXT NOT NULL,
     options TEXT NOT NULL,
     zip BLOB
   );
   CREATE TABLE retrieves (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     created_date TEXT NOT NULL,
     result TEXT NOT NULL,
     zip BLOB
   );
   CREATE TABLE key_pool (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     bits INTEGER NOT NULL,
     private_key_pem TEXT NOT NULL
   );`,
  // Every type: a component's files as deployed (bundles have many), and a package name per component.
  `CREATE TABLE component_files (
     component_id TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     bytes BLOB NOT NULL,
     PRIMARY KEY (component_id, path)
   );
   ALTER TABLE components ADD COLUMN package_name TEXT;
   ALTER TABLE orgs ADD COLUMN test_outcome_policy TEXT;
   CREATE INDEX components_by_package ON components (org_id, package_name) WHERE package_name IS NOT NULL;`,
  // Mutual authentication certificates an org uploads (its API clients' certificates, chain as uploaded).
  `CREATE TABLE mutual_auth_certificates (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     chain_pem TEXT NOT NULL,
     leaf_sha256 TEXT NOT NULL,
     created_date TEXT NOT NULL,
     UNIQUE (org_id, leaf_sha256)
   );
   CREATE INDEX mutual_auth_by_leaf ON mutual_auth_certificates (leaf_sha256);`,
  // Users of more than one kind: who is told of expiring certificates depends on profile and permissions.
  `ALTER TABLE users ADD COLUMN profile TEXT NOT NULL DEFAULT 'System Administrator';
   ALTER TABLE users ADD COLUMN permissions TEXT NOT NULL DEFAULT '[]';`,
  // Clock offsets saved before they were checked (1e20 once was): any beyond 8,000 years made every date invalid.
  `UPDATE orgs SET clock_offset_ms = 0 WHERE typeof(clock_offset_ms) <> 'integer' OR abs(clock_offset_ms) > 252460800000000;`,
  // Sessions expire after sessionSecondsValid without use, on the org's clock (null: not used since this column came),
  // except lasting ones: the tokens handed out with the default org and by the admin API.
  `ALTER TABLE sessions ADD COLUMN last_active_ms INTEGER;
   ALTER TABLE sessions ADD COLUMN lasting INTEGER NOT NULL DEFAULT 0;`,
  // The console and test control: an org's deploy pacing; what a retrieve asked for and when it ended;
  // an org's jobs listed (and emptied on reset) without reading every row.
  `ALTER TABLE orgs ADD COLUMN deploy_pacing TEXT;
   ALTER TABLE retrieves ADD COLUMN options TEXT;
   ALTER TABLE retrieves ADD COLUMN completed_date TEXT;
   CREATE INDEX deploys_by_org ON deploys (org_id, created_date);
   CREATE INDEX retrieves_by_org ON retrieves (org_id, created_date);`,
  // Connected apps (OAuth clients, from ConnectedApp metadata or the admin API; secrets sealed), refresh
  // tokens (kept as SHA-256, like sessions), and which app and refresh token a session came from, so
  // revoking either ends the sessions it opened.
  `CREATE TABLE connected_apps (
     consumer_key TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     name TEXT NOT NULL COLLATE NOCASE,
     consumer_secret TEXT NOT NULL,
     certificate_pem TEXT,
     scopes TEXT NOT NULL,
     secret_required_for_refresh INTEGER NOT NULL,
     source TEXT NOT NULL,
     created_date TEXT NOT NULL,
     UNIQUE (org_id, name)
   );
   CREATE TABLE refresh_tokens (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     user_id TEXT NOT NULL REFERENCES users(id),
     consumer_key TEXT NOT NULL,
     scopes TEXT NOT NULL,
     created_date TEXT NOT NULL,
     revoked INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX refresh_tokens_by_app ON refresh_tokens (consumer_key);
   ALTER TABLE sessions ADD COLUMN consumer_key TEXT;
   ALTER TABLE sessions ADD COLUMN refresh_token TEXT;
   CREATE INDEX sessions_by_app ON sessions (consumer_key) WHERE consumer_key IS NOT NULL;
   CREATE INDEX sessions_by_refresh_token ON sessions (refresh_token) WHERE refresh_token IS NOT NULL;`,
  // Several servers on one store (PostgreSQL; the columns are here too so both run the same SQL): a job
  // is owned by the server running it under a lease it renews, and a cancel may come through another.
  `ALTER TABLE deploys ADD COLUMN owner TEXT;
   ALTER TABLE deploys ADD COLUMN lease_until_ms INTEGER;
   ALTER TABLE deploys ADD COLUMN cancel_requested_by TEXT;
   ALTER TABLE retrieves ADD COLUMN owner TEXT;
   ALTER TABLE retrieves ADD COLUMN lease_until_ms INTEGER;
   ALTER TABLE retrieves ADD COLUMN cancel_requested_by TEXT;
   CREATE TABLE shared_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // Which deploy checks an org runs, when it sets its own (src/checks/deployChecks.ts).
  'ALTER TABLE orgs ADD COLUMN deploy_checks TEXT;',
  // The name SAML single sign-on knows a user by.
  'ALTER TABLE users ADD COLUMN federation_id TEXT;',
  // Dev Hubs and scratch orgs (src/devhub/): an org is a hub unless it says otherwise; a scratch org names
  // its hub, edition and end. The hub keeps a ScratchOrgInfo per request, which outlives the org it made.
  // Source tracking (src/tracking/): one org-wide revision counter and a SourceMember per changed
  // component. Apex test runs and logs (src/apexRuns/), whose outcomes are declared, not run.
  `ALTER TABLE orgs ADD COLUMN dev_hub INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE orgs ADD COLUMN dev_hub_limits TEXT;
   ALTER TABLE orgs ADD COLUMN edition TEXT;
   ALTER TABLE orgs ADD COLUMN hub_org_id TEXT;
   ALTER TABLE orgs ADD COLUMN expiration_date TEXT;
   ALTER TABLE orgs ADD COLUMN revision_counter INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE orgs ADD COLUMN anonymous_apex_policy TEXT;
   CREATE TABLE scratch_org_infos (
     id TEXT PRIMARY KEY,
     hub_org_id TEXT NOT NULL REFERENCES orgs(id),
     active_id TEXT NOT NULL UNIQUE,
     org_id TEXT,
     status TEXT NOT NULL,
     error_code TEXT,
     signup_username TEXT NOT NULL,
     edition TEXT NOT NULL,
     org_name TEXT NOT NULL,
     request TEXT NOT NULL,
     created_by_id TEXT NOT NULL,
     created_date TEXT NOT NULL,
     expiration_date TEXT NOT NULL,
     auth_code TEXT,
     consumer_key TEXT,
     callback_url TEXT,
     deleted_date TEXT
   );
   CREATE INDEX scratch_org_infos_by_hub ON scratch_org_infos (hub_org_id, created_date);
   CREATE INDEX scratch_org_infos_by_org ON scratch_org_infos (org_id);
   CREATE TABLE source_members (
     id TEXT NOT NULL UNIQUE,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     member_type TEXT NOT NULL,
     member_name TEXT NOT NULL,
     member_id_or_name TEXT NOT NULL,
     revision_counter INTEGER NOT NULL,
     is_new_member INTEGER NOT NULL,
     is_name_obsolete INTEGER NOT NULL,
     changed_by TEXT NOT NULL,
     last_modified_date TEXT NOT NULL,
     PRIMARY KEY (org_id, member_type, member_name)
   );
   CREATE INDEX source_members_by_revision ON source_members (org_id, revision_counter);
   CREATE TABLE apex_test_runs (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     created_date TEXT NOT NULL,
     run TEXT NOT NULL
   );
   CREATE INDEX apex_test_runs_by_org ON apex_test_runs (org_id, created_date);
   CREATE TABLE apex_logs (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     user_id TEXT NOT NULL,
     start_time TEXT NOT NULL,
     summary TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX apex_logs_by_org ON apex_logs (org_id, start_time);`,
  // A deploy's per-component lists apart from the rest of its result (polls without details read none
  // of them), and once it has ended, the XML a poll with details sends of them (src/store/jobs.ts). The
  // XML comes first in the row, so that reading it does not walk the JSON's pages.
  `ALTER TABLE deploys ADD COLUMN messages_xml BLOB;
   ALTER TABLE deploys ADD COLUMN messages TEXT;`,
  // A retrieve's zip in parts, written as it is made and read as it is sent (src/store/retrieveZipParts.ts).
  `CREATE TABLE retrieve_zip_parts (
     retrieve_id TEXT NOT NULL REFERENCES retrieves(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     bytes BLOB NOT NULL,
     PRIMARY KEY (retrieve_id, seq)
   );`,
];

/** Opens (creating and migrating when needed) the store in `location`, or in memory. */
export function openSqliteDatabase(location: string | null): SqliteDatabase {
  let file = ':memory:';
  if (location) {
    mkdirSync(location, { recursive: true, mode: 0o700 });
    file = join(location, 'localforce.sqlite');
    // Made 600 before SQLite opens it: SQLite gives its -wal and -shm files the same mode.
    closeSync(openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let i = applied; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  // Sessions are kept by the SHA-256 of their token, never the token: stores from before that are converted once.
  db.function('localforce_sha256', { deterministic: true }, (v: unknown) => createHash('sha256').update(String(v)).digest('hex'));
  db.prepare("UPDATE sessions SET id = localforce_sha256(id) WHERE id LIKE '%!%'").run();
  if (file === ':memory:') return new SqliteDatabase(db);
  // SQLite's own default page cache (2 MB), not better-sqlite3's 16 MB: the system caches the file too, and
  // the larger cache filled with a large deploy's or retrieve's pages, 12 MB of the bound of 64 MB (bench/RESULTS.md).
  db.pragma('cache_size = -2000');
  // The log is copied into the file beside the server, not in the commits that grow it (walCheckpointer.ts).
  db.pragma('wal_autocheckpoint = 0');
  return new SqliteDatabase(db, new WalCheckpointer(file, () => { if (db.open) db.pragma('wal_autocheckpoint = 1000'); }));
}
