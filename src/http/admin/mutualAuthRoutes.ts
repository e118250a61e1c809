import express, { type Request, type Response, type Router } from 'express';
import { MutualAuthUploadRefused } from '../../auth/mutualAuth';
import type { Services } from '../../services';
import { callerOf, requireOrgBearer } from '../rest/bearer';
import { restError } from '../restErrors';

/**
 * An org's mutual authentication certificates, with its own access token: `POST` the PEM chain
 * (client certificate first) as the body, `GET` the list (expired ones included, marked), `DELETE …/<id>`.
 */
export function mutualAuthRoutes(services: Services): Router {
  const router = express.Router();
  const auth = requireOrgBearer(services);
  const path = '/_localforce/orgs/:orgId/mutual-auth-certificates';

  router.post(path, auth, express.text({ type: () => true, limit: '1mb' }), (req: Request, res: Response) => {
    try {
      res.status(201).json(services.mutualAuth.register(callerOf(res).org, typeof req.body === 'string' ? req.body : ''));
    } catch (err) {
      if (!(err instanceof MutualAuthUploadRefused)) throw err;
      restError(res, 400, err.code, err.message);
    }
  });
  router.get(path, auth, (_req: Request, res: Response) => {
    res.json(services.mutualAuth.list(callerOf(res).org));
  });
  router.delete(`${path}/:id`, auth, (req: Request, res: Response) => {
    if (!services.mutualAuth.remove(callerOf(res).org, req.params.id!)) {
      return restError(res, 404, 'NOT_FOUND', `The org has no mutual authentication certificate with id ${req.params.id}`);
    }
    res.status(204).end();
  });
  return router;
}
