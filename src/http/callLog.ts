import type { IncomingMessage, ServerResponse } from 'node:http';
import { shortId, type Logger } from '../log/logger';
import { redactForm, redactText } from '../log/redact';
import type { RequestJournal } from '../log/requestJournal';
import { localsOf, type RequestWithBody } from './callContext';

/** The header the console sends with its own calls, so the Requests page can leave them out. */
export const CONSOLE_HEADER = 'x-localforce-console';

/** Characters kept of each body: the start, for people to read (a zip inside is shown by its size). */
const KEPT_CHARS = 64 * 1024;

/** Localforce's own pages and endpoints: logged, but not calls of an org. */
const isOwnPath = (path: string) => path === '/' || path.startsWith('/_localforce') || path.startsWith('/console') || path === '/favicon.ico';
const isConsolePage = (path: string) => path === '/' || path.startsWith('/console/') || path === '/favicon.ico';

/** An id in a path (`/deployRequest/0Af…`): left out of the resource name. */
const looksLikeId = (segment: string) => /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(segment) && /\d/.test(segment);

/** The REST resource a path names: `metadata/deployRequest`, `sobjects/User`, `query`, `oauth2/token`. */
export function restResourceOf(method: string, path: string): string | undefined {
  if (/^\/services\/data\/?$/.test(path)) return 'versions';
  const data = /^\/services\/data\/v[\d.]+\/?(.*)$/.exec(path);
  if (data) {
    const segments = data[1]!.split('/').filter((s) => s && !looksLikeId(s));
    return segments.length ? segments.join('/') : 'resources';
  }
  if (path.startsWith('/services/oauth2/')) return path.slice('/services/'.length);
  if (path.startsWith('/id/')) return 'identity';
  if (method === 'GET' && path.startsWith('/services/Soap/')) return 'wsdl';
  return undefined;
}

/** The operation of a SOAP request: the first element in its Body, read from the start of the text only. */
export function soapOperationOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?(\w+)/.exec(body.slice(0, 16 * 1024))?.[1];
}

/** Keeps the start of what a response writes, without changing what is sent. */
function captureResponse(res: ServerResponse): () => { text: string; bytes: number; truncated: boolean } {
  const kept: Array<string | Buffer> = [];
  let keptLength = 0; // characters of strings, bytes of buffers: what is kept of the 64 KB
  let keptBytes = 0;
  let bytes = 0;
  const take = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') {
      const size = Buffer.byteLength(chunk, typeof encoding === 'string' ? encoding as BufferEncoding : 'utf8');
      bytes += size;
      if (keptLength >= KEPT_CHARS) return;
      // A whole chunk is kept as it is; a cut one is copied, so that it does not hold on to the rest.
      const whole = chunk.length <= KEPT_CHARS - keptLength;
      const piece = whole ? chunk : copied(chunk.slice(0, KEPT_CHARS - keptLength));
      kept.push(piece);
      keptLength += piece.length;
      keptBytes += whole ? size : Buffer.byteLength(piece);
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.length;
      if (keptLength >= KEPT_CHARS) return;
      const piece = Buffer.from(chunk.subarray(0, KEPT_CHARS - keptLength));
      kept.push(piece);
      keptLength += piece.length;
      keptBytes += piece.length;
    }
  };
  type Writer = (chunk?: unknown, ...rest: unknown[]) => unknown;
  const write = res.write.bind(res) as unknown as Writer;
  const end = res.end.bind(res) as unknown as Writer;
  (res as unknown as { write: Writer }).write = (chunk?: unknown, ...rest: unknown[]) => { take(chunk, rest[0]); return write(chunk, ...rest); };
  (res as unknown as { end: Writer }).end = (chunk?: unknown, ...rest: unknown[]) => { take(chunk, rest[0]); return end(chunk, ...rest); };
  return () => ({
    text: kept.length === 1 && typeof kept[0] === 'string' ? kept[0] : kept.map((k) => k.toString()).join(''),
    bytes, truncated: bytes > keptBytes,
  });
}

/** A text copied out of the one it was cut from, so that keeping it does not keep the whole. */
const copied = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** The start of a text, copied out so that a kept call does not hold on to the whole text it was cut from. */
const startOf = (text: string) => ({ text: text.length > KEPT_CHARS ? copied(text.slice(0, KEPT_CHARS)) : text, truncated: text.length > KEPT_CHARS });

/** A request's body as text: what a body parser read (JSON and forms written back as such). */
function requestText(req: RequestWithBody): string {
  const body: unknown = req.body;
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object' || !Object.keys(body).length) return '';
  return (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
}

/**
 * One log line per call: time, method, path, SOAP operation or REST resource, org, HTTP status and
 * milliseconds. Calls are also kept with the start of their bodies in the request journal, which
 * redacts them when they are read.
 * Handlers say what only they know through res.locals: `caller` (or `orgId`) and `operation`. Errors
 * that are Localforce's fault, not the client's, are written with their stack by internalErrors.ts.
 */
export function callLog(log: Logger, journal: RequestJournal): (req: RequestWithBody, res: ServerResponse) => void {
  return (req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const path = url.split('?')[0]!.replace(/\/{2,}/g, '/');
    const method = req.method ?? 'GET';
    const recorded = !isOwnPath(path);
    const captured = recorded ? captureResponse(res) : undefined;
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const locals = localsOf(res);
      const orgId = locals.caller?.org.id ?? locals.orgId;
      const operation = locals.operation ?? (path.startsWith('/services/Soap/') && method === 'POST' ? soapOperationOf(req.body) : undefined)
        ?? restResourceOf(method, path);
      const shown = redactText(path);
      const line = [method, shown, operation, orgId && shortId(orgId), res.statusCode, `${Math.round(ms)} ms`].filter((p) => p !== undefined && p !== '').join(' ');
      const fields = { method, path: shown, operation, orgId, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (isConsolePage(path)) log.debug(fields, line);
      else log.info(fields, line);
      if (!captured) return;
      const query = url.includes('?') ? redactForm(url.slice(url.indexOf('?') + 1)) : undefined;
      const answer = captured();
      const received = locals.receivedBody;
      // Only what the call needs is kept, never req itself: its body may be a 50 MB deploy.
      journal.add({
        time: new Date().toISOString(), method, path: shown, query: query || undefined, operation, orgId,
        status: res.statusCode, ms: Math.round(ms * 10) / 10, fromConsole: req.headers[CONSOLE_HEADER] !== undefined,
        request: {
          headers: { ...req.headers }, contentType: req.headers['content-type'], bytes: Number(req.headers['content-length'] ?? 0), shown: received,
          ...(received === undefined ? startOf(requestText(req)) : { text: '', truncated: false }),
        },
        response: { contentType: res.getHeader('content-type')?.toString(), bytes: answer.bytes, text: answer.text, truncated: answer.truncated },
      });
    });
  };
}
