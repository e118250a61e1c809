import type { Store } from '../store/store';

/** Operations whose answer depends only on the request and the org's components. */
const CACHEABLE = new Set(['listMetadata', 'describeMetadata', 'describeValueType', 'readMetadata']);
const MAX_ENTRIES = 512;

interface Entry {
  sessionId: string;
  orgId: string;
  revision: number;
  xml: string;
}

/**
 * Answers repeated read-only SOAP requests (CI jobs poll listMetadata and readMetadata) without
 * parsing or serializing again. A request is recognised by its exact text, which carries its session
 * id; an answer is reused only while that session is still open and no component of its org has
 * changed since. Oldest entries go first once the cache is full.
 */
export class ReadResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Store) {}

  static cacheable(operation: string): boolean {
    return CACHEABLE.has(operation);
  }

  /** The answer kept for this exact request, with the org it was for. */
  get(path: string, body: string): { xml: string; orgId: string } | undefined {
    const key = `${path}\n${body}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.revision !== this.store.components.revision(entry.orgId) || !this.store.sessions.active(entry.sessionId)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** `revision` is the org's revision read before the answer was computed, so a write during it is never hidden. */
  set(path: string, body: string, entry: Entry): void {
    const key = `${path}\n${body}`;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
