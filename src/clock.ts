import type { Org } from './store/orgs';

/** An org's "now": the machine clock moved by the org's offset, so tests can make certificates expire. */
export function orgNow(org: Org): Date {
  return new Date(Date.now() + org.clockOffsetMs);
}
