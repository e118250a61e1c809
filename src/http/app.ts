import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../errors';
import { internalError } from '../internalErrors';
import { PackageLimits } from '../package/limits';
import type { Services } from '../services';
import { faultEnvelope } from '../soap/envelope';
import { adminRoutes } from './adminRoutes';
import { callLog } from './callLog';
import { consoleRoutes } from './console/consoleRoutes';
import { metadataSoapRoutes, type MetadataSoapOptions } from './metadataSoapRoutes';
import { mutualTlsGate } from './mutualTls';
import { oauthRoutes } from './oauthRoutes';
import { partnerSoapRoutes } from './partnerSoapRoutes';
import { requestGuards, type GuardOptions } from './requestGuards';
import { restError, restNotFound } from './restErrors';
import { restRoutes } from './restRoutes';
import { sendXml } from './xml';

/** The sf CLI keeps a trailing slash on the instance URL, so paths arrive as `//services/...`. */
function collapseSlashes(req: Request, _res: Response, next: NextFunction): void {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path.includes('//')) req.url = path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : req.url.slice(q));
  next();
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

export function createApp(services: Services, version: string, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestGuards(options));
  if (options.mutualTls) app.use(mutualTlsGate(services));
  app.use(collapseSlashes);
  app.use(callLog(services.log, services.journal));
  app.use(metadataSoapRoutes(services, options));
  app.use(partnerSoapRoutes(services));
  app.use(oauthRoutes(services));
  app.use(adminRoutes(services, version, options.adminToken));
  app.use(consoleRoutes(services));
  app.use(restRoutes(services));
  app.use((req: Request, res: Response) => restNotFound(res, `${req.method} ${req.path}`));
  // Body-parser failures (too large, bad JSON, cut short) are the client's: a 4xx in its own terms.
  // Anything else is unexpected: logged with its stack, answered with an id and no JavaScript text.
  app.use((err: Error & { status?: number; type?: string; expose?: boolean; limit?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.destroy();
    const clientError = typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose !== false;
    if (req.path.startsWith('/services/Soap/')) {
      const fault = err.type === 'entity.too.large'
        ? Faults.soapMessageTooLarge(err.limit ?? PackageLimits.maxSoapMessageBytes)
        : clientError ? Faults.malformedRequest(`The request cannot be read: ${err.message}`) : internalError(err, `${req.method} ${req.path}`);
      return sendXml(res, 500, faultEnvelope(fault));
    }
    if (!clientError) return restError(res, 500, 'UNKNOWN_EXCEPTION', internalError(err, `${req.method} ${req.path}`).message);
    if (req.path.startsWith('/services/oauth2/')) return void res.status(400).json({ error: 'invalid_request', error_description: err.message });
    restError(res, err.status!, CLIENT_ERROR_CODES[err.status!] ?? 'INVALID_REQUEST', err.message);
  });
  return app;
}
