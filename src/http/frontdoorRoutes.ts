import express, { type Request, type Response, type Router } from 'express';
import { orgNow } from '../clock';
import { newSessionId } from '../ids';
import type { Services } from '../services';
import { callerOf, requireBearer } from './rest/bearer';
import { baseUrl } from './xml';
import { browserCaller, localPath, setBrowserSession } from './browserSession';
import { protocolOf } from './callContext';

/**
 * `/secur/frontdoor.jsp?sid=<session id>&retURL=<path>`: turns an access token into a browser session, as
 * on the real service, then goes on to retURL (a path of this server). `otp=` takes the session that
 * `/services/oauth2/singleaccess` made for one browser (the sf CLI's `org open` asks for one), so the
 * browser never holds the CLI's own token.
 */
export function frontdoorRoutes(services: Services): Router {
  const router = express.Router();
  router.get('/secur/frontdoor.jsp', (req: Request, res: Response) => {
    const given = req.query.otp ?? req.query.sid;
    const sid = typeof given === 'string' ? given : '';
    try {
      services.orgs.caller(sid);
    } catch {
      res.status(401).type('text/html').send('<!doctype html><title>Session expired</title><p>Your session has expired or is invalid. Log in again.</p>');
      return;
    }
    setBrowserSession(res, sid, protocolOf(req) === 'https');
    res.redirect(302, localPath(req.query.retURL ?? req.query.startURL));
  });
  router.get('/services/oauth2/singleaccess', requireBearer(services), (req: Request, res: Response) => {
    const { org, user } = callerOf(res);
    const otp = newSessionId(org.id);
    services.store.sessions.insert({ id: otp, orgId: org.id, userId: user.id, createdDate: new Date().toISOString(), lastActiveMs: orgNow(org).getTime() });
    const start = typeof req.query.redirect_uri === 'string' ? `&startURL=${encodeURIComponent(req.query.redirect_uri)}` : '';
    res.json({ frontdoor_uri: `${baseUrl(req)}/secur/frontdoor.jsp?otp=${encodeURIComponent(otp)}${start}` });
  });
  // Whom the browser is signed in as: for pages and tests that need to know.
  router.get('/secur/session', (req: Request, res: Response) => {
    const caller = browserCaller(services, req);
    if (!caller) return res.status(401).json([{ errorCode: 'INVALID_SESSION_ID', message: 'No browser session: open /secur/frontdoor.jsp?sid=<access token> first' }]);
    res.json({ orgId: caller.org.id, userId: caller.user.id, username: caller.user.username });
  });
  return router;
}
