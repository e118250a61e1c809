import { Repository } from './repository';

// The first key of our advisory locks: a number of our own, so other users of the database keep theirs.
const ORG_LOCK_SPACE = 7161;

/**
 * One org's work at a time across every server of a shared store: a PostgreSQL advisory lock per org,
 * held by this server's connection (so it ends with the server if that dies). PostgreSQL only: a store
 * one server uses needs none, the in-process queue (src/jobs/orgQueue.ts) already orders the org's work.
 */
export class OrgLockRepository extends Repository {
  /** Takes the org's lock if no other server holds it; never waits. */
  tryLock(orgId: string): boolean {
    return (this.sql(`SELECT pg_try_advisory_lock(${ORG_LOCK_SPACE}, hashtext(?)) AS locked`).get(orgId) as { locked: boolean }).locked;
  }

  unlock(orgId: string): void {
    this.sql(`SELECT pg_advisory_unlock(${ORG_LOCK_SPACE}, hashtext(?))`).get(orgId);
  }
}
