import { nameParts, USER_SETTINGS } from '../auth/userSettings';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseApiVersion, supportedVersions } from '../apiVersions';
import { sameId } from '../ids';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { callerOf, requireBearer } from './rest/bearer';
import { apexRunRoutes } from './rest/apexRunRoutes';
import { dataRoutes, toolingFallback } from './rest/dataRoutes';
import { deployRequestRoutes } from './rest/deployRequestRoutes';
import { devHubRoutes } from './rest/devHubRoutes';
import { sourceTrackingRoutes } from './rest/sourceTrackingRoutes';
import { restError, restNotFound } from './restErrors';
import { baseUrl } from './xml';

/**
 * The REST surface the sf CLI needs besides SOAP (README.md, Using the sf CLI): the version list, the user's
 * identity, the resource map, SOQL, the Tooling API and the REST deploy API. Everything under /services/data/v<ver> needs a bearer token.
 */
export function restRoutes(services: Services): Router {
  const router = express.Router();
  const bearer = requireBearer(services);

  // Like the real endpoint, the version list needs no session.
  router.get(['/services/data', '/services/data/'], (_req: Request, res: Response) => {
    res.json(supportedVersions().map((version) => ({ label: releaseLabel(version), url: `/services/data/v${version}`, version })));
  });

  router.all('/services/oauth2/userinfo', bearer, (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'POST') return restError(res, 405, 'METHOD_NOT_ALLOWED', `userinfo takes GET or POST, not ${req.method}`);
    res.json(userInfo(req, callerOf(res)));
  });

  // The identity URL that the OAuth token answer's `id` points at (jsforce's conn.identity()).
  router.get('/id/:orgId/:userId', bearer, (req: Request, res: Response) => {
    const caller = callerOf(res);
    if (!sameId(req.params.orgId!, caller.org.id) || !sameId(req.params.userId!, caller.user.id)) {
      return restError(res, 403, 'INSUFFICIENT_ACCESS', 'This session cannot read the identity of another user');
    }
    const info = userInfo(req, caller);
    res.json({
      id: info.sub, asserted_user: true, user_id: info.user_id, organization_id: info.organization_id, username: info.preferred_username,
      nick_name: info.nickname, display_name: info.name, email: info.email, email_verified: true, first_name: info.given_name,
      last_name: info.family_name, timezone: info.zoneinfo, active: true, user_type: info.user_type, language: info.language,
      locale: info.locale, utcOffset: info.utcOffset, last_modified_date: info.updated_at, is_app_installed: true, urls: info.urls,
    });
  });

  const versioned = express.Router();
  // Before the generic record routes: SourceMember's describe is not a record id.
  versioned.use(sourceTrackingRoutes(services));
  versioned.use(dataRoutes(services));
  versioned.use(deployRequestRoutes(services));
  versioned.use(devHubRoutes(services));
  versioned.use(apexRunRoutes(services));
  versioned.use(toolingFallback());
  router.use('/services/data/:version', checkVersion, bearer, versioned);
  return router;
}

/** `/services/data/v66.0/…`: the version must be one Localforce serves, else 404 as the real API answers. */
function checkVersion(req: Request, res: Response, next: NextFunction): void {
  const text = req.params.version ?? '';
  const version = text.startsWith('v') ? parseApiVersion(text.slice(1)) : undefined;
  if (version === undefined || !/^v\d+\.0$/.test(text)) {
    return restNotFound(res, `Localforce serves API versions ${supportedVersions()[0]} to ${supportedVersions().at(-1)} as /services/data/v<version>, not ${text}`);
  }
  res.locals.apiVersion = version.toFixed(1);
  next();
}

const SEASONS = ['Summer', 'Winter', 'Spring'] as const;

/** The release an API version came with: 31.0 was Summer '14, then three releases a year (66.0 is Spring '26). */
export function releaseLabel(version: string): string {
  const offset = Number(version) - 31;
  const year = 14 + Math.floor((offset + 2) / 3);
  return `${SEASONS[((offset % 3) + 3) % 3]} '${String(year).padStart(2, '0')}`;
}

/** The OpenID Connect userinfo of a caller; the identity URL says the same in its own names. */
function userInfo(req: Request, { org, user }: Caller) {
  const base = baseUrl(req);
  const { firstName, lastName } = nameParts(user.fullName);
  const urls = (path: string) => `${base}${path}`;
  return {
    sub: `${base}/id/${org.id}/${user.id}`, user_id: user.id, organization_id: org.id, preferred_username: user.username,
    nickname: user.username.split('@')[0], name: user.fullName, email: user.email, email_verified: true,
    given_name: firstName ?? '', family_name: lastName, zoneinfo: USER_SETTINGS.timeZone, active: true, user_type: 'STANDARD',
    language: USER_SETTINGS.language, locale: USER_SETTINGS.locale, utcOffset: USER_SETTINGS.utcOffsetMs,
    updated_at: org.createdDate, is_app_installed: true,
    urls: {
      metadata: urls(`/services/Soap/m/{version}/${org.id}`), partner: urls(`/services/Soap/u/{version}/${org.id}`),
      rest: urls('/services/data/v{version}/'), sobjects: urls('/services/data/v{version}/sobjects/'),
      query: urls('/services/data/v{version}/query/'), tooling_rest: urls('/services/data/v{version}/tooling/'),
      profile: urls(`/${user.id}`), custom_domain: base,
    },
  };
}
