import { redactBody, redactHeaders } from './redact';

/** One call as Localforce shows it: bodies and headers redacted (src/log/redact.ts). */
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

/** A call as it is kept until first read: the start of each body as it went over the wire. */
export interface CallToKeep extends Omit<RequestRecord, 'seq' | 'request' | 'response'> {
  request: { headers: Record<string, string | string[] | undefined>; contentType?: string; text: string; bytes: number; truncated: boolean;
    /** A description of the body that is already safe to show (a multipart deploy's parts), used instead of text. */
    shown?: string };
  response: { contentType?: string; text: string; bytes: number; truncated: boolean };
}

/** Calls kept per org (and for calls of no org: failed logins, bad sessions). */
export const RECORDS_PER_ORG = 200;
const NO_ORG = '';

interface Entry {
  seq: number;
  call?: CallToKeep;
  record?: RequestRecord;
}

/**
 * The recent calls of each org, in memory: enough to see what a CI job just sent without keeping a
 * store of traffic. Each org keeps its newest RECORDS_PER_ORG; a restart starts empty. Bodies are
 * redacted when a call is first read rather than as it is answered, so answering stays as fast as
 * it was; nothing leaves this class unredacted.
 */
export class RequestJournal {
  private readonly byOrg = new Map<string, Entry[]>();
  private seq = 0;

  add(call: CallToKeep): void {
    const key = call.orgId ?? NO_ORG;
    let list = this.byOrg.get(key);
    if (!list) this.byOrg.set(key, (list = []));
    list.push({ seq: ++this.seq, call });
    if (list.length > RECORDS_PER_ORG) list.splice(0, list.length - RECORDS_PER_ORG);
  }

  /** Newest first: one org's calls, or every one kept when no org is given. */
  list(options: { orgId?: string; limit?: number; includeConsole?: boolean } = {}): RequestRecord[] {
    const lists = options.orgId === undefined ? [...this.byOrg.values()] : [this.byOrg.get(options.orgId) ?? []];
    let all = lists.flat();
    if (options.includeConsole === false) all = all.filter((e) => !(e.call ?? e.record)!.fromConsole);
    all.sort((a, b) => b.seq - a.seq);
    return (options.limit === undefined ? all : all.slice(0, options.limit)).map(shown);
  }

  /** Forgets an org's calls (reset and delete of the org). */
  forget(orgId: string): void {
    this.byOrg.delete(orgId);
  }
}

/** The record of an entry, redacted the first time it is read; the wire text is dropped then. */
function shown(entry: Entry): RequestRecord {
  if (!entry.record) {
    const { request, response, ...call } = entry.call!;
    entry.record = {
      seq: entry.seq, ...call,
      request: {
        headers: redactHeaders(request.headers), body: request.shown ?? redactBody(request.text, request.contentType),
        bytes: request.bytes, truncated: request.truncated,
      },
      response: { contentType: response.contentType, body: redactBody(response.text, response.contentType), bytes: response.bytes, truncated: response.truncated },
    };
    entry.call = undefined;
  }
  return entry.record;
}
