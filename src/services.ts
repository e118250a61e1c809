import { OrgService } from './auth/orgService';
import { DeployEngine } from './jobs/deployEngine';
import { PooledKeySource } from './jobs/keySource';
import { OrgQueue } from './jobs/orgQueue';
import { RetrieveEngine } from './jobs/retrieveEngine';
import { metadataSchema, type WsdlSchema } from './soap/wsdlSchema';
import { Store } from './store/store';
import type { KeySource } from './metadata/metadataType';

/** Everything a request handler may use, built once per server. */
export interface Services {
  store: Store;
  schema: WsdlSchema;
  orgs: OrgService;
  deploys: DeployEngine;
  retrieves: RetrieveEngine;
  queue: OrgQueue;
  keys: KeySource;
}

export function createServices(location: string | null): Services {
  const store = Store.open(location);
  const queue = new OrgQueue();
  const keys = new PooledKeySource(store);
  return {
    store,
    schema: metadataSchema(),
    orgs: new OrgService(store),
    deploys: new DeployEngine(store, keys, queue),
    retrieves: new RetrieveEngine(store, queue),
    queue,
    keys,
  };
}
