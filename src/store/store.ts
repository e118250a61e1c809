import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SqlDatabase } from './sqlDatabase';
import { openSqliteDatabase, SqliteDatabase } from './sqlite/sqliteDatabase';
import { PostgresDatabase } from './postgres/postgresDatabase';
import { LocationFiles, StoreLocation } from './location';
import { openSecretBox, rotateMasterKey } from './masterKeys';
import type { SecretBox } from './secretBox';
import { OrgRepository } from './orgs';
import { SessionRepository } from './sessions';
import { ComponentRepository } from './components';
import { JobRepository } from './jobs';
import { RetrieveZipPartRepository } from './retrieveZipParts';
import { KeyPoolRepository } from './keyPool';
import { MutualAuthCertificateRepository } from './mutualAuthCertificates';
import { ConnectedAppRepository } from './connectedApps';
import { RefreshTokenRepository } from './refreshTokens';
import { OrgLockRepository } from './orgLocks';
import { ApexTestRunRepository } from './apexTestRuns';
import { ApexLogRepository } from './apexLogs';
import { SourceMemberRepository } from './sourceMembers';
import { ScratchOrgInfoRepository } from './scratchOrgInfos';
import type { DeployResult, RetrieveResult } from '../model/resultTypes';

/** Everything Localforce keeps, behind one handle; `transaction` makes a group of writes all-or-nothing. */
export class Store {
  readonly orgs: OrgRepository;
  readonly sessions: SessionRepository;
  readonly components: ComponentRepository;
  readonly deploys: JobRepository<DeployResult>;
  readonly retrieves: JobRepository<RetrieveResult>;
  readonly retrieveZipParts: RetrieveZipPartRepository;
  readonly keyPool: KeyPoolRepository;
  readonly mutualAuthCertificates: MutualAuthCertificateRepository;
  readonly connectedApps: ConnectedAppRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly orgLocks: OrgLockRepository;
  readonly apexTestRuns: ApexTestRunRepository;
  readonly apexLogs: ApexLogRepository;
  readonly sourceMembers: SourceMemberRepository;
  readonly scratchOrgInfos: ScratchOrgInfoRepository;

  /** This server among those sharing the store: the owner of the jobs it runs. */
  readonly instanceId = randomUUID();

  /**
   * @param description where the store is, for the start-up line: never a password.
   */
  private constructor(
    private readonly db: SqlDatabase, private readonly box: SecretBox, readonly description: string, private readonly location?: StoreLocation,
  ) {
    this.orgs = new OrgRepository(db);
    this.sessions = new SessionRepository(db);
    this.components = new ComponentRepository(db, box);
    this.deploys = new JobRepository<DeployResult>(db, 'deploys');
    this.retrieves = new JobRepository<RetrieveResult>(db, 'retrieves');
    this.retrieveZipParts = new RetrieveZipPartRepository(db);
    this.keyPool = new KeyPoolRepository(db, box);
    this.mutualAuthCertificates = new MutualAuthCertificateRepository(db);
    this.connectedApps = new ConnectedAppRepository(db, box);
    this.refreshTokens = new RefreshTokenRepository(db);
    this.orgLocks = new OrgLockRepository(db);
    this.apexTestRuns = new ApexTestRunRepository(db);
    this.apexLogs = new ApexLogRepository(db);
    this.sourceMembers = new SourceMemberRepository(db);
    this.scratchOrgInfos = new ScratchOrgInfoRepository(db);
  }

  /**
   * `location` null keeps everything in memory; a postgres:// URL names a PostgreSQL store that several
   * servers share, whose private keys are sealed under the master key in `masterKeyFile` (the same
   * file for every server). A folder is locked for this process first, so a second server stops before
   * it touches anything; its master key is `masterKeyFile`, else master.key in the folder.
   */
  static open(location: string | null, options: { masterKeyFile?: string } = {}): Store {
    if (location !== null && isPostgresUrl(location)) return Store.openPostgres(location, options.masterKeyFile);
    const claimed = location === null ? undefined : StoreLocation.claim(location);
    let db: SqlDatabase | undefined;
    try {
      db = openSqliteDatabase(claimed?.dir ?? null);
      const box = openSecretBox(db, claimed ? options.masterKeyFile ?? claimed.file(LocationFiles.masterKey) : null);
      return new Store(db, box, claimed ? `SQLite in ${claimed.dir}` : 'in memory', claimed);
    } catch (err) {
      db?.close();
      claimed?.release();
      throw err;
    }
  }

  private static openPostgres(url: string, masterKeyFile: string | undefined): Store {
    if (!masterKeyFile) {
      throw new Error('A PostgreSQL store needs --master-key-file (or LOCALFORCE_MASTER_KEY_FILE): every server sharing it seals private keys with the same key');
    }
    const db = PostgresDatabase.open(url);
    try {
      const where = new URL(url);
      return new Store(db, openSecretBox(db, masterKeyFile), `PostgreSQL at ${where.host}${where.pathname}, shared`);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Whether other servers write this store too (PostgreSQL): then nothing read may be kept in memory as current. */
  get shared(): boolean {
    return this.db.shared;
  }

  /**
   * A secret every server of a shared store must agree on (the admin token): the first to ask keeps
   * `made` (sealed under the master key), and every server after gets that one. (A store folder keeps
   * its admin token in a file of its own: src/auth/adminToken.ts.)
   */
  sharedSecret(name: string, made: string): string {
    const context = `shared_settings:${name}`;
    this.db.prepare('INSERT INTO shared_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, this.box.seal(made, context));
    const row = this.db.prepare('SELECT value FROM shared_settings WHERE name = ?').get(name) as { value: string };
    return this.box.open(row.value, context);
  }

  /** Replaces the master key of the store in `location` and re-seals every private key; the location must not be in use. */
  static rotateMasterKey(location: string, options: { masterKeyFile?: string } = {}): { resealed: number; keyId: string; file: string } {
    if (isPostgresUrl(location)) throw new Error('rotate-master-key works on a store folder; a PostgreSQL store\'s master key cannot be rotated while its servers share it');
    const claimed = StoreLocation.claim(location);
    try {
      const db = openSqliteDatabase(claimed.dir);
      try {
        const file = options.masterKeyFile ?? claimed.file(LocationFiles.masterKey);
        return { ...rotateMasterKey(db, file), file };
      } finally {
        db.close();
      }
    } finally {
      claimed.release();
    }
  }

  /** The path of one of the store's own files (admin-token), kept to mode 600; undefined in memory. */
  ownFile(name: string): string | undefined {
    return this.location ? join(this.location.dir, name) : undefined;
  }

  /**
   * SQLite's data_version: it changes when another connection (another server on the same
   * location) commits to the store, never for this one's own writes. A shared store has none: it is
   * written by others all the time.
   */
  dataVersion(): number | undefined {
    if (!(this.db instanceof SqliteDatabase)) return undefined;
    return (this.versionStatement ??= this.db.raw.prepare('PRAGMA data_version').pluck()).get() as number;
  }

  private versionStatement: import('better-sqlite3').Statement | undefined;

  /**
   * Empties an org: components with their files and keys (and the connected apps they register),
   * deploys, retrieves, Apex test runs and logs, sessions and refresh tokens. The org, its users and the
   * apps made through the admin API stay.
   */
  emptyOrg(orgId: string): void {
    this.transaction(() => {
      this.components.deleteOrg(orgId);
      this.sourceMembers.deleteOrg(orgId);
      this.connectedApps.deleteOrg(orgId, 'metadata');
      this.deploys.deleteOrg(orgId);
      this.retrieves.deleteOrg(orgId);
      this.apexTestRuns.deleteOrg(orgId);
      this.apexLogs.deleteOrg(orgId);
      this.sessions.deleteOrg(orgId);
      this.refreshTokens.deleteOrg(orgId);
    });
  }

  /** Removes an org and everything of it; a Dev Hub's scratch orgs and its records of them go with it. */
  deleteOrg(orgId: string): void {
    this.transaction(() => {
      for (const scratchOrgId of this.orgs.scratchOrgIds(orgId)) this.deleteOrg(scratchOrgId);
      this.scratchOrgInfos.deleteHub(orgId);
      this.emptyOrg(orgId);
      this.mutualAuthCertificates.deleteOrg(orgId);
      this.connectedApps.deleteOrg(orgId);
      this.orgs.delete(orgId);
    });
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work);
  }

  close(): void {
    this.db.close();
    this.location?.release();
  }
}

/** A PostgreSQL connection URL, as libpq takes it, rather than a folder. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);
