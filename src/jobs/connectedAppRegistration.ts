import { Faults } from '../errors';
import { newConsumerKey, newConsumerSecret } from '../ids';
import type { OAuthClientSpec } from '../metadata/connectedApp/oauthConfig';
import type { Store } from '../store/store';

export const CONNECTED_APP_TYPE = 'ConnectedApp';

/**
 * Keeps an org's OAuth clients in step with its ConnectedApp components, inside the transaction that
 * writes the component. A redeploy keeps the consumer key and secret unless the file names new ones
 * (a key made by the org stays); a new key ends the tokens issued under the old one. A consumer key
 * is unique across all orgs, as on the real service.
 */
export function registerConnectedApp(store: Store, orgId: string, name: string, spec: OAuthClientSpec | null, at: string): void {
  const existing = store.connectedApps.byName(orgId, name);
  if (!spec) {
    if (existing) store.connectedApps.delete(existing.consumerKey);
    return;
  }
  const consumerKey = spec.consumerKey ?? existing?.consumerKey ?? newConsumerKey();
  const owner = store.connectedApps.byKey(consumerKey);
  if (owner && (owner.orgId !== orgId || owner.name.toLowerCase() !== name.toLowerCase())) {
    throw Faults.duplicateValue(`ConnectedApp ${name}: the consumer key ${consumerKey} is already used by another connected app; consumer keys are unique across orgs`);
  }
  const sameKey = existing?.consumerKey === consumerKey;
  if (existing && !sameKey) store.connectedApps.delete(existing.consumerKey);
  store.connectedApps.put({
    consumerKey, orgId, name, consumerSecret: spec.consumerSecret ?? (sameKey ? existing!.consumerSecret : newConsumerSecret()),
    certificatePem: spec.certificatePem, scopes: spec.scopes, secretRequiredForRefresh: spec.secretRequiredForRefresh,
    source: 'metadata', createdDate: sameKey ? existing!.createdDate : at,
  });
}

/** The ConnectedApp component is gone: so is its OAuth client, with every token it issued. */
export function unregisterConnectedApp(store: Store, orgId: string, name: string): void {
  const existing = store.connectedApps.byName(orgId, name);
  if (existing) store.connectedApps.delete(existing.consumerKey);
}
