import type { Org } from '../store/orgs';

/**
 * How many scratch orgs a hub may have active, and request in a day. The real service sets them by the
 * hub's edition (3 and 6 for a Developer Edition hub, 100 and 200 for Unlimited); a hub here has the
 * Unlimited figures, so that CI runs are not stopped by a trial's limits, unless it sets its own
 * (admin API: PUT /_localforce/orgs/<id>/dev-hub).
 */
export const DEFAULT_DEV_HUB_LIMITS = { activeScratchOrgs: 100, dailyScratchOrgs: 200 } as const;

export const devHubLimits = (hub: Org): { activeScratchOrgs: number; dailyScratchOrgs: number } => hub.devHubLimits ?? DEFAULT_DEV_HUB_LIMITS;
