import express, { type Request, type Response, type Router } from 'express';
import { ApiFault } from '../errors';
import type { Services } from '../services';
import { baseUrl } from './xml';

/** OAuth 2 username-password flow, as jsforce and scripts use it. */
export function oauthRoutes(services: Services): Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), express.json(), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string>;
    if (body.grant_type !== 'password') {
      return res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    try {
      const { sessionId, caller } = services.orgs.login(body.username ?? '', body.password ?? '');
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
  });
  return router;
}
