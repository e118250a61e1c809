import type { NextFunction, Request, Response } from 'express';
import { ApiFault } from '../../errors';
import type { Caller } from '../../jobs/deployEngine';
import type { Services } from '../../services';
import { restError } from '../restErrors';

/** `Authorization: Bearer <token>` (or the older `OAuth <token>`) → the token; anything else → undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header && /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/** The caller a bearer-checked handler runs for (set by requireBearer). */
export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

/** Resolves the bearer token to its org and user, or answers 401 as the real REST API does. */
export function requireBearer(services: Services) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      res.locals.caller = services.orgs.caller(bearerToken(req));
      next();
    } catch (err) {
      if (err instanceof ApiFault && err.code === 'INVALID_SESSION_ID') {
        return restError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      }
      next(err);
    }
  };
}

/** An ApiFault thrown by the services, in REST terms: 401 for the session, 400 for the rest. */
export function sendFault(res: Response, err: unknown): void {
  if (!(err instanceof ApiFault)) throw err;
  if (err.code === 'INVALID_SESSION_ID') return restError(res, 401, err.code, 'Session expired or invalid');
  restError(res, 400, err.code, err.message);
}
