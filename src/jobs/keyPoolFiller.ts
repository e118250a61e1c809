import type { RsaKeyPair } from '../crypto';
import type { KeyPoolRepository } from '../store/keyPool';

/** 2048-bit keys kept ready by default. */
export const DEFAULT_KEY_POOL_SIZE = 20;

/**
 * Pool targets from the one `keyPoolSize` knob: that many 2048-bit keys and a fifth as many 4096-bit
 * ones, which cost about 8 times the CPU each and are asked for far less often.
 */
export function keyPoolTargets(size: number): Map<number, number> {
  if (!Number.isInteger(size) || size < 0) throw new Error(`The key pool size must be a whole number from 0, not ${size}`);
  return new Map([[2048, size], [4096, size > 0 ? Math.ceil(size / 5) : 0]]);
}

export interface KeyPoolFillerOptions {
  /** Keys to keep ready, by size in bits. */
  targets: ReadonlyMap<number, number>;
  /** Makes one key in the background (at the lowest priority). */
  generate(bits: number): Promise<RsaKeyPair>;
  /** While true (a deploy is making keys), no new key is started. */
  busy(): boolean;
  /** Keys made at once while idle: one per key thread, so every core is used. */
  parallel?: number;
  /** How often to look again while busy. */
  pollMs?: number;
}

/**
 * Tops up the key pool while the server is idle, a key per key thread at once, for the key sizes in use:
 * 2048 bits from the start, others once asked for or already in the pool (so a restart keeps
 * filling what was used before). Keys land in the store, so they survive a restart.
 */
export class KeyPoolFiller {
  private readonly sizes = new Set<number>([2048]);
  /** Keys under way, by size. */
  private readonly making = new Map<number, number>();
  private inFlight = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pool: KeyPoolRepository, private readonly options: KeyPoolFillerOptions) {
    for (const bits of pool.sizes()) this.sizes.add(bits);
  }

  start(): void {
    this.running = true;
    this.later(0); // after the caller's own start-up work (the "listening" line comes first)
  }

  /** A key of `bits` was asked for: keep that size ready from now on, and refill what was taken. */
  noteUsed(bits: number): void {
    if (!this.options.targets.has(bits)) return;
    this.sizes.add(bits);
    // Deferred: this runs inside the taker's call, before its key is out of the pool.
    if (this.running && !this.timer) this.later(0);
  }

  /** Stops filling: a key still being made is dropped, so nothing is written after this returns. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The size furthest below its target, relative to the target; undefined when all are full. */
  private nextSize(): number | undefined {
    let best: number | undefined;
    let bestFill = 1;
    for (const bits of this.sizes) {
      const target = this.options.targets.get(bits) ?? 0;
      if (target <= 0) continue;
      const fill = (this.pool.count(bits) + (this.making.get(bits) ?? 0)) / target;
      if (fill < bestFill) { best = bits; bestFill = fill; }
    }
    return best;
  }

  private later(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.fill(); }, ms);
    this.timer.unref();
  }

  /** Runs from timers and key threads' answers, where nothing may throw: a store that fails is tried again shortly. */
  private fill(): void {
    try {
      this.fillNow();
    } catch {
      this.later(1000);
    }
  }

  private fillNow(): void {
    if (!this.running) return;
    while (this.inFlight < (this.options.parallel ?? 1)) {
      // The guard that keeps the pool from taking cores a deploy is waiting for.
      if (this.options.busy()) return this.later(this.options.pollMs ?? 200);
      const bits = this.nextSize();
      if (bits === undefined) return; // full: noteUsed wakes us when a key is taken
      this.make(bits);
    }
  }

  private make(bits: number): void {
    this.inFlight++;
    this.making.set(bits, (this.making.get(bits) ?? 0) + 1);
    const settle = () => {
      this.inFlight--;
      this.making.set(bits, this.making.get(bits)! - 1);
    };
    this.options.generate(bits).then(
      (key) => {
        settle();
        if (!this.running) return;
        try {
          this.pool.add(bits, key.privateKeyPem);
        } catch {
          return this.later(1000); // the store is busy or failing: try again shortly
        }
        this.fill();
      },
      () => {
        settle();
        if (this.running) this.later(1000); // a thread died: try again shortly
      },
    );
  }
}
