import express, { type Request, type Response, type Router } from 'express';
import { Faults } from '../../errors';
import type { Services } from '../../services';
import type { User } from '../../store/orgs';
import { asyncRoute } from '../asyncRoute';
import { callerOf, requireOrgBearer } from '../rest/bearer';
import { sendFault } from '../restErrors';

/**
 * An org's users, with its own access token: `POST` `{"username", "profile": "System Administrator" |
 * "Standard User", "permissions": [...], "password"?, "federationId"?}` makes one (answering its password
 * and access token), `GET` lists them (without passwords), `PATCH …/users/<userId>` `{"federationId": "…" | null}`
 * sets or clears the name SAML single sign-on knows one by.
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
  const described = (u: User) => ({
    id: u.id, username: u.username, profile: u.profile ?? 'System Administrator', permissions: u.permissions ?? [], federationId: u.federationId ?? null,
  });
  router.get(path, auth, (_req: Request, res: Response) => {
    res.json(services.store.orgs.usersOf(callerOf(res).org.id).map(described));
  });
  router.patch(`${path}/:userId`, auth, express.json(), (req: Request, res: Response) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(body).filter((k) => k !== 'federationId');
      if (unknown.length || !('federationId' in body)) throw Faults.invalidField('send {"federationId": "…"} or {"federationId": null}');
      res.json(described(services.orgs.setFederationId(callerOf(res).org.id, req.params.userId!, body.federationId)));
    } catch (err) {
      sendFault(res, err);
    }
  });
  return router;
}
