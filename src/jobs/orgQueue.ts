import type { OrgLockRepository } from '../store/orgLocks';

/** The longest pause between two tries for an org another server holds. */
const MAX_LOCK_WAIT_MS = 200;

/**
 * Runs each org's jobs one after the other, in the order they came, while different orgs' jobs
 * run side by side: a real org also processes one deploy at a time. On a store other servers share,
 * a job also takes its org's lock in the store first, so the org's jobs run one at a time across
 * all of them (in the order each server gets the lock, which is not the order they came).
 */
export class OrgQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private stopping = false;

  constructor(private readonly locks?: OrgLockRepository) {}

  /** Queues `job` behind the org's earlier jobs; resolves or rejects with its own outcome. */
  run<T>(orgId: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(orgId) ?? Promise.resolve();
    const locked = () => this.underLock(orgId, job);
    const next = previous.then(locked, locked);
    const tail = next.catch(() => undefined);
    this.tails.set(orgId, tail);
    void tail.then(() => {
      if (this.tails.get(orgId) === tail) this.tails.delete(orgId);
    });
    return next;
  }

  /** Resolves when every job queued so far has finished (used on shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }

  /** Jobs still waiting for another server's lock give up (rejecting), so a shutdown does not wait for that server. */
  stop(): void {
    this.stopping = true;
  }

  private async underLock<T>(orgId: string, job: () => Promise<T>): Promise<T> {
    if (!this.locks) return job();
    for (let pause = 5; !this.locks.tryLock(orgId); pause = Math.min(pause * 2, MAX_LOCK_WAIT_MS)) {
      if (this.stopping) throw new Error('Localforce stopped before this job could start');
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    try {
      return await job();
    } finally {
      this.locks.unlock(orgId);
    }
  }
}
