import { generateRsaKeyPair, publicKeyOf, type RsaKeyPair } from '../crypto';
import type { KeySource } from '../metadata/metadataType';
import type { Store } from '../store/store';

/**
 * Hands out RSA keys: from the stored pool when one of the right size is ready, otherwise made on
 * the spot with native crypto (off the event loop). Each pooled key is deleted as it is taken.
 */
export class PooledKeySource implements KeySource {
  constructor(private readonly store: Store | null) {}

  async take(bits: number): Promise<RsaKeyPair> {
    const [pooled] = this.store ? this.store.keyPool.take(bits, 1) : [];
    if (pooled) return { privateKeyPem: pooled, publicKeyPem: publicKeyOf(pooled) };
    return generateRsaKeyPair(bits);
  }
}
