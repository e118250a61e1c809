import type { IncomingMessage, ServerResponse } from 'node:http';
import { protocolOf } from './callContext';

/**
 * jsforce reads SOAP only with this exact content type (anything else: an empty result, then a
 * timeout). Written straight to the socket: express's send() would look up types and charsets again.
 */
export function sendXml(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** scheme://host:port as the client reached us; the instance URL every answer points back to. */
export function baseUrl(req: IncomingMessage): string {
  return `${protocolOf(req)}://${req.headers.host ?? '127.0.0.1'}`;
}
