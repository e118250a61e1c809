import type { Store } from '../store/store';

/** Operations whose answer depends only on the request and the org's components. */
const CACHEABLE = new Set(['listMetadata', 'describeMetadata', 'describeValueType', 'readMetadata']);

export interface ReadResponseCacheLimits {
  /** Answers kept at most, and their total size in UTF-16 code units (about bytes: answers are mostly ASCII). */
  maxEntries: number;
  maxChars: number;
}

export const DEFAULT_CACHE_LIMITS: ReadResponseCacheLimits = { maxEntries: 512, maxChars: 32 * 1024 * 1024 };

interface Entry {
  orgId: string;
  revision: number;
  xml: string;
}

/**
 * Answers repeated read-only SOAP requests (CI jobs poll listMetadata and readMetadata) without
 * parsing or serializing again. A request is recognised by its exact text, which carries its session
 * id: the route checks that session before it asks (src/http/soapBody.ts), so an answer is reused
 * only while its session is open, and only while no component of its org has changed. Its memory is bounded (oldest answers go first), and it only runs while this
 * server is the only one writing its store: component revisions are kept in this process, so once
 * SQLite reports a commit by another connection (a second server on the same location), the cache
 * empties and stays off.
 */
export class ReadResponseCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  private readonly storeVersion: number | undefined;
  private owner = true;
  hits = 0;

  constructor(private readonly store: Store, private readonly limits = DEFAULT_CACHE_LIMITS) {
    this.storeVersion = store.dataVersion();
  }

  static cacheable(operation: string): boolean {
    return CACHEABLE.has(operation);
  }

  /** Whether answers may be kept: false for good once another server has written the store. */
  get enabled(): boolean {
    if (this.owner && this.store.dataVersion() !== this.storeVersion) {
      this.owner = false;
      this.entries.clear();
      this.chars = 0;
    }
    return this.owner;
  }

  /** Answers held, and their size. */
  get size(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.chars };
  }

  get(path: string, body: string): string | undefined {
    if (!this.enabled) return undefined;
    const key = `${path}\n${body}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.revision !== this.store.components.revision(entry.orgId)) {
      this.remove(key, entry);
      return undefined;
    }
    this.hits++;
    return entry.xml;
  }

  /** `revision` is the org's revision read before the answer was computed, so a write during it is never hidden. */
  set(path: string, body: string, entry: Entry): void {
    const key = `${path}\n${body}`;
    const size = key.length + entry.xml.length;
    if (!this.enabled || size > this.limits.maxChars / 4) return; // one answer never crowds out the rest
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, entry);
    this.chars += size;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.chars <= this.limits.maxChars) break;
      this.remove(k, e);
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.chars -= key.length + entry.xml.length;
  }
}
