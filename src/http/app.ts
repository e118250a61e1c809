import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../errors';
import { internalError } from '../internalErrors';
import { PackageLimits } from '../package/limits';
import type { Services } from '../services';
import { faultEnvelope } from '../soap/envelope';
import { adminRoutes } from './adminRoutes';
import { apexSoapRoutes } from './apexSoapRoutes';
import { pathOf } from './callContext';
import { callLog } from './callLog';
import { cometdRoutes } from './cometdRoutes';
import { consoleRoutes } from './console/consoleRoutes';
import { frontdoorRoutes } from './frontdoorRoutes';
import { metadataSoapEndpoint, type MetadataSoapOptions } from './metadataSoapEndpoint';
import { mutualTlsGate } from './mutualTls';
import { oauthRoutes } from './oauthRoutes';
import { partnerSoapRoutes } from './partnerSoapRoutes';
import { requestGuards, type GuardOptions } from './requestGuards';
import { restError, restNotFound, sendJson } from './restErrors';
import { restRoutes } from './restRoutes';
import { samlSpRoutes } from './saml/spRoutes';
import { identityProviderRoutes } from './saml/idpRoutes';
import { sendXml } from './xml';

/** The sf CLI keeps a trailing slash on the instance URL, so paths arrive as `//services/...`. */
function collapseSlashes(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : url.slice(q)) : url;
}

/** REST error codes for body-parser refusals: too large, unsupported charset or encoding, bad JSON. */
const CLIENT_ERROR_CODES: Record<number, string> = { 400: 'JSON_PARSER_ERROR', 413: 'REQUEST_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/**
 * Who may call (the admin token, the extra host names to serve besides IP addresses and localhost),
 * and whether this is the mutual TLS listener's app, where every request needs an uploaded client
 * certificate first.
 */
export interface AppOptions extends GuardOptions, MetadataSoapOptions {
  adminToken: string;
  mutualTls?: boolean;
}

/**
 * Every request passes the same steps: the host and origin checks, on the mutual TLS listener its
 * client certificate, then the call log. The Metadata API's SOAP endpoint answers its own path on
 * node's request and response (metadataSoapEndpoint.ts); express serves everything else.
 */
export function createRequestListener(services: Services, version: string, options: AppOptions): RequestListener {
  const guard = requestGuards(options);
  const gate = options.mutualTls ? mutualTlsGate(services) : undefined;
  const log = callLog(services.log, services.journal);
  const metadataSoap = metadataSoapEndpoint(services, options);
  const app = expressApp(services, version, options);
  return (req, res) => {
    try {
      req.url = collapseSlashes(req.url ?? '/'); // first, so that a refusal is in the terms of the path the client meant
      if (guard(req, res) || gate?.(req, res)) return;
      log(req, res);
      if (!metadataSoap(req, res, pathOf(req))) app(req, res);
    } catch (err) {
      answerError(err as Error, req, res);
    }
  };
}

function expressApp(services: Services, version: string, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(frontdoorRoutes(services));
  app.use(identityProviderRoutes(services));
  app.use(samlSpRoutes(services, options.adminToken));
  app.use(partnerSoapRoutes(services));
  app.use(apexSoapRoutes(services));
  app.use(oauthRoutes(services));
  app.use(adminRoutes(services, version, options.adminToken));
  app.use(consoleRoutes(services));
  app.use(restRoutes(services));
  app.use(cometdRoutes(services));
  app.use((req: Request, res: Response) => restNotFound(res, `${req.method} ${req.path}`));
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => answerError(err, req, res));
  return app;
}

/**
 * Body-parser failures (too large, bad JSON, cut short) are the client's: a 4xx in its own terms.
 * Anything else is unexpected: logged with its stack, answered with an id and no JavaScript text.
 */
function answerError(err: Error & { status?: number; type?: string; expose?: boolean; limit?: number }, req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const path = pathOf(req);
  const clientError = typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose !== false;
  if (path.startsWith('/services/Soap/')) {
    const fault = err.type === 'entity.too.large'
      ? Faults.soapMessageTooLarge(err.limit ?? PackageLimits.maxSoapMessageBytes)
      : clientError ? Faults.malformedRequest(`The request cannot be read: ${err.message}`) : internalError(err, `${req.method} ${path}`);
    return sendXml(res, 500, faultEnvelope(fault));
  }
  if (!clientError) return restError(res, 500, 'UNKNOWN_EXCEPTION', internalError(err, `${req.method} ${path}`).message);
  if (path.startsWith('/services/oauth2/')) return sendJson(res, 400, { error: 'invalid_request', error_description: err.message });
  restError(res, err.status!, CLIENT_ERROR_CODES[err.status!] ?? 'INVALID_REQUEST', err.message);
}
