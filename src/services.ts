import { ConnectedAppService } from './auth/connectedApps';
import { MutualAuthService } from './auth/mutualAuth';
import { OAuthGrants } from './auth/oauthGrants';
import { OrgService } from './auth/orgService';
import type { TestOutcomePolicy } from './deploy/apexTests/testOutcomePolicy';
import { DeployEngine } from './jobs/deployEngine';
import type { DeployChecks } from './checks/deployChecks';
import type { DeployPacing } from './jobs/deployPacing';
import { silentLogger, type Logger } from './log/logger';
import { RequestJournal } from './log/requestJournal';
import { DEFAULT_KEY_POOL_SIZE } from './jobs/keyPoolFiller';
import { KeystoreTransfer } from './jobs/keystoreTransfer';
import { NoticeWatcher } from './jobs/noticeWatcher';
import { PooledKeySource } from './jobs/keySource';
import { OrgQueue } from './jobs/orgQueue';
import { JobLeases } from './jobs/jobLeases';
import { RetrieveEngine } from './jobs/retrieveEngine';
import { SamlLoginHistory } from './saml/sp/loginHistory';
import { metadataSchema, type WsdlSchema } from './soap/wsdlSchema';
import { Store } from './store/store';
import { ScratchOrgService } from './devhub/scratchOrgService';

/** Everything a request handler may use, built once per server. */
export interface Services {
  store: Store;
  schema: WsdlSchema;
  orgs: OrgService;
  deploys: DeployEngine;
  retrieves: RetrieveEngine;
  queue: OrgQueue;
  /** Which server runs each unfinished job; started and stopped by the server. */
  leases: JobLeases;
  /** Keys for new certificates; its pool filling and threads are started and stopped by the server. */
  keys: PooledKeySource;
  /** Certificates with their keys out to a keystore file and in from one. */
  keystores: KeystoreTransfer;
  /** Client certificates orgs upload, and the checks of the mutual TLS listener. */
  mutualAuth: MutualAuthService;
  /** Certificate expiry notices on each org's clock; its checks are started and stopped by the server. */
  notices: NoticeWatcher;
  log: Logger;
  /** The recent calls of each org, redacted, for the console and GET /_localforce/requests. */
  journal: RequestJournal;
  /** The SAML logins into each org, for its login history (one per server, whatever listener took them). */
  samlLogins: SamlLoginHistory;
  /** Connected apps made through the admin API, and SFDX auth URLs made from any app. */
  connectedApps: ConnectedAppService;
  /** The OAuth grants of the token endpoint, and revocation. */
  oauth: OAuthGrants;
  /** Dev Hubs' scratch orgs: made, authorised, listed, ended. */
  scratchOrgs: ScratchOrgService;
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
  /** The deploy checks run unless an org sets its own (all by default). */
  deployChecks?: DeployChecks;
  /** The server's logger (silent unless given). */
  log?: Logger;
  /** The master key sealing private keys at rest, when not master.key in the location. */
  masterKeyFile?: string;
  /** How long a job stays this server's without renewal on a shared store (src/jobs/jobLeases.ts). */
  jobLeaseMs?: number;
}

export function createServices(location: string | null, pool: KeyPoolOptions = {}): Services {
  const store = Store.open(location, { masterKeyFile: pool.masterKeyFile });
  const queue = new OrgQueue(store.shared ? store.orgLocks : undefined);
  const log = pool.log ?? silentLogger();
  const leases = new JobLeases(store, pool.jobLeaseMs, log);
  const keys = new PooledKeySource({
    pool: pool.keyPool === false ? null : store.keyPool, poolSize: pool.keyPoolSize ?? DEFAULT_KEY_POOL_SIZE,
  });
  const orgs = new OrgService(store);
  return {
    store,
    schema: metadataSchema(),
    orgs,
    deploys: new DeployEngine(store, keys, queue, leases, { testPolicy: pool.testPolicy, pacing: pool.deployPacing, checks: pool.deployChecks, log }),
    retrieves: new RetrieveEngine(store, queue, leases, log),
    queue,
    leases,
    keys,
    keystores: new KeystoreTransfer(store, queue),
    mutualAuth: new MutualAuthService(store),
    notices: new NoticeWatcher(store, (line) => log.info(line)),
    log,
    journal: new RequestJournal(),
    samlLogins: new SamlLoginHistory(),
    connectedApps: new ConnectedAppService(store),
    oauth: new OAuthGrants(store),
    scratchOrgs: new ScratchOrgService(store, orgs),
  };
}
