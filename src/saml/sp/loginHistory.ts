import type { Services } from '../../services';
import type { SamlFailureStatus } from './loginFailures';

/** One attempt at an org's SAML login URL, as the login history shows it. */
export interface SamlLoginAttempt {
  /** On the org's clock. */
  loginTime: string;
  issuer: string | null;
  samlSsoConfig: string | null;
  userId: string | null;
  username: string | null;
  status: 'Success' | SamlFailureStatus;
  /** What exactly was wrong (null on success). */
  detail: string | null;
}

/** Attempts kept per org: the newest; older ones drop off, as a history page shows the recent ones. */
export const ATTEMPTS_PER_ORG = 100;

/**
 * The SAML login history of each org, newest first. Kept in memory, per server: lost on restart and not
 * shared between servers of one PostgreSQL store. A store table would keep it, but the store's schema is
 * being changed by other work at the same time; in memory is enough for tests that read back what they
 * just did. A reset or deleted org keeps its history until the server restarts.
 */
export class SamlLoginHistory {
  private readonly byOrg = new Map<string, SamlLoginAttempt[]>();

  record(orgId: string, attempt: SamlLoginAttempt): void {
    const attempts = this.byOrg.get(orgId) ?? [];
    attempts.unshift(attempt);
    attempts.length = Math.min(attempts.length, ATTEMPTS_PER_ORG);
    this.byOrg.set(orgId, attempts);
  }

  list(orgId: string): SamlLoginAttempt[] {
    return [...(this.byOrg.get(orgId) ?? [])];
  }
}

/**
 * One history per server, whatever listens: the plain and the mutual TLS listeners each build their own
 * express app from the same services, and both must record into, and read, the same history.
 */
const histories = new WeakMap<Services, SamlLoginHistory>();

export function samlLoginHistory(services: Services): SamlLoginHistory {
  let history = histories.get(services);
  if (!history) histories.set(services, (history = new SamlLoginHistory()));
  return history;
}
