import type { Request, Response } from 'express';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';

/**
 * A browser's session with an org, as the real service keeps it: a `sid` cookie holding a session id
 * (an access token). `/secur/frontdoor.jsp?sid=…` sets it; the identity provider's pages read it.
 */
export const SESSION_COOKIE = 'sid';

export function setBrowserSession(res: Response, sessionId: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, path: '/', sameSite: 'lax', secure });
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

/** A relative path to go on to, never another site (an open redirect). */
export const localPath = (value: unknown) => (typeof value === 'string' && /^\/(?!\/)/.test(value) && !value.includes('\\') ? value : '/');
