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
 * The SAML login history of each org, newest first. Kept in memory, like the recorded calls: lost on
 * restart and not shared between servers of one PostgreSQL store; emptied when its org is reset or deleted.
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

  forget(orgId: string): void {
    this.byOrg.delete(orgId);
  }
}
