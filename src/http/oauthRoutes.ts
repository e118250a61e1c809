import express, { type Request, type Response, type Router } from 'express';
import { ApiFault } from '../errors';
import type { Services } from '../services';
import { asyncRoute } from './asyncRoute';
import { baseUrl } from './xml';

/** OAuth 2 username-password flow, as jsforce and scripts use it. */
export function oauthRoutes(services: Services): Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), express.json(), asyncRoute(async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A repeated form field arrives as an array, a JSON body may hold anything: each parameter is one string or absent.
    const wrong = Object.keys(body).find((k) => typeof body[k] !== 'string');
    if (wrong) {
      return res.status(400).json({ error: 'invalid_request', error_description: `parameter ${wrong} must be given once, as text` });
    }
    if (body.grant_type !== 'password') {
      return res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    try {
      const { sessionId, caller } = await services.orgs.login(String(body.username ?? ''), String(body.password ?? ''));
      res.locals.caller = caller;
      const base = baseUrl(req);
      const issuedAt = String(Date.now());
      res.json({
        access_token: sessionId, instance_url: base, id: `${base}/id/${caller.org.id}/${caller.user.id}`,
        token_type: 'Bearer', issued_at: issuedAt, signature: Buffer.from(`${caller.user.id}${issuedAt}`).toString('base64'),
      });
    } catch (err) {
      if (err instanceof ApiFault) return res.status(400).json({ error: 'invalid_grant', error_description: 'authentication failure' });
      throw err;
    }
  }));
  return router;
}
