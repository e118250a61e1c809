import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../errors';
import { PackageLimits } from '../package/limits';
import type { Services } from '../services';
import { faultEnvelope } from '../soap/envelope';
import { adminRoutes } from './adminRoutes';
import { metadataSoapRoutes, type MetadataSoapOptions } from './metadataSoapRoutes';
import { mutualTlsGate } from './mutualTls';
import { oauthRoutes } from './oauthRoutes';
import { partnerSoapRoutes } from './partnerSoapRoutes';
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

export interface AppOptions extends MetadataSoapOptions {
  /** The mutual TLS listener's app: every request needs an uploaded client certificate first. */
  mutualTls?: boolean;
}

export function createApp(services: Services, version: string, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.mutualTls) app.use(mutualTlsGate(services));
  app.use(collapseSlashes);
  app.use(metadataSoapRoutes(services, options));
  app.use(partnerSoapRoutes(services));
  app.use(oauthRoutes(services));
  app.use(adminRoutes(services, version));
  app.use(restRoutes(services));
  app.use((req: Request, res: Response) => restNotFound(res, `${req.method} ${req.path}`));
  // Body-parser failures (too large, bad JSON) and anything unexpected: in the client's own terms.
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    if (req.path.startsWith('/services/Soap/')) {
      const fault = err.type === 'entity.too.large'
        ? Faults.malformedRequest(`Maximum size of request reached. Maximum size of request is ${PackageLimits.maxSoapMessageBytes} bytes.`)
        : Faults.unknownException(err.message);
      return sendXml(res, 500, faultEnvelope(fault));
    }
    restError(res, status, status === 413 ? 'REQUEST_TOO_LARGE' : status < 500 ? 'JSON_PARSER_ERROR' : 'UNKNOWN_EXCEPTION', err.message);
  });
  return app;
}
