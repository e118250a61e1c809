import { createHmac, timingSafeEqual, X509Certificate } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { orgNow } from '../clock';
import { verifyPassword } from '../crypto/passwordHash';
import { newRefreshToken, newSessionId } from '../ids';
import type { StoredConnectedApp } from '../store/connectedApps';
import type { Org, User } from '../store/orgs';
import type { Store } from '../store/store';
import { grantsRefreshTokens } from './connectedApps';
import { DEFAULT_ORG } from './orgService';
import { OAuthErrors } from './oauthErrors';
import { scratchOrgEnded } from '../devhub/scratchOrgLifetime';
import type { ScratchOrgService } from '../devhub/scratchOrgService';

/** What the token endpoint answers on success (src/http/oauthRoutes.ts adds the URLs). */
export interface IssuedToken {
  accessToken: string;
  org: Org;
  user: User;
  /** Space-separated OAuth scope names, as the real service lists them. */
  scope?: string;
  refreshToken?: string;
  issuedAt: string;
  /** Base64 HMAC-SHA256 of `id` + `issued_at` keyed by the consumer secret (or, without an app, a stand-in). */
  signature: (idUrl: string) => string;
}

/**
 * The sf CLI's own client, which every org knows (as the real service's global PlatformCLI app): no
 * secret, refresh tokens allowed. Scratch orgs made for the CLI are authorised through it.
 */
const PLATFORM_CLI: StoredConnectedApp = {
  consumerKey: 'PlatformCLI', orgId: '', name: 'Salesforce CLI', consumerSecret: '', scopes: ['Api', 'Web', 'RefreshToken'],
  secretRequiredForRefresh: false, source: 'admin', createdDate: '1970-01-01T00:00:00.000Z',
};

/** The audiences the real service accepts besides an org's own URL. */
const SALESFORCE_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

// Metadata scope names → the names token answers list.
const SCOPE_NAMES: Record<string, string> = {
  api: 'api', web: 'web', full: 'full', refreshtoken: 'refresh_token', offlineaccess: 'refresh_token', openid: 'openid', basic: 'id',
  chatter: 'chatter_api', customapplications: 'visualforce', custompermissions: 'custom_permissions', wave: 'wave_api', eclair: 'eclair_api',
  pardot: 'pardot_api', lightning: 'lightning', content: 'content', interactionapi: 'interaction_api', cdpprofile: 'cdp_profile_api',
};
const scopeNames = (scopes: string[], withRefresh: boolean) =>
  [...new Set(scopes.map((s) => SCOPE_NAMES[s.toLowerCase()] ?? s.toLowerCase()))].filter((s) => withRefresh || s !== 'refresh_token').join(' ');

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The OAuth grants of the token endpoint: username-password (with or without a connected app), JWT
 * bearer (a connected app's certificate verifies the assertion) and refresh token; and revocation.
 * Every check answers the way the real service does, in its words (src/auth/oauthErrors.ts).
 */
export class OAuthGrants {
  constructor(private readonly store: Store) {}

  /** A connected app named by its consumer key (or the CLI's own), and checked against the secret when one is required or given. */
  private client(clientId: string | undefined, clientSecret: string | undefined, secretRequired: (app: StoredConnectedApp) => boolean): StoredConnectedApp {
    const app = clientId ? this.store.connectedApps.byKey(clientId) ?? (clientId === PLATFORM_CLI.consumerKey ? PLATFORM_CLI : undefined) : undefined;
    if (!app) throw OAuthErrors.unknownClient();
    if (clientSecret !== undefined ? !sameSecret(clientSecret, app.consumerSecret) : secretRequired(app)) throw OAuthErrors.badClientCredentials();
    return app;
  }

  /**
   * The username-password flow; through a connected app of the org (client_id and client_secret) it may
   * also give a refresh token. A client id no app has is taken as before connected apps existed (scripts
   * and tests pass made-up ones), with no refresh token; a known one needs its secret.
   */
  async password(params: { username?: string; password?: string; clientId?: string; clientSecret?: string }): Promise<IssuedToken> {
    const known = params.clientId ? this.store.connectedApps.byKey(params.clientId) : undefined;
    const app = known && this.client(params.clientId, params.clientSecret, () => true);
    const user = this.store.orgs.userByUsername((params.username ?? '').trim());
    if (!(await verifyPassword(params.password ?? '', user?.passwordHash)) || !user) throw OAuthErrors.authenticationFailure();
    if (app && app.orgId !== user.orgId) throw OAuthErrors.authenticationFailure();
    return this.issue(this.store.orgs.get(user.orgId)!, user, app, app && grantsRefreshTokens(app.scopes));
  }

  /**
   * The JWT bearer flow (RFC 7523): the assertion is RS256-signed by the key of the app's certificate,
   * `iss` is the consumer key, `sub` a username of the app's org, `aud` this server's URL (what the sf
   * CLI sends for a custom login URL) or a Salesforce login host, `exp` still ahead on the org's clock,
   * and the certificate valid on it. No refresh token, as on the real service.
   */
  jwtBearer(assertion: string | undefined, ownUrl: string): IssuedToken {
    if (!assertion) throw OAuthErrors.invalidAssertion();
    const decoded = jwt.decode(assertion, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== 'RS256') throw OAuthErrors.invalidAssertion();
    const claims = decoded.payload;
    const app = typeof claims.iss === 'string' ? this.store.connectedApps.byKey(claims.iss) : undefined;
    if (!app) throw OAuthErrors.unknownClient();
    if (!app.certificatePem) throw OAuthErrors.invalidAssertion();
    try {
      jwt.verify(assertion, app.certificatePem, { algorithms: ['RS256'], ignoreExpiration: true, ignoreNotBefore: true });
    } catch {
      throw OAuthErrors.invalidAssertion();
    }
    const org = this.store.orgs.get(app.orgId);
    if (!org) throw OAuthErrors.unknownClient();
    const now = orgNow(org);
    const certificate = new X509Certificate(app.certificatePem);
    if (Date.parse(certificate.validTo) < now.getTime()) throw OAuthErrors.certificateExpired(app.name, new Date(certificate.validTo));
    if (Date.parse(certificate.validFrom) > now.getTime()) throw OAuthErrors.certificateNotYetValid(app.name, new Date(certificate.validFrom));
    const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
    if (!audiences.some((a) => acceptedAudience(a, ownUrl))) throw OAuthErrors.invalidAudience();
    const user = typeof claims.sub === 'string' ? this.store.orgs.userByUsername(claims.sub.trim()) : undefined;
    // A Dev Hub's connected apps are trusted by the scratch orgs it made, as the sf CLI's JWT login to a new scratch org needs.
    const userOrg = user && (user.orgId === org.id ? org : this.store.orgs.get(user.orgId));
    if (!user || !userOrg || (userOrg.id !== org.id && userOrg.scratch?.hubOrgId !== org.id)) throw OAuthErrors.notApproved();
    // `exp` is in seconds; the sf CLI sends milliseconds, which reads as far ahead and is accepted, as the real service does.
    if (typeof claims.exp !== 'number') throw OAuthErrors.invalidAssertion();
    if (claims.exp * 1000 <= now.getTime()) throw OAuthErrors.expiredAssertion();
    return this.issue(userOrg, user, app, false);
  }

  /**
   * The authorization-code flow as the sf CLI uses it for a new scratch org: the one-time code its hub
   * put on the ScratchOrgInfo, for the consumer key and callback the insert named (the CLI's own,
   * PlatformCLI, unless the hub was logged in through an app of its own). Gives a refresh token.
   */
  authorizationCode(params: { code?: string; clientId?: string; clientSecret?: string; redirectUri?: string }, scratchOrgs: ScratchOrgService): IssuedToken {
    if (!params.code) throw OAuthErrors.missingParameter('code');
    const app = this.client(params.clientId ?? PLATFORM_CLI.consumerKey, params.clientSecret, () => false);
    const info = scratchOrgs.takeAuthCode(params.code, app.consumerKey, params.redirectUri);
    const org = info?.orgId ? this.store.orgs.get(info.orgId) : undefined;
    const user = org && this.store.orgs.userByUsername(info!.signupUsername);
    if (!org || !user) throw OAuthErrors.invalidAuthorizationCode();
    return this.issue(org, user, app, true);
  }

  /** The refresh-token flow: a new access token for the token's user; no new refresh token (no rotation). */
  refresh(params: { refreshToken?: string; clientId?: string; clientSecret?: string }): IssuedToken {
    if (!params.clientId) throw OAuthErrors.unknownClient();
    const app = this.client(params.clientId, params.clientSecret, (a) => a.secretRequiredForRefresh);
    const token = params.refreshToken ? this.store.refreshTokens.active(params.refreshToken) : undefined;
    const org = token && this.store.orgs.get(token.orgId);
    const user = token && this.store.orgs.user(token.userId);
    if (!token || token.consumerKey !== app.consumerKey || !org || !user) throw OAuthErrors.expiredRefreshToken();
    return this.issue(org, user, app, false, token.token);
  }

  /**
   * Revokes an access token (that session) or a refresh token (it and the sessions opened with it).
   * False when the token is neither. The default org's well-known token stays valid, as documented.
   */
  revoke(token: string): boolean {
    if (this.store.refreshTokens.revoke(token)) return true;
    if (token === DEFAULT_ORG.accessToken) return true;
    return this.store.sessions.revoke(token);
  }

  private issue(org: Org, user: User, app: StoredConnectedApp | undefined, withRefreshToken: boolean | undefined, fromRefreshToken?: string): IssuedToken {
    // An ended scratch org takes no logins: its refresh tokens read as expired, every other grant as failed.
    if (scratchOrgEnded(this.store, org)) throw fromRefreshToken ? OAuthErrors.expiredRefreshToken() : OAuthErrors.authenticationFailure();
    const accessToken = newSessionId(org.id);
    const now = orgNow(org);
    const refreshToken = withRefreshToken && app ? newRefreshToken() : undefined;
    this.store.transaction(() => {
      if (refreshToken) {
        this.store.refreshTokens.insert({ token: refreshToken, orgId: org.id, userId: user.id, consumerKey: app!.consumerKey, scopes: app!.scopes, createdDate: now.toISOString() });
      }
      this.store.sessions.insert({
        id: accessToken, orgId: org.id, userId: user.id, createdDate: new Date().toISOString(), lastActiveMs: now.getTime(),
        consumerKey: app?.consumerKey, refreshToken: refreshToken ?? fromRefreshToken,
      });
    });
    const issuedAt = String(Date.now());
    return {
      accessToken, org, user, refreshToken, issuedAt, scope: app ? scopeNames(app.scopes, !!refreshToken || !!fromRefreshToken) : undefined,
      signature: (idUrl) => (app
        ? createHmac('sha256', app.consumerSecret).update(`${idUrl}${issuedAt}`).digest('base64')
        : Buffer.from(`${user.id}${issuedAt}`).toString('base64')),
    };
  }
}

/** This server's own URL (with or without the trailing slash the sf CLI adds), or a Salesforce login host. */
function acceptedAudience(aud: string, ownUrl: string): boolean {
  const normal = aud.trim().replace(/\/+$/, '').toLowerCase();
  return normal === ownUrl.replace(/\/+$/, '').toLowerCase() || SALESFORCE_AUDIENCES.includes(normal);
}
