import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import { browserCaller, localPath, setBrowserSession } from './browserSession';
import { protocolOf } from './callContext';

/**
 * `/secur/frontdoor.jsp?sid=<session id>&retURL=<path>`: turns an access token into a browser session, as
 * on the real service (the sf CLI's `org open` uses it), then goes on to retURL (a path of this server).
 */
export function frontdoorRoutes(services: Services): Router {
  const router = express.Router();
  router.get('/secur/frontdoor.jsp', (req: Request, res: Response) => {
    const sid = typeof req.query.sid === 'string' ? req.query.sid : '';
    try {
      services.orgs.caller(sid);
    } catch {
      res.status(401).type('text/html').send('<!doctype html><title>Session expired</title><p>Your session has expired or is invalid. Log in again.</p>');
      return;
    }
    setBrowserSession(res, sid, protocolOf(req) === 'https');
    res.redirect(302, localPath(req.query.retURL));
  });
  // Whom the browser is signed in as: for pages and tests that need to know.
  router.get('/secur/session', (req: Request, res: Response) => {
    const caller = browserCaller(services, req);
    if (!caller) return res.status(401).json([{ errorCode: 'INVALID_SESSION_ID', message: 'No browser session: open /secur/frontdoor.jsp?sid=<access token> first' }]);
    res.json({ orgId: caller.org.id, userId: caller.user.id, username: caller.user.username });
  });
  return router;
}
