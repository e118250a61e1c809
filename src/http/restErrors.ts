import type { ServerResponse } from 'node:http';
import { ApiFault } from '../errors';

/**
 * A JSON answer written with node's own response, as express's json() would, so that the checks
 * running before express can answer in JSON too.
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** REST errors are JSON arrays of {message, errorCode}, as the real REST API sends them. */
export function restError(res: ServerResponse, status: number, errorCode: string, message: string): void {
  sendJson(res, status, [{ message, errorCode }]);
}

/**
 * 404 with the sentence the real REST API uses; the sf CLI reads it (on Tooling's SourceMember) as
 * "this org has no source tracking", so it is written here once.
 */
export function restNotFound(res: ServerResponse, detail: string): void {
  restError(res, 404, 'NOT_FOUND', `The requested resource does not exist: ${detail}`);
}

/** An ApiFault thrown by the services, in REST terms: 401 for the session, 400 for the rest; anything else is rethrown. */
export function sendFault(res: ServerResponse, err: unknown): void {
  if (!(err instanceof ApiFault)) throw err;
  if (err.code === 'INVALID_SESSION_ID') return restError(res, 401, err.code, 'Session expired or invalid');
  // A valid session refused: 403, since clients answer 401 by refreshing the session, again and again.
  if (err.code === 'MUTUAL_AUTHENTICATION_FAILED') return restError(res, 403, err.code, err.message);
  restError(res, 400, err.code, err.message);
}
