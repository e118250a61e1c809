/**
 * Runs each org's jobs one after the other, in the order they came, while different orgs' jobs
 * run side by side: a real org also processes one deploy at a time.
 */
export class OrgQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run(orgId: string, job: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(orgId) ?? Promise.resolve();
    const next = previous.then(job, job).catch(() => undefined);
    this.tails.set(orgId, next);
    void next.then(() => {
      if (this.tails.get(orgId) === next) this.tails.delete(orgId);
    });
    return next;
  }

  /** Resolves when every job queued so far has finished (used on shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
