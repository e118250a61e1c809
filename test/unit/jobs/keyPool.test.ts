import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { RsaKeyPair } from '../../../src/crypto';
import { KeyGenerator } from '../../../src/crypto/keyGenerator';
import { KeyPoolFiller, keyPoolTargets } from '../../../src/jobs/keyPoolFiller';
import { PooledKeySource } from '../../../src/jobs/keySource';
import { Store } from '../../../src/store/store';

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
}
const bitsOf = (pem: string) => createPrivateKey(pem).asymmetricKeyDetails?.modulusLength;
const fakeKey = (n: number): RsaKeyPair => ({ privateKeyPem: `key ${n}`, publicKeyPem: `public ${n}` });

describe('keyPoolTargets', () => {
  it('keeps a fifth as many 4096-bit keys as 2048-bit ones', () => {
    expect([...keyPoolTargets(20)]).toEqual([[2048, 20], [4096, 4]]);
    expect([...keyPoolTargets(1)]).toEqual([[2048, 1], [4096, 1]]);
    expect([...keyPoolTargets(0)]).toEqual([[2048, 0], [4096, 0]]);
    expect(() => keyPoolTargets(-1)).toThrow(/whole number/);
    expect(() => keyPoolTargets(2.5)).toThrow(/whole number/);
  });
});

describe('KeyPoolFiller (with a stand-in generator)', () => {
  let store: Store;
  beforeEach(() => { store = Store.open(null); jest.useFakeTimers(); });
  afterEach(() => { jest.useRealTimers(); store.close(); });

  it('starts no key while a deploy is making keys, and fills once it is done', async () => {
    let busy = true;
    const generate = jest.fn(async (bits: number) => fakeKey(bits));
    const filler = new KeyPoolFiller(store.keyPool, { targets: keyPoolTargets(2), generate, busy: () => busy, pollMs: 100 });
    filler.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(generate).not.toHaveBeenCalled();
    busy = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(generate.mock.calls).toEqual([[2048], [2048]]); // one at a time, to the target, 2048 only
    expect(store.keyPool.count(2048)).toBe(2);
    filler.stop();
  });

  it('learns a size when it is asked for, and refills what is taken', async () => {
    let n = 0;
    const filler = new KeyPoolFiller(store.keyPool, { targets: keyPoolTargets(2), generate: async () => fakeKey(++n), busy: () => false });
    filler.start();
    await jest.advanceTimersByTimeAsync(10);
    expect([store.keyPool.count(2048), store.keyPool.count(4096)]).toEqual([2, 0]);
    filler.noteUsed(4096);
    store.keyPool.take(2048, 1);
    await jest.advanceTimersByTimeAsync(10);
    expect([store.keyPool.count(2048), store.keyPool.count(4096)]).toEqual([2, 1]);
    filler.noteUsed(3072); // not a pooled size
    await jest.advanceTimersByTimeAsync(10);
    expect(store.keyPool.sizes()).toEqual([2048, 4096]);
    filler.stop();
  });

  it('after a restart, keeps filling the sizes already in the pool', async () => {
    store.keyPool.add(4096, 'left from before');
    const generate = jest.fn(async (bits: number) => fakeKey(bits));
    const filler = new KeyPoolFiller(store.keyPool, { targets: keyPoolTargets(5), generate, busy: () => false });
    filler.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(store.keyPool.count(4096)).toBe(1); // its target: already full, nothing added
    expect(store.keyPool.count(2048)).toBe(5);
    store.keyPool.take(4096, 1);
    filler.noteUsed(4096);
    await jest.advanceTimersByTimeAsync(10);
    expect(store.keyPool.count(4096)).toBe(1);
    filler.stop();
  });

  it('writes nothing once stopped, even when a key under way arrives later', async () => {
    let finish: (key: RsaKeyPair) => void = () => undefined;
    const filler = new KeyPoolFiller(store.keyPool, {
      targets: keyPoolTargets(3), generate: () => new Promise((r) => { finish = r; }), busy: () => false,
    });
    filler.start();
    filler.stop();
    store.close();
    finish(fakeKey(1)); // would throw "The database connection is not open" if it were written
    await jest.advanceTimersByTimeAsync(10);
    store = Store.open(null); // for afterEach
  });
});

describe('KeyGenerator', () => {
  it('makes distinct keys of the size asked for', async () => {
    const generator = new KeyGenerator(2);
    try {
      const keys = await Promise.all([2048, 2048, 2048].map((bits) => generator.generate(bits)));
      for (const k of keys) {
        expect(bitsOf(k.privateKeyPem)).toBe(2048);
        expect(createPublicKey(k.privateKeyPem).export({ type: 'spki', format: 'pem' })).toBe(k.publicKeyPem);
      }
      expect(new Set(keys.map((k) => k.privateKeyPem)).size).toBe(3);
    } finally {
      generator.close();
    }
  });

  it('serves keys wanted now before background ones', async () => {
    const generator = new KeyGenerator(1);
    const order: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
    try {
      await Promise.all([
        track('background 1', generator.generate(2048, { background: true })), // starts at once: the thread was free
        track('background 2', generator.generate(2048, { background: true })),
        track('now', generator.generate(2048)),
      ]);
      expect(order).toEqual(['background 1', 'now', 'background 2']);
      expect(generator.urgent).toBe(0);
    } finally {
      generator.close();
    }
  });

  it('fails what is queued or under way when closed, and everything after', async () => {
    const generator = new KeyGenerator(1);
    const under = generator.generate(2048);
    const queued = generator.generate(2048);
    expect(generator.urgent).toBe(2);
    generator.close();
    await expect(under).rejects.toThrow(/stopped/);
    await expect(queued).rejects.toThrow(/stopped/);
    await expect(generator.generate(2048)).rejects.toThrow(/closed/);
  });

  (process.platform === 'linux' ? it : it.skip)('runs its threads at the lowest priority, not the main thread', async () => {
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    // The process may have been started niced (by whatever runs the tests): what matters is that it stays as it was.
    const before = niceOf(String(process.pid));
    const generator = new KeyGenerator(1);
    try {
      await generator.generate(2048);
      // (A thread of an earlier test may still be finishing its key: count at least one.)
      expect(readdirSync('/proc/self/task').map(niceOf)).toContain(19);
      expect(niceOf(String(process.pid))).toBe(before); // the event loop's thread keeps its priority
    } finally {
      generator.close();
    }
  });
});

describe('PooledKeySource', () => {
  it('fills its pool in the background and takes from it before making keys', async () => {
    const store = Store.open(null);
    const keys = new PooledKeySource({ pool: store.keyPool, poolSize: 2, threads: 2 });
    try {
      keys.start();
      await waitFor(() => store.keyPool.count(2048) === 2);
      const pooled = new Set(store.keyPool.take(2048, 2));
      for (const pem of pooled) store.keyPool.add(2048, pem);
      keys.close(); // no refilling from here: what the takes below leave shows
      const again = new PooledKeySource({ pool: store.keyPool, poolSize: 0 });
      const taken = await Promise.all([1, 2, 3].map(() => again.take(2048)));
      again.close();
      expect(taken.filter((k) => pooled.has(k.privateKeyPem))).toHaveLength(2);
      expect(new Set(taken.map((k) => k.privateKeyPem)).size).toBe(3);
      expect(store.keyPool.count(2048)).toBe(0);
    } finally {
      keys.close();
      store.close();
    }
  });

  it('with no pool (--no-key-pool), makes every key on demand', async () => {
    const keys = new PooledKeySource({ pool: null, poolSize: 20 });
    try {
      keys.start();
      const [a, b] = await Promise.all([keys.take(2048), keys.take(4096)]);
      expect([bitsOf(a.privateKeyPem), bitsOf(b.privateKeyPem)]).toEqual([2048, 4096]);
    } finally {
      keys.close();
    }
  });
});
