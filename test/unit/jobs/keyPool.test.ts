import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { RsaKeyPair } from '../../../src/crypto';
import { KeyGenerator } from '../../../src/crypto/keyGenerator';
import { KeyPoolFiller, keyPoolTargets } from '../../../src/jobs/keyPoolFiller';
import { PooledKeySource } from '../../../src/jobs/keySource';
import { Store } from '../../../src/store/store';

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
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

  it('starts no key while a deploy is making keys, then fills with a key per thread at once', async () => {
    let busy = true;
    const pending: ((key: RsaKeyPair) => void)[] = [];
    const generate = jest.fn((bits: number) => new Promise<RsaKeyPair>((resolve) => pending.push(() => resolve(fakeKey(bits)))));
    const filler = new KeyPoolFiller(store.keyPool, { targets: keyPoolTargets(3), generate, busy: () => busy, pollMs: 100, parallel: 2 });
    filler.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(generate).not.toHaveBeenCalled();
    busy = false;
    await jest.advanceTimersByTimeAsync(150);
    expect(generate.mock.calls).toEqual([[2048], [2048]]); // two threads: two keys under way at once, 2048 only
    for (const finish of pending.splice(0)) finish(fakeKey(0));
    await jest.advanceTimersByTimeAsync(10);
    expect(generate).toHaveBeenCalledTimes(3); // the third, and no more than the target
    for (const finish of pending.splice(0)) finish(fakeKey(0));
    await jest.advanceTimersByTimeAsync(10);
    expect(store.keyPool.count(2048)).toBe(3);
    filler.stop();
  });

  it('goes on filling after the store failed, rather than throwing from its timer', async () => {
    const count = jest.spyOn(store.keyPool, 'count').mockImplementationOnce(() => { throw new Error('the store did not answer'); });
    const filler = new KeyPoolFiller(store.keyPool, { targets: keyPoolTargets(2), generate: async (bits) => fakeKey(bits), busy: () => false });
    filler.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(store.keyPool.count(2048)).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(store.keyPool.count(2048)).toBe(2);
    count.mockRestore();
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

  it('starts a key wanted now at once, on a thread of its own, while background keys hold theirs', async () => {
    const generator = new KeyGenerator(1);
    try {
      const all = Promise.all([
        generator.generate(2048, { background: true }), // starts at once: the thread was free
        generator.generate(2048, { background: true }), // waits for that thread
        generator.generate(2048),
      ]);
      // Jobs are handed to threads as they are asked for, so this is the state, not a race.
      expect(generator.making).toEqual({ urgent: 1, background: 1 });
      expect(generator.background).toBe(2);
      await all;
      expect(generator.making).toEqual({ urgent: 0, background: 0 });
      expect(generator.urgent).toBe(0);
    } finally {
      generator.close();
    }
  });

  // Per-thread priority exists on Linux only, where Localforce's CI runs: elsewhere this test fails, it does not skip.
  it('makes background keys on threads of the lowest priority, and keys wanted now at the process\'s own', async () => {
    if (process.platform !== 'linux') throw new Error(`thread priorities are read from /proc, which ${process.platform} does not have`);
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    // A thread of an earlier test may end between the listing and the read: it is left out.
    const threads = () => new Map(readdirSync('/proc/self/task').flatMap((tid) => {
      try { return [[tid, niceOf(tid)] as const]; } catch { return []; }
    }));
    // The process may have been started niced (by whatever runs the tests): what matters is that it stays as it was.
    const before = niceOf(String(process.pid));
    const generator = new KeyGenerator(1);
    try {
      const known = threads();
      await generator.generate(2048);
      const urgent = [...threads()].filter(([tid]) => !known.has(tid));
      await generator.generate(2048, { background: true });
      const background = [...threads()].filter(([tid]) => !known.has(tid) && !urgent.some(([u]) => u === tid));
      expect(urgent.map(([, nice]) => nice)).toContain(before);
      expect(urgent.map(([, nice]) => nice)).not.toContain(19);
      expect(background.map(([, nice]) => nice)).toContain(19);
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

  it('starts no pool key while a key wanted now is being made, and fills on every thread once idle', async () => {
    const store = Store.open(null);
    const keys = new PooledKeySource({ pool: store.keyPool, poolSize: 4, threads: 2 });
    try {
      const wanted = keys.take(2048); // a deploy's key: one thread busy, the other free
      keys.start();
      const seen: number[] = [];
      let done = false;
      void wanted.then(() => { done = true; });
      while (!done) {
        seen.push(keys.underWay.background);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.length).toBeGreaterThan(2);
      expect(Math.max(...seen)).toBe(0); // the free thread stayed free while the deploy waited
      let most = 0;
      await waitFor(() => { most = Math.max(most, keys.underWay.background); return store.keyPool.count(2048) >= 4; });
      expect(most).toBe(2); // idle: a key on each thread
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
