import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isAdminToken } from '../auth/adminToken';
import { bearerToken, requireOrgBearer } from './rest/bearer';
import { orgNow, readClockChange } from '../clock';
import { policyFromJson } from '../deploy/apexTests/testOutcomePolicy';
import type { Services } from '../services';
import { apexRunAdminRoutes } from './admin/apexRunRoutes';
import { connectedAppRoutes } from './admin/connectedAppRoutes';
import { devHubAdminRoutes } from './admin/devHubAdminRoutes';
import { keystoreRoutes } from './admin/keystoreRoutes';
import { mutualAuthRoutes } from './admin/mutualAuthRoutes';
import { noticeRoutes } from './admin/noticeRoutes';
import { testControlRoutes } from './admin/testControlRoutes';
import { userRoutes } from './admin/userRoutes';
import { asyncRoute } from './asyncRoute';
import { restError, sendFault } from './restErrors';

/**
 * Localforce's own endpoints: health, and orgs for tests that need more than the default one. All
 * but health need the admin token (`Authorization: Bearer <token>`); an org's own endpoints
 * (`/_localforce/orgs/<orgId>/…`) also take an access token of that org.
 */
export function adminRoutes(services: Services, version: string, adminToken: string): Router {
  const router = express.Router();
  router.get('/_localforce/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok', name: 'localforce', version });
  });
  const orgPath = (req: Request) => /^\/orgs\/([^/]+)\/./.exec(req.path)?.[1];
  const orgBearer = requireOrgBearer(services, (req) => orgPath(req) ?? '');
  router.use('/_localforce', (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (isAdminToken(token, adminToken)) return next();
    if (orgPath(req) && token) return orgBearer(req, res, next);
    restError(res, 401, 'INVALID_AUTH_HEADER',
      'The Localforce admin API needs Authorization: Bearer <admin token>, the token printed at start as "Admin token: …" ' +
      '(or, for /_localforce/orgs/<orgId>/…, an access token of that org)');
  });
  router.post('/_localforce/orgs', express.json(), asyncRoute(async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const wrong = ['name', 'username', 'password'].find((k) => body[k] !== undefined && typeof body[k] !== 'string');
    if (wrong) return restError(res, 400, 'INVALID_FIELD', `${wrong} must be a string`);
    try {
      res.status(201).json(await services.orgs.createOrg(body as { name?: string; username?: string; password?: string }));
    } catch (err) {
      sendFault(res, err);
    }
  }));
  /** Moves an org's clock: `{"time": ISO}` sets "now", `{"offsetMs": n}` shifts it, `{}` resets it; nothing changes on a refusal. */
  router.get('/_localforce/orgs/:orgId/clock', (req: Request, res: Response) => {
    const org = services.store.orgs.get(req.params.orgId!);
    if (!org) return restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    res.json({ orgId: org.id, now: orgNow(org).toISOString(), offsetMs: org.clockOffsetMs });
  });
  router.post('/_localforce/orgs/:orgId/clock', express.json(), (req: Request, res: Response) => {
    const org = services.store.orgs.get(req.params.orgId!);
    if (!org) return restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    if (!req.is('application/json')) return restError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the clock change as application/json');
    const now = Date.now();
    const change = readClockChange(req.body, now);
    if ('error' in change) return restError(res, 400, 'INVALID_FIELD', change.error);
    const before = orgNow(org);
    services.store.orgs.setClockOffset(org.id, change.offsetMs);
    services.notices.observe(org.id, before);
    res.json({ orgId: org.id, now: new Date(now + change.offsetMs).toISOString(), offsetMs: change.offsetMs });
  });
  /**
   * The org's simulated Apex test outcomes and declared coverage: GET reads the policy in force, PUT sets
   * the org's own (`{"default": "pass"|"fail", "classes": {"MyTest": "fail"}, "coverage": {"default": 75,
   * "classes": {"MyClass": 90}}}`), DELETE goes back to the server's.
   */
  router.all('/_localforce/orgs/:orgId/apex-test-outcomes', express.json(), (req: Request, res: Response) => {
    const org = services.store.orgs.get(req.params.orgId!);
    if (!org) return restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    if (req.method === 'PUT') {
      let policy;
      try {
        policy = policyFromJson(req.body);
      } catch (err) {
        return restError(res, 400, 'INVALID_FIELD', (err as Error).message);
      }
      services.store.orgs.setTestOutcomePolicy(org.id, policy);
    } else if (req.method === 'DELETE') {
      services.store.orgs.setTestOutcomePolicy(org.id, undefined);
    } else if (req.method !== 'GET') {
      return restError(res, 405, 'METHOD_NOT_ALLOWED', `apex-test-outcomes takes GET, PUT or DELETE, not ${req.method}`);
    }
    res.json(services.deploys.testPolicy(org.id));
  });
  router.use(keystoreRoutes(services));
  router.use(mutualAuthRoutes(services));
  router.use(userRoutes(services));
  router.use(noticeRoutes(services));
  router.use(testControlRoutes(services));
  router.use(apexRunAdminRoutes(services));
  router.use(connectedAppRoutes(services, adminToken));
  router.use(devHubAdminRoutes(services));
  return router;
}
