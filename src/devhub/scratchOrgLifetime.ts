import { orgNow } from '../clock';
import type { Org } from '../store/orgs';
import type { Store } from '../store/store';

/**
 * When a scratch org ends: after the last day of its ExpirationDate, on its hub's clock (so a test moves
 * the hub's clock to see it expire). The real hub deletes an org some time on that day; here it lives
 * through it, so that an org asked for one day never ends sooner than a day.
 */
export function endOf(expirationDate: string): number {
  return Date.parse(`${expirationDate}T00:00:00.000Z`) + 24 * 3600_000;
}

/** The hub's "now"; a hub that is gone took its scratch orgs with it. */
export function hubNow(store: Store, hubOrgId: string): Date | undefined {
  const hub = store.orgs.get(hubOrgId);
  return hub && orgNow(hub);
}

/** Whether a scratch org has ended (expired on its hub's clock, or its hub gone): then no session or login works. */
export function scratchOrgEnded(store: Store, org: Org): boolean {
  if (!org.scratch) return false;
  const now = hubNow(store, org.scratch.hubOrgId);
  return !now || now.getTime() >= endOf(org.scratch.expirationDate);
}

/** The day an org asked for `days` days ends on, as ScratchOrgInfo.ExpirationDate writes it (YYYY-MM-DD). */
export function expirationDateFrom(start: Date, days: number): string {
  return new Date(start.getTime() + days * 24 * 3600_000).toISOString().slice(0, 10);
}
