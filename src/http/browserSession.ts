import type { Request, Response } from 'express';
import type { Services } from '../services';
import { to15, to18 } from '../ids';
import type { Caller, Org } from '../store/orgs';

/**
 * A browser's session with an org, as the real service keeps it: a `sid` cookie holding a session id
 * (an access token). `/secur/frontdoor.jsp?sid=…` sets it; the identity provider's pages read it.
 */
export const SESSION_COOKIE = 'sid';

/**
 * Over HTTPS the cookie goes with cross-site requests too (SameSite=None, as the real service sets it), so
 * that a service provider's page can POST a request to the identity provider; browsers take SameSite=None
 * only on secure cookies, so over HTTP it is Lax (redirect-binding requests, top-level GETs, still carry it).
 */
export function setBrowserSession(res: Response, sessionId: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, path: '/', sameSite: secure ? 'none' : 'lax', secure });
}

/** The caller of the browser's session, or undefined when it has none that is valid. */
export function browserCaller(services: Services, req: Request): Caller | undefined {
  const cookie = req.headers.cookie ?? '';
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(cookie)?.[1];
  if (!sid) return undefined;
  try {
    return services.orgs.caller(decodeURIComponent(sid));
  } catch {
    return undefined;
  }
}

/** A path of this server to go on to (a retURL, a RelayState); anything else (another site, `//host`, a scheme) would be an open redirect. */
export const localPath = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : '/');

/**
 * An org by the id a login URL carries (`so`: 15 characters, or 18). The default org's id does not carry
 * the checksum to18 computes, so a 15-character id that misses is matched against the orgs' own ids.
 */
export function orgNamed(services: Services, id: unknown): Org | undefined {
  if (typeof id !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return undefined;
  const org = services.store.orgs.get(id.length === 18 ? id : to18(id));
  if (org || id.length === 18) return org;
  const own = services.store.orgs.ids().find((candidate) => to15(candidate) === id);
  return own ? services.store.orgs.get(own) : undefined;
}
