import { OrgService } from './auth/orgService';
import type { TestOutcomePolicy } from './deploy/apexTests/testOutcomePolicy';
import { DeployEngine } from './jobs/deployEngine';
import type { DeployPacing } from './jobs/deployPacing';
import { silentLogger, type Logger } from './log/logger';
import { RequestJournal } from './log/requestJournal';
import { DEFAULT_KEY_POOL_SIZE } from './jobs/keyPoolFiller';
import { PooledKeySource } from './jobs/keySource';
import { OrgQueue } from './jobs/orgQueue';
import { RetrieveEngine } from './jobs/retrieveEngine';
import { metadataSchema, type WsdlSchema } from './soap/wsdlSchema';
import { Store } from './store/store';

/** Everything a request handler may use, built once per server. */
export interface Services {
  store: Store;
  schema: WsdlSchema;
  orgs: OrgService;
  deploys: DeployEngine;
  retrieves: RetrieveEngine;
  queue: OrgQueue;
  /** Keys for new certificates; its pool filling and threads are started and stopped by the server. */
  keys: PooledKeySource;
  log: Logger;
  /** The recent calls of each org, redacted, for the console and GET /_localforce/requests. */
  journal: RequestJournal;
}

export interface KeyPoolOptions {
  /** false: no pool at all, every key is made on demand. */
  keyPool?: boolean;
  /** 2048-bit keys to keep ready (a fifth as many 4096-bit ones once used). */
  keyPoolSize?: number;
  /** How simulated Apex tests end unless an org sets its own policy. */
  testPolicy?: TestOutcomePolicy;
  /** How long deploys stay InProgress unless an org sets its own pacing. */
  deployPacing?: DeployPacing;
  log?: Logger;
}

export function createServices(location: string | null, pool: KeyPoolOptions = {}): Services {
  const store = Store.open(location);
  const queue = new OrgQueue();
  const log = pool.log ?? silentLogger();
  const keys = new PooledKeySource({
    pool: pool.keyPool === false ? null : store.keyPool, poolSize: pool.keyPoolSize ?? DEFAULT_KEY_POOL_SIZE,
  });
  return {
    store,
    schema: metadataSchema(),
    orgs: new OrgService(store),
    deploys: new DeployEngine(store, keys, queue, { testPolicy: pool.testPolicy, pacing: pool.deployPacing, log }),
    retrieves: new RetrieveEngine(store, queue, log),
    queue,
    keys,
    log,
    journal: new RequestJournal(),
  };
}
