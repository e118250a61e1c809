import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../errors';
import { PackageLimits } from '../package/limits';
import type { Services } from '../services';
import { faultEnvelope } from '../soap/envelope';
import { adminRoutes } from './adminRoutes';
import { callLog } from './callLog';
import { consoleRoutes } from './console/consoleRoutes';
import { metadataSoapRoutes } from './metadataSoapRoutes';
import { oauthRoutes } from './oauthRoutes';
import { partnerSoapRoutes } from './partnerSoapRoutes';
import { restError, restNotFound } from './restErrors';
import { restRoutes } from './restRoutes';
import { testControlRoutes } from './testControlRoutes';
import { sendXml } from './xml';

/** The sf CLI keeps a trailing slash on the instance URL, so paths arrive as `//services/...`. */
function collapseSlashes(req: Request, _res: Response, next: NextFunction): void {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path.includes('//')) req.url = path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : req.url.slice(q));
  next();
}

export function createApp(services: Services, version: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(collapseSlashes);
  app.use(callLog(services.log, services.journal));
  app.use(metadataSoapRoutes(services));
  app.use(partnerSoapRoutes(services));
  app.use(oauthRoutes(services));
  app.use(adminRoutes(services, version));
  app.use(testControlRoutes(services));
  app.use(consoleRoutes(services));
  app.use(restRoutes(services));
  app.use((req: Request, res: Response) => restNotFound(res, `${req.method} ${req.path}`));
  // Body-parser failures (too large, bad JSON) and anything unexpected: in the client's own terms.
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) res.locals.unexpectedError = err;
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
