/** One call as Localforce keeps it for inspection: everything already redacted (src/log/redact.ts). */
export interface RequestRecord {
  /** Rises by one per call, across orgs: the order calls ended in. */
  seq: number;
  time: string;
  method: string;
  path: string;
  /** The query string, redacted, without `?`. */
  query?: string;
  /** The SOAP operation or REST resource. */
  operation?: string;
  orgId?: string;
  status: number;
  ms: number;
  /** Sent by Localforce's own console (it says so in a header), so pages can leave them out. */
  fromConsole: boolean;
  request: { headers: Record<string, string>; body: string; bytes: number; truncated: boolean };
  response: { contentType?: string; body: string; bytes: number; truncated: boolean };
}

/** Calls kept per org (and for calls of no org: failed logins, bad sessions). */
export const RECORDS_PER_ORG = 200;
const NO_ORG = '';

/**
 * The recent calls of each org, in memory: enough to see what a CI job just sent without keeping a
 * store of traffic. Each org keeps its newest RECORDS_PER_ORG; a restart starts empty.
 */
export class RequestJournal {
  private readonly byOrg = new Map<string, RequestRecord[]>();
  private seq = 0;

  add(record: Omit<RequestRecord, 'seq'>): RequestRecord {
    const full = { seq: ++this.seq, ...record };
    const key = record.orgId ?? NO_ORG;
    let list = this.byOrg.get(key);
    if (!list) this.byOrg.set(key, (list = []));
    list.push(full);
    if (list.length > RECORDS_PER_ORG) list.splice(0, list.length - RECORDS_PER_ORG);
    return full;
  }

  /** Newest first: one org's calls, or every call kept when no org is given. */
  list(options: { orgId?: string; limit?: number; includeConsole?: boolean } = {}): RequestRecord[] {
    const lists = options.orgId === undefined ? [...this.byOrg.values()] : [this.byOrg.get(options.orgId) ?? []];
    let all = lists.flat();
    if (options.includeConsole === false) all = all.filter((r) => !r.fromConsole);
    all.sort((a, b) => b.seq - a.seq);
    return options.limit === undefined ? all : all.slice(0, options.limit);
  }

  get(seq: number): RequestRecord | undefined {
    for (const list of this.byOrg.values()) {
      const found = list.find((r) => r.seq === seq);
      if (found) return found;
    }
    return undefined;
  }

  /** Forgets an org's calls (reset and delete of the org). */
  forget(orgId: string): void {
    this.byOrg.delete(orgId);
  }
}
