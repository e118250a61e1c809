import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../../services';
import { asyncRoute } from '../asyncRoute';
import { callerOf, requireOrgBearer } from '../rest/bearer';
import { sendFault } from '../restErrors';

/**
 * An org's users, with its own access token: `POST` `{"username", "profile": "System Administrator" |
 * "Standard User", "permissions": [...], "password"?}` makes one (answering its password and access
 * token), `GET` lists them (without passwords).
 */
export function userRoutes(services: Services): Router {
  const router = express.Router();
  const auth = requireOrgBearer(services);
  const path = '/_localforce/orgs/:orgId/users';
  router.post(path, auth, express.json(), asyncRoute(async (req: Request, res: Response) => {
    try {
      res.status(201).json(await services.orgs.createUser(callerOf(res).org.id, (req.body ?? {}) as Record<string, unknown>));
    } catch (err) {
      sendFault(res, err);
    }
  }));
  router.get(path, auth, (_req: Request, res: Response) => {
    res.json(services.store.orgs.usersOf(callerOf(res).org.id).map((u) => ({
      id: u.id, username: u.username, profile: u.profile ?? 'System Administrator', permissions: u.permissions ?? [],
    })));
  });
  return router;
}
