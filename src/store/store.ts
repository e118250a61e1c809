import { openDatabase, type Db } from './database';
import { OrgRepository } from './orgs';
import { SessionRepository } from './sessions';
import { ComponentRepository } from './components';
import { JobRepository } from './jobs';
import { KeyPoolRepository } from './keyPool';
import type { DeployResult, RetrieveResult } from '../model/resultTypes';

/** Everything Localforce keeps, behind one handle; `transaction` makes a group of writes all-or-nothing. */
export class Store {
  readonly orgs: OrgRepository;
  readonly sessions: SessionRepository;
  readonly components: ComponentRepository;
  readonly deploys: JobRepository<DeployResult>;
  readonly retrieves: JobRepository<RetrieveResult>;
  readonly keyPool: KeyPoolRepository;

  private constructor(private readonly db: Db) {
    this.orgs = new OrgRepository(db);
    this.sessions = new SessionRepository(db);
    this.components = new ComponentRepository(db);
    this.deploys = new JobRepository<DeployResult>(db, 'deploys');
    this.retrieves = new JobRepository<RetrieveResult>(db, 'retrieves');
    this.keyPool = new KeyPoolRepository(db);
  }

  /** `location` null keeps everything in memory. */
  static open(location: string | null): Store {
    return new Store(openDatabase(location));
  }

  /** Empties an org (components with their files and keys, deploys, retrieves, sessions); the org and its users stay. */
  emptyOrg(orgId: string): void {
    this.transaction(() => {
      this.components.deleteOrg(orgId);
      this.deploys.deleteOrg(orgId);
      this.retrieves.deleteOrg(orgId);
      this.sessions.deleteOrg(orgId);
    });
  }

  /** Removes an org and everything of it. */
  deleteOrg(orgId: string): void {
    this.transaction(() => {
      this.emptyOrg(orgId);
      this.orgs.delete(orgId);
    });
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
