import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type Db } from './database';
import { LocationFiles, StoreLocation } from './location';
import { openSecretBox, rotateMasterKey } from './masterKeys';
import type { SecretBox } from './secretBox';
import { OrgRepository } from './orgs';
import { SessionRepository } from './sessions';
import { ComponentRepository } from './components';
import { JobRepository } from './jobs';
import { KeyPoolRepository } from './keyPool';
import { MutualAuthCertificateRepository } from './mutualAuthCertificates';
import { ConnectedAppRepository } from './connectedApps';
import { RefreshTokenRepository } from './refreshTokens';
import type { DeployResult, RetrieveResult } from '../model/resultTypes';

/** Everything Localforce keeps, behind one handle; `transaction` makes a group of writes all-or-nothing. */
export class Store {
  readonly orgs: OrgRepository;
  readonly sessions: SessionRepository;
  readonly components: ComponentRepository;
  readonly deploys: JobRepository<DeployResult>;
  readonly retrieves: JobRepository<RetrieveResult>;
  readonly keyPool: KeyPoolRepository;
  readonly mutualAuthCertificates: MutualAuthCertificateRepository;
  readonly connectedApps: ConnectedAppRepository;
  readonly refreshTokens: RefreshTokenRepository;

  private constructor(private readonly db: Db, box: SecretBox, private readonly location?: StoreLocation) {
    this.orgs = new OrgRepository(db);
    this.sessions = new SessionRepository(db);
    this.components = new ComponentRepository(db, box);
    this.deploys = new JobRepository<DeployResult>(db, 'deploys');
    this.retrieves = new JobRepository<RetrieveResult>(db, 'retrieves');
    this.keyPool = new KeyPoolRepository(db, box);
    this.mutualAuthCertificates = new MutualAuthCertificateRepository(db);
    this.connectedApps = new ConnectedAppRepository(db, box);
    this.refreshTokens = new RefreshTokenRepository(db);
  }

  /**
   * `location` null keeps everything in memory. A folder is locked for this process first, so a
   * second server stops before it touches anything; private keys are sealed under the master key
   * (`masterKeyFile`, else master.key in the folder).
   */
  static open(location: string | null, options: { masterKeyFile?: string } = {}): Store {
    const claimed = location === null ? undefined : StoreLocation.claim(location);
    let db: Db | undefined;
    try {
      db = openDatabase(claimed?.dir ?? null);
      hashStoredSessionIds(db);
      const box = openSecretBox(db, claimed ? options.masterKeyFile ?? claimed.file(LocationFiles.masterKey) : null);
      return new Store(db, box, claimed);
    } catch (err) {
      db?.close();
      claimed?.release();
      throw err;
    }
  }

  /** Replaces the master key of the store in `location` and re-seals every private key; the location must not be in use. */
  static rotateMasterKey(location: string, options: { masterKeyFile?: string } = {}): { resealed: number; keyId: string; file: string } {
    const claimed = StoreLocation.claim(location);
    try {
      const db = openDatabase(claimed.dir);
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
   * location) commits to the store, never for this one's own writes.
   */
  dataVersion(): number {
    return (this.versionStatement ??= this.db.prepare('PRAGMA data_version').pluck()).get() as number;
  }

  private versionStatement: ReturnType<Db['prepare']> | undefined;

  /**
   * Empties an org: components with their files and keys (and the connected apps they register),
   * deploys, retrieves, sessions and refresh tokens. The org, its users and the apps made through the
   * admin API stay.
   */
  emptyOrg(orgId: string): void {
    this.transaction(() => {
      this.components.deleteOrg(orgId);
      this.connectedApps.deleteOrg(orgId, 'metadata');
      this.deploys.deleteOrg(orgId);
      this.retrieves.deleteOrg(orgId);
      this.sessions.deleteOrg(orgId);
      this.refreshTokens.deleteOrg(orgId);
    });
  }

  /** Removes an org and everything of it. */
  deleteOrg(orgId: string): void {
    this.transaction(() => {
      this.emptyOrg(orgId);
      this.mutualAuthCertificates.deleteOrg(orgId);
      this.connectedApps.deleteOrg(orgId);
      this.orgs.delete(orgId);
    });
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
    this.location?.release();
  }
}

/** Sessions are kept by the SHA-256 of their token, never the token: stores from before that are converted once. */
function hashStoredSessionIds(db: Db): void {
  db.function('localforce_sha256', { deterministic: true }, (v: unknown) => createHash('sha256').update(String(v)).digest('hex'));
  db.prepare("UPDATE sessions SET id = localforce_sha256(id) WHERE id LIKE '%!%'").run();
}
