import express, { type Request, type Response, type Router } from 'express';
import { anonymousApexPolicyFromJson, storedPolicy } from '../../apexRuns/anonymousApexPolicy';
import type { Services } from '../../services';
import { restError } from '../restErrors';
import { orgOf } from './orgOf';

/**
 * The org's anonymous Apex policy (src/apexRuns/anonymousApexPolicy.ts): GET reads the policy in force,
 * PUT sets it (`{"policy": "refuse"|"succeed"}`), DELETE goes back to the default, refuse. Mounted behind
 * the admin API's token check (adminRoutes.ts), which also lets the org's own access token through.
 */
export function apexRunAdminRoutes(services: Services): Router {
  const router = express.Router();
  router.all('/_localforce/orgs/:orgId/anonymous-apex', express.json(), (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    if (req.method === 'PUT') {
      if (!req.is('application/json')) return restError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the policy as application/json: {"policy": "refuse"|"succeed"}');
      try {
        services.store.orgs.setAnonymousApexPolicy(org.id, anonymousApexPolicyFromJson(req.body));
      } catch (err) {
        return restError(res, 400, 'INVALID_FIELD', (err as Error).message);
      }
    } else if (req.method === 'DELETE') {
      services.store.orgs.setAnonymousApexPolicy(org.id, undefined);
    } else if (req.method !== 'GET') {
      return restError(res, 405, 'METHOD_NOT_ALLOWED', `anonymous-apex takes GET, PUT or DELETE, not ${req.method}`);
    }
    res.json({ orgId: org.id, policy: storedPolicy(services.store.orgs.get(org.id)?.anonymousApexPolicy) });
  });
  return router;
}
