import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { shortId, type Logger } from '../log/logger';
import { redactBody, redactForm, redactHeaders, redactJson, redactText } from '../log/redact';
import type { RequestJournal } from '../log/requestJournal';

/** The header the console sends with its own calls, so the Requests page can leave them out. */
export const CONSOLE_HEADER = 'x-localforce-console';

/** Bytes of an answer looked at (enough to redact a long zip by its size), and characters kept of each body. */
const CAPTURE_BYTES = 256 * 1024;
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

/** Keeps what a response writes, up to CAPTURE_BYTES, without changing what is sent. */
function captureResponse(res: Response): () => { text: string; bytes: number } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  const take = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const enc = typeof encoding === 'string' ? encoding as BufferEncoding : 'utf8';
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, enc);
      if (kept < CAPTURE_BYTES) chunks.push(Buffer.from(chunk.slice(0, CAPTURE_BYTES - kept), enc));
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.length;
      if (kept < CAPTURE_BYTES) chunks.push(Buffer.from(chunk.subarray(0, CAPTURE_BYTES - kept)));
    }
    kept = chunks.reduce((n, c) => n + c.length, 0);
  };
  type Writer = (chunk?: unknown, ...rest: unknown[]) => unknown;
  const write = res.write.bind(res) as unknown as Writer;
  const end = res.end.bind(res) as unknown as Writer;
  (res as unknown as { write: Writer }).write = (chunk?: unknown, ...rest: unknown[]) => { take(chunk, rest[0]); return write(chunk, ...rest); };
  (res as unknown as { end: Writer }).end = (chunk?: unknown, ...rest: unknown[]) => { take(chunk, rest[0]); return end(chunk, ...rest); };
  return () => ({ text: Buffer.concat(chunks).toString('utf8'), bytes });
}

/** The start of a body, copied out so that a kept record does not hold on to the whole text it was cut from. */
const keep = (text: string) => ({
  body: text.length > KEPT_CHARS ? Buffer.from(text.slice(0, KEPT_CHARS), 'utf8').toString('utf8') : text, truncated: text.length > KEPT_CHARS,
});

/** A request's body as text, redacted: what a body parser read, or what a handler says it received. */
function requestBody(req: Request, res: Response): string {
  if (typeof res.locals.receivedBody === 'string') return res.locals.receivedBody;
  const type = req.get('content-type') ?? '';
  const body: unknown = req.body;
  // A long body is cut before redaction: redaction reads every element, and only the start is kept.
  if (typeof body === 'string') return redactBody(body.length > CAPTURE_BYTES ? body.slice(0, CAPTURE_BYTES) : body, type);
  if (body && typeof body === 'object' && Object.keys(body).length) {
    if (type.includes('x-www-form-urlencoded')) return redactForm(new URLSearchParams(body as Record<string, string>).toString());
    return JSON.stringify(redactJson(body), null, 2);
  }
  return '';
}

/**
 * One log line per call: time, method, path, SOAP operation or REST resource, org, HTTP status and
 * milliseconds. Calls of orgs are also kept, with their redacted bodies, in the request journal.
 * Handlers say what only they know through res.locals: `caller` (or `orgId`), `operation`, and
 * `unexpectedError` for an error that is Localforce's fault rather than the client's.
 */
export function callLog(log: Logger, journal: RequestJournal): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const path = req.originalUrl.split('?')[0]!.replace(/\/{2,}/g, '/');
    const recorded = !isOwnPath(path);
    const captured = recorded ? captureResponse(res) : undefined;
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const locals = res.locals as { caller?: { org: { id: string } }; orgId?: string; operation?: string; unexpectedError?: Error };
      const orgId = locals.caller?.org.id ?? locals.orgId;
      const operation = locals.operation ?? (path.startsWith('/services/Soap/') && req.method === 'POST' ? soapOperationOf(req.body) : undefined)
        ?? restResourceOf(req.method, path);
      const shown = redactText(path);
      const line = [req.method, shown, operation, orgId && shortId(orgId), res.statusCode, `${Math.round(ms)} ms`].filter((p) => p !== undefined && p !== '').join(' ');
      const fields = { method: req.method, path: shown, operation, orgId, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (isConsolePage(path)) log.debug(fields, line);
      else log.info(fields, line);
      if (locals.unexpectedError) log.error({ ...fields, error: redactText(locals.unexpectedError.message) }, `${req.method} ${shown} failed: ${redactText(locals.unexpectedError.message)}`);
      if (!captured) return;
      const query = req.originalUrl.includes('?') ? redactForm(req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)) : undefined;
      const answer = captured();
      const contentType = res.getHeader('content-type')?.toString();
      journal.add({
        time: new Date().toISOString(), method: req.method, path: shown, query: query || undefined, operation, orgId,
        status: res.statusCode, ms: Math.round(ms * 10) / 10, fromConsole: req.get(CONSOLE_HEADER) !== undefined,
        request: { headers: redactHeaders(req.headers), bytes: Number(req.get('content-length') ?? 0), ...keep(requestBody(req, res)) },
        response: { contentType, bytes: answer.bytes, ...keep(redactBody(answer.text, contentType)) },
      });
    });
    next();
  };
}
