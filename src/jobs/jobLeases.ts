import type { StoredJob } from '../store/jobs';
import type { Store } from '../store/store';
import type { Logger } from '../log/logger';

/** How long a job stays this server's without a renewal, by default. */
export const DEFAULT_JOB_LEASE_MS = 30_000;

/** What an engine does with jobs whose server died: end them, since they committed nothing. */
export interface OrphanEnder<R = unknown> {
  readonly kind: 'deploys' | 'retrieves';
  endOrphans(jobs: StoredJob<R>[]): void;
}

/**
 * Who runs each unfinished job. A server owns the jobs submitted to it under a lease it renews three
 * times per lease; on a store several servers share, each of them ends (as Failed, nothing committed)
 * the jobs of a server whose lease ran out, so a job left by a server that died ends within one lease
 * and a renewal period. A job commits only if its server still owns it then (src/jobs/deployEngine.ts),
 * so a server that stalled past its lease commits nothing that another has reported as failed.
 */
export class JobLeases {
  private timer: NodeJS.Timeout | undefined;
  private readonly enders: OrphanEnder[] = [];

  constructor(private readonly store: Store, readonly leaseMs = DEFAULT_JOB_LEASE_MS, private readonly log?: Logger) {}

  get owner(): string {
    return this.store.instanceId;
  }

  /** The lease of a job starting now. */
  until(): number {
    return Date.now() + this.leaseMs;
  }

  /** What a new job's row records of its lease: this server as owner, until one lease from now. */
  claim(): { owner: string; leaseUntilMs: number } {
    return { owner: this.owner, leaseUntilMs: this.until() };
  }

  /** Renews this server's leases and ends others' lapsed jobs periodically (on a shared store only). */
  start(enders: OrphanEnder[]): void {
    this.enders.push(...enders);
    if (!this.store.shared || this.timer) return;
    this.sweep();
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Ends this server's own unfinished jobs (a graceful stop: none can run on). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.end(true);
    } catch (err) {
      // The store is unreachable: the other servers end these jobs once their leases lapse.
      this.log?.warn({ err }, `job leases: ${(err as Error).message}`);
    }
  }

  private sweep(): void {
    try {
      for (const e of this.enders) this.store[e.kind].renewLeases(this.owner, this.until());
      this.end(false);
    } catch (err) {
      // The store is unreachable for now: the next round tries again, and leases only lapse meanwhile.
      this.log?.warn({ err }, `job leases: ${(err as Error).message}`);
    }
  }

  private end(own: boolean): void {
    for (const e of this.enders) {
      this.store.transaction(() => {
        const jobs = this.store[e.kind].orphans(this.owner, Date.now(), own);
        if (jobs.length) e.endOrphans(jobs);
      });
    }
  }
}
