import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isAdminToken } from '../../auth/adminToken';
import { orgNow } from '../../clock';
import type { Services } from '../../services';
import type { Caller } from '../../store/orgs';
import { bearerToken, callerOf, requireOrgBearer } from '../rest/bearer';
import { restError, sendFault } from '../restErrors';

/**
 * An org's connected apps, with the admin token or the org's own access token:
 * - `POST …/connected-apps` `{"name", "certificate"?, "consumerKey"?, "consumerSecret"?, "scopes"?}` makes
 *   one and answers its consumer key and secret; `GET` lists them (no secrets); `GET …/<name>` shows one
 *   with its secret; `DELETE …/<name>` deletes one made here (ConnectedApp metadata goes by a deploy);
 * - `POST …/sfdx-auth-url` `{"consumerKey", "username"?}` issues a refresh token to the app for the user
 *   (the caller, or with the admin token the org's first administrator) and answers `{"sfdxAuthUrl"}`.
 */
export function connectedAppRoutes(services: Services, adminToken: string): Router {
  const router = express.Router();
  const orgBearer = requireOrgBearer(services);
  // With the admin token, the org's first administrator acts; with an org's token, its user.
  const auth = (req: Request, res: Response, next: NextFunction) => {
    if (!isAdminToken(bearerToken(req), adminToken)) return orgBearer(req, res, next);
    const org = services.store.orgs.get(req.params.orgId!);
    if (!org) return restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    const users = services.store.orgs.usersOf(org.id);
    const user = users.find((u) => (u.profile ?? 'System Administrator') === 'System Administrator') ?? users[0];
    if (!user) return restError(res, 404, 'NOT_FOUND', `Org ${org.id} has no user`);
    res.locals.caller = { org, user } satisfies Caller;
    next();
  };
  const path = '/_localforce/orgs/:orgId/connected-apps';
  const json = express.json();
  const objectBody = (req: Request, res: Response): Record<string, unknown> | undefined => {
    if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) return req.body as Record<string, unknown>;
    restError(res, 400, 'INVALID_FIELD', 'Send a JSON object (Content-Type: application/json)');
    return undefined;
  };

  router.post(path, auth, json, (req: Request, res: Response) => {
    const body = objectBody(req, res);
    if (!body) return;
    const { org } = callerOf(res);
    try {
      res.status(201).json(services.connectedApps.create(org, body, orgNow(org).toISOString()));
    } catch (err) {
      sendFault(res, err);
    }
  });
  router.get(path, auth, (_req: Request, res: Response) => {
    res.json(services.connectedApps.list(callerOf(res).org));
  });
  router.get(`${path}/:name`, auth, (req: Request, res: Response) => {
    const app = services.connectedApps.get(callerOf(res).org, req.params.name!);
    if (!app) return restError(res, 404, 'NOT_FOUND', `The org has no connected app named ${req.params.name}`);
    res.json(app);
  });
  router.delete(`${path}/:name`, auth, (req: Request, res: Response) => {
    try {
      if (!services.connectedApps.delete(callerOf(res).org, req.params.name!)) {
        return restError(res, 404, 'NOT_FOUND', `The org has no connected app named ${req.params.name}`);
      }
      res.status(204).end();
    } catch (err) {
      sendFault(res, err);
    }
  });

  router.post('/_localforce/orgs/:orgId/sfdx-auth-url', auth, json, (req: Request, res: Response) => {
    const body = objectBody(req, res);
    if (!body) return;
    const caller = callerOf(res);
    let user = caller.user;
    if (body.username !== undefined) {
      const named = typeof body.username === 'string' ? services.store.orgs.userByUsername(body.username.trim()) : undefined;
      if (!named || named.orgId !== caller.org.id) return restError(res, 400, 'INVALID_FIELD', `username must name a user of org ${caller.org.id}`);
      user = named;
    }
    try {
      const host = req.get('host') ?? '127.0.0.1';
      res.status(201).json({ sfdxAuthUrl: services.connectedApps.sfdxAuthUrl(caller.org, user, body.consumerKey, host, orgNow(caller.org).toISOString()) });
    } catch (err) {
      sendFault(res, err);
    }
  });
  return router;
}
