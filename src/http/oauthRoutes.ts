import express, { type Request, type Response, type Router } from 'express';
import { OAuthError } from '../auth/oauthErrors';
import type { IssuedToken } from '../auth/oauthGrants';
import type { Services } from '../services';
import { asyncRoute } from './asyncRoute';
import { baseUrl } from './xml';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Client credentials may come as HTTP Basic (`client_id:client_secret`) instead of form fields. */
function basicCredentials(req: Request): { clientId?: string; clientSecret?: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match) return {};
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? {} : { clientId: decodeURIComponent(text.slice(0, colon)), clientSecret: decodeURIComponent(text.slice(colon + 1)) };
}

/**
 * The OAuth 2 token endpoint (username-password, JWT bearer, authorization code and refresh-token grants) and token
 * revocation, as jsforce, the sf CLI and scripts use them.
 */
export function oauthRoutes(services: Services): Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false }), express.json(), asyncRoute(async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A repeated form field arrives as an array, a JSON body may hold anything: each parameter is one string or absent.
    const wrong = Object.keys(body).find((k) => typeof body[k] !== 'string');
    if (wrong) {
      return res.status(400).json({ error: 'invalid_request', error_description: `parameter ${wrong} must be given once, as text` });
    }
    const param = (name: string) => body[name] as string | undefined;
    const basic = basicCredentials(req);
    const client = { clientId: param('client_id') ?? basic.clientId, clientSecret: param('client_secret') || basic.clientSecret };
    const base = baseUrl(req);
    try {
      let issued: IssuedToken;
      switch (param('grant_type')) {
        case 'password':
          issued = await services.oauth.password({ username: param('username'), password: param('password'), ...client });
          break;
        case JWT_BEARER:
          issued = services.oauth.jwtBearer(param('assertion'), base);
          break;
        case 'authorization_code':
          issued = services.oauth.authorizationCode({ code: param('code'), redirectUri: param('redirect_uri'), ...client }, services.scratchOrgs);
          break;
        case 'refresh_token':
          issued = services.oauth.refresh({ refreshToken: param('refresh_token'), ...client });
          break;
        default:
          return res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      }
      res.locals.caller = { org: issued.org, user: issued.user };
      const id = `${base}/id/${issued.org.id}/${issued.user.id}`;
      res.set('Cache-Control', 'no-store').json({
        access_token: issued.accessToken, ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
        ...(issued.scope !== undefined ? { scope: issued.scope } : {}),
        instance_url: base, id, token_type: 'Bearer', issued_at: issued.issuedAt, signature: issued.signature(id),
      });
    } catch (err) {
      if (err instanceof OAuthError) return res.status(400).json({ error: err.error, error_description: err.description });
      throw err;
    }
  }));

  /**
   * Revokes an access or refresh token (`token`, by POST form or GET query). Success is an empty 200;
   * a refusal is URL-encoded, as the real endpoint answers and jsforce's revokeToken() reads it.
   */
  router.all('/services/oauth2/revoke', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'POST') return res.status(405).set('Allow', 'GET, POST').end();
    const raw = (req.method === 'POST' ? (req.body as Record<string, unknown> | undefined)?.token : undefined) ?? req.query.token;
    const refuse = (error: string, description: string) =>
      res.status(400).type('application/x-www-form-urlencoded').send(new URLSearchParams({ error, error_description: description }).toString().replace(/\+/g, '%20'));
    if (typeof raw !== 'string' || !raw.trim()) return refuse('unsupported_token_type', 'this token type is not supported');
    if (!services.oauth.revoke(raw.trim())) return refuse('invalid_token', 'invalid token');
    res.status(200).end();
  });
  return router;
}
