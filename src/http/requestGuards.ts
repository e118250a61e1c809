import { isIP } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults } from '../errors';
import { faultEnvelope } from '../soap/envelope';
import { pathOf, protocolOf } from './callContext';
import { restError } from './restErrors';
import { sendXml } from './xml';

/**
 * Web pages must not drive Localforce. Two checks run before anything else:
 *
 * - **Host** (DNS rebinding): a page of `evil.example` whose name is made to resolve to 127.0.0.1
 *   reaches Localforce with `Host: evil.example`. Only IP addresses, `localhost` (and its
 *   subdomains) and the names given as allowed hosts are served. IP literals are always safe: a
 *   rebinding page cannot make its own origin an IP address it does not own.
 * - **Origin** (CSRF): a browser sends `Origin` with every cross-site POST and `Sec-Fetch-Site` with
 *   every request. A request whose Origin is not this server's own, or that a browser marks as
 *   coming from another site, is refused. Clients that are not browsers (jsforce, the sf CLI, curl,
 *   node-soap) send neither header, so they are not affected; nor is a page served by Localforce
 *   itself, or an address typed into the browser (`Sec-Fetch-Site: none`).
 *
 * Refusals never repeat the foreign Host.
 */
export interface GuardOptions {
  /** Extra host names to serve (lower case), e.g. a container name; `*` serves any. */
  allowedHosts: string[];
}

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

function hostAllowed(host: string | undefined, allowed: string[]): boolean {
  if (host === undefined) return true; // HTTP/1.0 without Host: not a browser
  const m = HOST_HEADER.exec(host);
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  if (isIP(name.replace(/^\[|\]$/g, ''))) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.includes('*') || allowed.includes(name);
}

function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === `${protocolOf(req)}:` && url.host === (req.headers.host ?? '').toLowerCase() && url.pathname === '/';
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything unreadable
  }
}

/**
 * SAML single sign-on crosses sites by design: a service provider's page sends the browser to the
 * identity provider's endpoints, and an identity provider's page posts the response to the org's login
 * URL (`POST /?so=<org id>`). Each of these carries its own proof (a signed message, the session cookie,
 * or the session id itself for frontdoor.jsp), so the Origin check does not apply to them.
 */
const SINGLE_SIGN_ON_PATHS = new Set(['/idp/endpoint/HttpRedirect', '/idp/endpoint/HttpPost', '/idp/login', '/secur/frontdoor.jsp', '/.well-known/samlidp.xml']);
const singleSignOn = (req: IncomingMessage) => SINGLE_SIGN_ON_PATHS.has(pathOf(req))
  || (pathOf(req) === '/' && req.method === 'POST' && /[?&]so=/.test(req.url ?? ''));

function refuse(req: IncomingMessage, res: ServerResponse, message: string): true {
  if (pathOf(req).startsWith('/services/Soap/')) sendXml(res, 500, faultEnvelope(Faults.insufficientAccess(message)));
  else restError(res, 403, 'INSUFFICIENT_ACCESS', message);
  return true;
}

/** The checks of every request, before anything else reads it: true when the request was refused (and answered). */
export function requestGuards(options: GuardOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = options.allowedHosts.map((h) => h.toLowerCase());
  return (req, res) => {
    if (!hostAllowed(req.headers.host, allowed)) {
      return refuse(req, res, 'Localforce serves requests addressed to an IP address, localhost or a host name it was started with ' +
        '(--allowed-host); the Host of this request is none of them');
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const crossSite = origin !== undefined ? !sameOrigin(origin, req) : site !== undefined && site !== 'same-origin' && site !== 'none';
    if (crossSite && !singleSignOn(req)) return refuse(req, res, 'Localforce refuses requests that a browser sends from another site (Origin or Sec-Fetch-Site)');
    return false;
  };
}
