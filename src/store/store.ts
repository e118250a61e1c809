import { openDatabase, type Db } from './database';
import { OrgRepository } from './orgs';
import { SessionRepository } from './sessions';
import { ComponentRepository } from './components';
import { JobRepository } from './jobs';
import { KeyPoolRepository } from './keyPool';
import { MutualAuthCertificateRepository } from './mutualAuthCertificates';
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

  private constructor(private readonly db: Db) {
    this.orgs = new OrgRepository(db);
    this.sessions = new SessionRepository(db);
    this.components = new ComponentRepository(db);
    this.deploys = new JobRepository<DeployResult>(db, 'deploys');
    this.retrieves = new JobRepository<RetrieveResult>(db, 'retrieves');
    this.keyPool = new KeyPoolRepository(db);
    this.mutualAuthCertificates = new MutualAuthCertificateRepository(db);
  }

  /** `location` null keeps everything in memory. */
  static open(location: string | null): Store {
    return new Store(openDatabase(location));
  }

  /**
   * SQLite's data_version: it changes when another connection (another server on the same
   * location) commits to the store, never for this one's own writes.
   */
  dataVersion(): number {
    return (this.versionStatement ??= this.db.prepare('PRAGMA data_version').pluck()).get() as number;
  }

  private versionStatement: ReturnType<Db['prepare']> | undefined;

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
