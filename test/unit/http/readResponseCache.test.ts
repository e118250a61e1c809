import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ORG, OrgService } from '../../../src/auth/orgService';
import { ReadResponseCache } from '../../../src/http/readResponseCache';
import { Store } from '../../../src/store/store';

const PATH = '/services/Soap/m/66.0';

async function storeAt(location: string | null): Promise<Store> {
  const store = Store.open(location);
  await new OrgService(store).ensureDefaultOrg();
  return store;
}

const entry = (store: Store, xml: string) => ({ orgId: DEFAULT_ORG.id, revision: store.components.revision(DEFAULT_ORG.id), xml });

describe('ReadResponseCache', () => {
  it('answers the same request again from memory, until a component of the org changes', async () => {
    const store = await storeAt(null);
    try {
      const cache = new ReadResponseCache(store);
      expect(cache.get(PATH, 'request A')).toBeUndefined();
      cache.set(PATH, 'request A', entry(store, '<answer A/>'));
      expect(cache.get(PATH, 'request A')).toBe('<answer A/>');
      expect(cache.get(PATH, 'request A')).toBe('<answer A/>');
      expect(cache.get(PATH, 'request B')).toBeUndefined();
      expect(cache.hits).toBe(2);
      store.components.delete(DEFAULT_ORG.id, 'ApexClass', 'Nothing'); // any write to the org's components
      expect(cache.get(PATH, 'request A')).toBeUndefined();
      expect(cache.size.entries).toBe(0);
    } finally {
      store.close();
    }
  });

  it('keeps its memory within its bounds, dropping the oldest answers first', async () => {
    const store = await storeAt(null);
    try {
      const cache = new ReadResponseCache(store, { maxEntries: 3, maxChars: 4000 });
      for (let i = 0; i < 5; i++) cache.set(PATH, `request ${i}`, entry(store, 'x'.repeat(100)));
      expect(cache.size.entries).toBe(3);
      expect(cache.get(PATH, 'request 0')).toBeUndefined();
      expect(cache.get(PATH, 'request 4')).toBeDefined();
      for (let i = 0; i < 5; i++) cache.set(PATH, `big ${i}`, entry(store, 'y'.repeat(900)));
      expect(cache.size.chars).toBeLessThanOrEqual(4000);
      cache.set(PATH, 'huge', entry(store, 'z'.repeat(1500))); // over a quarter of the bound: never kept
      expect(cache.get(PATH, 'huge')).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('empties and stays off once another server writes the same store', async () => {
    const location = mkdtempSync(join(tmpdir(), 'localforce-cache-'));
    const store = await storeAt(location);
    try {
      const cache = new ReadResponseCache(store);
      cache.set(PATH, 'request A', entry(store, '<answer A/>'));
      expect(cache.get(PATH, 'request A')).toBe('<answer A/>');
      store.orgs.setClockOffset(DEFAULT_ORG.id, 5); // this server's own writes leave it on
      expect(cache.get(PATH, 'request A')).toBe('<answer A/>');
      const other = new Database(join(location, 'localforce.sqlite'));
      other.prepare('UPDATE orgs SET clock_offset_ms = 1').run();
      other.close();
      expect(cache.get(PATH, 'request A')).toBeUndefined();
      expect(cache.enabled).toBe(false);
      cache.set(PATH, 'request A', entry(store, '<answer A/>'));
      expect(cache.get(PATH, 'request A')).toBeUndefined();
    } finally {
      store.close();
      rmSync(location, { recursive: true, force: true });
    }
  });
});
