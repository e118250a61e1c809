import type { NextFunction, Request, Response } from 'express';
import { ApiFault } from '../../errors';
import { sameId } from '../../ids';
import type { Caller } from '../../store/orgs';
import type { Services } from '../../services';
import { sessionCaller } from '../mutualTls';
import { restError, sendFault } from '../restErrors';

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
      res.locals.caller = sessionCaller(services, res, bearerToken(req));
      next();
    } catch (err) {
      if (err instanceof ApiFault) return sendFault(res, err);
      next(err);
    }
  };
}

/**
 * For Localforce's own per-org endpoints (`/_localforce/orgs/:orgId/…`): the org's access token as a
 * bearer token, and only for its own org. Another org's valid token gets 403, never 401, so that a
 * client does not take it for an expired session and retry.
 */
export function requireOrgBearer(services: Services, orgIdOf = (req: Request): string => req.params.orgId ?? '') {
  const bearer = requireBearer(services);
  return (req: Request, res: Response, next: NextFunction): void => bearer(req, res, (err?: unknown) => {
    if (err) return next(err);
    const orgId = orgIdOf(req);
    if (!sameId(callerOf(res).org.id, orgId)) {
      return restError(res, 403, 'INSUFFICIENT_ACCESS', `This access token is not for org ${orgId}: use that org's own access token`);
    }
    next();
  });
}
