import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { ClientCertificateError } from '../auth/mutualAuth';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { escapeXml } from '../soap/xmlWriter';
import { localsOf } from './callContext';

/** The certificates the client sent in the handshake, leaf first (none: an empty list). */
function presentedChain(req: IncomingMessage): Buffer[] {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return [];
  const chain: Buffer[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && !chain.some((c) => c.equals(cert!.raw))) {
    chain.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** The page the real service's mutual TLS port answers when the handshake's certificate will not do. */
function certificateErrorPage(reason: string): string {
  return `<!DOCTYPE html>\n<html><head><title>Certificate Error</title></head><body><h1>Certificate Error</h1>` +
    `<p>Client certificate error:<i>${escapeXml(reason)}</i></p></body></html>\n`;
}

/**
 * First on the mutual TLS listener: a request goes on only with a client certificate that chains to
 * an uploaded one and has not expired; the session's org is checked later (sessionCaller). True when
 * the request was refused (and answered).
 */
export function mutualTlsGate(services: Services): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    try {
      localsOf(res).clientCertificate = services.mutualAuth.checkPresented(presentedChain(req));
      return false;
    } catch (err) {
      if (!(err instanceof ClientCertificateError)) throw err;
      const page = certificateErrorPage(err.reason);
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) }).end(page);
      return true;
    }
  };
}

/**
 * The caller behind a session id or access token; on the mutual TLS listener, only when the caller's
 * org uploaded the certificate the handshake presented (MUTUAL_AUTHENTICATION_FAILED otherwise).
 */
export function sessionCaller(services: Services, res: ServerResponse, sessionId: string | undefined): Caller {
  const caller = services.orgs.caller(sessionId);
  const presented = localsOf(res).clientCertificate;
  if (presented !== undefined) services.mutualAuth.authorize(caller, presented);
  return caller;
}

/** Whether the request came through the mutual TLS listener. */
export const onMutualTls = (res: ServerResponse): boolean => localsOf(res).clientCertificate !== undefined;
