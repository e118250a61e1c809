/**
 * Runs each org's jobs one after the other, in the order they came, while different orgs' jobs
 * run side by side: a real org also processes one deploy at a time.
 */
export class OrgQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Queues `job` behind the org's earlier jobs; resolves or rejects with its own outcome. */
  run<T>(orgId: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(orgId) ?? Promise.resolve();
    const next = previous.then(job, job);
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
}
