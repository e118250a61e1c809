/**
 * The PostgreSQL store's schema, in versions applied in order (the version is kept in
 * localforce_schema). The tables and columns are the SQLite store's (src/store/sqlite/sqliteDatabase.ts)
 * as its migrations leave them, so the repositories' SQL serves both: names unique regardless of case
 * use a case-insensitive ICU collation where SQLite says COLLATE NOCASE, and `seq` columns stand for
 * SQLite's rowid where rows are listed in the order they came.
 */
export const POSTGRES_MIGRATIONS: string[] = [
  `CREATE COLLATION IF NOT EXISTS localforce_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
   CREATE TABLE orgs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     created_date TEXT NOT NULL,
     clock_offset_ms BIGINT NOT NULL DEFAULT 0,
     test_outcome_policy TEXT,
     deploy_pacing TEXT
   );
   CREATE TABLE users (
     seq BIGSERIAL NOT NULL,
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     username TEXT COLLATE localforce_nocase NOT NULL UNIQUE,
     password TEXT NOT NULL,
     full_name TEXT NOT NULL,
     email TEXT NOT NULL,
     profile TEXT NOT NULL DEFAULT 'System Administrator',
     permissions TEXT NOT NULL DEFAULT '[]'
   );
   CREATE INDEX users_by_org ON users (org_id, seq);
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     user_id TEXT NOT NULL REFERENCES users(id),
     created_date TEXT NOT NULL,
     revoked INTEGER NOT NULL DEFAULT 0,
     last_active_ms BIGINT,
     lasting INTEGER NOT NULL DEFAULT 0,
     consumer_key TEXT,
     refresh_token TEXT
   );
   CREATE INDEX sessions_by_org ON sessions (org_id);
   CREATE INDEX sessions_by_app ON sessions (consumer_key) WHERE consumer_key IS NOT NULL;
   CREATE INDEX sessions_by_refresh_token ON sessions (refresh_token) WHERE refresh_token IS NOT NULL;
   CREATE TABLE components (
     org_id TEXT NOT NULL REFERENCES orgs(id),
     type TEXT NOT NULL,
     name_key TEXT NOT NULL,
     full_name TEXT NOT NULL,
     id TEXT NOT NULL UNIQUE,
     fields TEXT NOT NULL,
     content BYTEA,
     created_by_id TEXT NOT NULL,
     created_date TEXT NOT NULL,
     last_modified_by_id TEXT NOT NULL,
     last_modified_date TEXT NOT NULL,
     package_name TEXT,
     PRIMARY KEY (org_id, type, name_key)
   );
   CREATE INDEX components_by_package ON components (org_id, package_name) WHERE package_name IS NOT NULL;
   CREATE TABLE component_files (
     component_id TEXT NOT NULL REFERENCES components(id) ON DELETE CASCADE,
     path TEXT NOT NULL,
     bytes BYTEA NOT NULL,
     PRIMARY KEY (component_id, path)
   );
   CREATE TABLE private_keys (
     component_id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     private_key_pem TEXT NOT NULL
   );
   CREATE INDEX private_keys_by_org ON private_keys (org_id);
   CREATE TABLE deploys (
     seq BIGSERIAL NOT NULL,
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     created_date TEXT NOT NULL,
     result TEXT NOT NULL,
     options TEXT NOT NULL,
     zip BYTEA,
     owner TEXT,
     lease_until_ms BIGINT,
     cancel_requested_by TEXT
   );
   CREATE INDEX deploys_by_org ON deploys (org_id, created_date);
   CREATE INDEX deploys_by_lease ON deploys (lease_until_ms) WHERE lease_until_ms IS NOT NULL;
   CREATE TABLE retrieves (
     seq BIGSERIAL NOT NULL,
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     created_date TEXT NOT NULL,
     result TEXT NOT NULL,
     options TEXT,
     completed_date TEXT,
     zip BYTEA,
     owner TEXT,
     lease_until_ms BIGINT,
     cancel_requested_by TEXT
   );
   CREATE INDEX retrieves_by_org ON retrieves (org_id, created_date);
   CREATE INDEX retrieves_by_lease ON retrieves (lease_until_ms) WHERE lease_until_ms IS NOT NULL;
   CREATE TABLE key_pool (
     seq BIGSERIAL PRIMARY KEY,
     bits INTEGER NOT NULL,
     private_key_pem TEXT NOT NULL
   );
   CREATE INDEX key_pool_by_bits ON key_pool (bits, seq);
   CREATE TABLE mutual_auth_certificates (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     chain_pem TEXT NOT NULL,
     leaf_sha256 TEXT NOT NULL,
     created_date TEXT NOT NULL,
     UNIQUE (org_id, leaf_sha256)
   );
   CREATE INDEX mutual_auth_by_leaf ON mutual_auth_certificates (leaf_sha256);
   CREATE TABLE connected_apps (
     consumer_key TEXT PRIMARY KEY,
     org_id TEXT NOT NULL REFERENCES orgs(id),
     name TEXT COLLATE localforce_nocase NOT NULL,
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
   -- What every server of the store must agree on (the admin token, sealed), made by the first to start.
   CREATE TABLE shared_settings (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
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
  // A deploy's per-component lists apart from the rest of its result, and once it has ended, their XML
  // as a poll with details sends it (src/store/jobs.ts).
  `ALTER TABLE deploys ADD COLUMN messages_xml BYTEA;
   ALTER TABLE deploys ADD COLUMN messages TEXT;`,
  // A retrieve's zip in parts, written as it is made and read as it is sent (src/store/retrieveZipParts.ts).
  `CREATE TABLE retrieve_zip_parts (
     retrieve_id TEXT NOT NULL REFERENCES retrieves(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     bytes BYTEA NOT NULL,
     PRIMARY KEY (retrieve_id, seq)
   );`,
];
