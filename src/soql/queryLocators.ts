import { randomBytes } from 'node:crypto';
import type { Row } from './soqlEngine';

/** Records per page of a query answer, as the real service sends by default. */
export const QUERY_BATCH = 2000;
const KEPT_MS = 15 * 60_000;

/**
 * The rest of a query answer too big for one page, behind its `nextRecordsUrl` (`…/query/01g…-2000`), as
 * jsforce's autoFetch follows it. Kept in this server's memory for 15 minutes: a client paging through
 * another server of a shared store starts its query again there.
 */
export class QueryLocators {
  private readonly kept = new Map<string, { orgId: string; records: Row[]; until: number }>();

  /** The first page, and the locator of the rest when there is more. */
  page(orgId: string, records: Row[]): { records: Row[]; next?: string } {
    if (records.length <= QUERY_BATCH) return { records };
    this.sweep();
    const id = `01g${randomBytes(9).toString('base64url').slice(0, 12)}`;
    this.kept.set(id, { orgId, records, until: Date.now() + KEPT_MS });
    return { records: records.slice(0, QUERY_BATCH), next: `${id}-${QUERY_BATCH}` };
  }

  /** The page a locator points at, for the org that made it; undefined when unknown or expired. */
  more(orgId: string, locator: string): { records: Row[]; next?: string; totalSize: number } | undefined {
    const m = /^(01g[A-Za-z0-9_-]+)-(\d+)$/.exec(locator);
    const kept = m && this.kept.get(m[1]!);
    if (!m || !kept || kept.orgId !== orgId || kept.until < Date.now()) return undefined;
    const from = Number(m[2]);
    const to = from + QUERY_BATCH;
    if (to >= kept.records.length) this.kept.delete(m[1]!);
    return { records: kept.records.slice(from, to), totalSize: kept.records.length, ...(to < kept.records.length ? { next: `${m[1]}-${to}` } : {}) };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, kept] of this.kept) if (kept.until < now) this.kept.delete(id);
  }
}
