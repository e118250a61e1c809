import { publicKeyOf, type RsaKeyPair } from '../crypto';
import { KeyGenerator } from '../crypto/keyGenerator';
import type { KeySource } from '../metadata/metadataType';
import type { KeyPoolRepository } from '../store/keyPool';
import { KeyPoolFiller, keyPoolTargets } from './keyPoolFiller';

export interface KeySourceOptions {
  /** The stored pool; null (--no-key-pool) makes every key on demand and fills nothing. */
  pool: KeyPoolRepository | null;
  /** 2048-bit keys to keep ready (see keyPoolTargets). */
  poolSize: number;
  /** Generation threads; one per core by default. */
  threads?: number;
}

/**
 * Hands out RSA keys: from the stored pool when one of the right size is ready, otherwise made on
 * the spot on the key threads (native crypto, off the event loop, all cores). Each pooled key is
 * deleted as it is taken, so none is used twice. Between deploys it tops the pool up.
 */
export class PooledKeySource implements KeySource {
  private readonly generator: KeyGenerator;
  private readonly filler: KeyPoolFiller | null;

  constructor(private readonly options: KeySourceOptions) {
    const generator = new KeyGenerator(options.threads);
    this.generator = generator;
    this.filler = options.pool && new KeyPoolFiller(options.pool, {
      targets: keyPoolTargets(options.poolSize),
      generate: (bits) => generator.generate(bits, { background: true }),
      busy: () => generator.urgent > 0,
      parallel: generator.size,
    });
  }

  /** Keys being made or queued: wanted now (a deploy's), and the pool's. */
  get underWay(): { urgent: number; background: number } {
    return { urgent: this.generator.urgent, background: this.generator.background };
  }

  /** Starts filling the pool in the background. */
  start(): void {
    this.filler?.start();
  }

  /** Stops filling and ends the key threads; call before closing the store. */
  close(): void {
    this.filler?.stop();
    this.generator.close();
  }

  async take(bits: number): Promise<RsaKeyPair> {
    this.filler?.noteUsed(bits);
    const [pooled] = this.options.pool ? this.options.pool.take(bits, 1) : [];
    if (pooled) return { privateKeyPem: pooled, publicKeyPem: publicKeyOf(pooled) };
    return this.generator.generate(bits);
  }
}
