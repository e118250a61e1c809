import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Caller } from '../store/orgs';

/**
 * What the steps of a call tell each other and the call log. It lives on the response as
 * `res.locals`, the object express hands its routes (express keeps one that is already there), so
 * the SOAP endpoint, which runs without express, and the express routes share one shape.
 */
export interface CallLocals {
  caller?: Caller;
  orgId?: string;
  /** The SOAP operation, once the message is read. */
  operation?: string;
  /** A description of the request body that is already safe to show (a multipart deploy's parts). */
  receivedBody?: string;
  /** The client certificate the mutual TLS listener accepted (PEM): set only on that listener. */
  clientCertificate?: string;
  [name: string]: unknown;
}

export function localsOf(res: ServerResponse): CallLocals {
  const holder = res as ServerResponse & { locals?: CallLocals };
  return (holder.locals ??= Object.create(null) as CallLocals);
}

/** The path of a request, without its query. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** `http` or `https`, as the client reached this listener (Localforce trusts no proxy headers). */
export const protocolOf = (req: IncomingMessage): 'http' | 'https' => ((req.socket as TLSSocket).encrypted ? 'https' : 'http');

/** A request body as a reader left it (`req.body`, as express's parsers do). */
export type RequestWithBody = IncomingMessage & { body?: unknown };
