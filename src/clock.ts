import type { Org } from './store/orgs';
import type { Store } from './store/store';

/** An org's "now": the machine clock moved by the org's offset, so tests can make certificates expire. */
export function orgNow(org: Org): Date {
  return new Date(Date.now() + org.clockOffsetMs);
}

/** The org's "now" as stored at this moment: a long job's `org` may predate a move of its clock. */
export function currentOrgNow(store: Store, org: Org): Date {
  return orgNow(store.orgs.get(org.id) ?? org);
}
