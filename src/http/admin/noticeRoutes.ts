import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../../services';
import { callerOf, requireOrgBearer } from '../rest/bearer';

/**
 * `GET /_localforce/orgs/:orgId/notices`, with the org's access token: every certificate expiry notice
 * due so far on the org's clock, each with its certificate, kind, date and recipients.
 */
export function noticeRoutes(services: Services): Router {
  const router = express.Router();
  router.get('/_localforce/orgs/:orgId/notices', requireOrgBearer(services), (_req: Request, res: Response) => {
    res.json(services.notices.list(callerOf(res).org));
  });
  return router;
}
