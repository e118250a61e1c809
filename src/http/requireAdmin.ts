import type { NextFunction, Request, Response } from 'express';
import type { Services } from '../services';

/**
 * The gate of Localforce's admin endpoints (inspection and control of orgs for tests). Every admin
 * route added since the console goes through this one function, so that an admin credential check
 * is added in one place. Today Localforce listens on the loopback address and lets every caller through.
 */
export function requireAdmin(_services: Services) {
  return (_req: Request, _res: Response, next: NextFunction): void => next();
}
