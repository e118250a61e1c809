import type { NextFunction, Request, Response } from 'express';
import { ApiFault } from '../../errors';
import type { Caller } from '../../store/orgs';
import type { Services } from '../../services';
import { sendFault } from '../restErrors';

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
      if (err instanceof ApiFault) return sendFault(res, err);
      next(err);
    }
  };
}
