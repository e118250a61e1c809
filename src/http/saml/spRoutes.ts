import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isAdminToken } from '../../auth/adminToken';
import { orgNow } from '../../clock';
import { newSessionId } from '../../ids';
import { buildAuthnRequest } from '../../saml/sp/authnRequest';
import { SamlFailure, SamlLoginError } from '../../saml/sp/loginFailures';
import { orgLoginUrl } from '../../saml/sp/loginUrl';
import { requestSigningKey } from '../../saml/sp/requestSigningKey';
import { validateResponse } from '../../saml/sp/responseValidation';
import { ssoConfigs } from '../../saml/sp/ssoConfig';
import { autoPostForm, ssoErrorPage } from '../../saml/sp/ssoPages';
import { userForSubject } from '../../saml/sp/subjectMapping';
import type { Services } from '../../services';
import { asyncRoute } from '../asyncRoute';
import { localPath, orgNamed, setBrowserSession } from '../browserSession';
import { protocolOf } from '../callContext';
import { bearerToken, requireOrgBearer } from '../rest/bearer';
import { restError } from '../restErrors';
import { baseUrl } from '../xml';


const sendPage = (res: Response, status: number, html: string) => res.status(status).type('html').set('Cache-Control', 'no-store').send(html);

/**
 * The org as a SAML service provider: identity providers post responses to its login URL (`POST /?so=<org>`),
 * `GET /saml/login?so=<org>&config=<name>` starts a login at the identity provider, and
 * `GET /_localforce/orgs/<orgId>/saml-login-history` reads what happened. The admin token is passed in
 * because this router runs before the admin API's own check of it.
 */
export function samlSpRoutes(services: Services, adminToken?: string): Router {
  const router = express.Router();
  const history = services.samlLogins;

  // Only POSTs with `so` are logins: the web console keeps `/`, and other POSTs there keep their 404.
  const withSo = (req: Request, _res: Response, next: NextFunction) => next(typeof req.query.so === 'string' ? undefined : 'router');
  router.post('/', withSo, express.urlencoded({ extended: false, limit: '1mb' }), asyncRoute(async (req: Request, res: Response) => {
    const org = orgNamed(services, req.query.so);
    if (!org) return sendPage(res, 404, ssoErrorPage('Unknown org', `No org with id ${String(req.query.so).slice(0, 40)}`));
    const now = orgNow(org);
    const serverUrl = baseUrl(req);
    const loginUrl = orgLoginUrl(serverUrl, org.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      if (typeof body.SAMLResponse !== 'string') throw new SamlLoginError(SamlFailure.unparseable, 'The form has no SAMLResponse field');
      const decryptionKey = (certificate: string) => {
        const key = requestSigningKey(services, org.id, certificate);
        return typeof key === 'string' ? undefined : key.privateKeyPem;
      };
      const valid = await validateResponse(body.SAMLResponse, { configs: ssoConfigs(services, org.id), serverUrl, orgId: org.id, loginUrl, nowMs: now.getTime(), decryptionKey });
      const user = userForSubject(services, org.id, valid.config, valid.subject);
      const sessionId = newSessionId(org.id);
      services.store.sessions.insert({ id: sessionId, orgId: org.id, userId: user.id, createdDate: new Date().toISOString(), lastActiveMs: now.getTime() });
      history.record(org.id, {
        loginTime: now.toISOString(), issuer: valid.issuer, samlSsoConfig: valid.config.name, userId: user.id, username: user.username, status: 'Success', detail: null,
      });
      setBrowserSession(res, sessionId, protocolOf(req) === 'https');
      res.set('Cache-Control', 'no-store').redirect(302, localPath(body.RelayState));
    } catch (err) {
      if (!(err instanceof SamlLoginError)) throw err;
      const config = err.issuer === undefined ? undefined : ssoConfigs(services, org.id).find((c) => c.issuer === err.issuer);
      history.record(org.id, {
        loginTime: now.toISOString(), issuer: err.issuer ?? null, samlSsoConfig: config?.name ?? null, userId: null, username: null, status: err.status, detail: err.detail,
      });
      sendPage(res, 403, ssoErrorPage(err.status, err.detail));
    }
  }));

  router.get('/saml/login', (req: Request, res: Response) => {
    const org = orgNamed(services, req.query.so);
    if (!org) return sendPage(res, 404, ssoErrorPage('Unknown org', `No org with id ${String(req.query.so ?? '(so is missing)').slice(0, 40)}`));
    const configs = ssoConfigs(services, org.id);
    const name = req.query.config;
    // Without `config`, the org's only setting is meant; with several, the name is needed.
    const config = typeof name === 'string' ? configs.find((c) => c.name.toLowerCase() === name.toLowerCase()) : configs.length === 1 ? configs[0] : undefined;
    if (!config) {
      return sendPage(res, 404, ssoErrorPage('Configuration Error', `${typeof name === 'string' ? `No SamlSsoConfig named ${name.slice(0, 80)}` : 'Name the SamlSsoConfig with config='} ` +
        `in this org; it has ${configs.map((c) => c.name).join(', ') || 'none'}`));
    }
    if (!config.loginUrl) return sendPage(res, 400, ssoErrorPage('Configuration Error', `The setting ${config.name} has no Identity Provider Login URL (loginUrl) to send the request to`));
    if (!config.requestSigningCertId) {
      // The help, "Replace the Default Proxy Certificate for SAML Single Sign-On": without a Request Signing
      // Certificate the request would be signed with the proxy.salesforce.com certificate, which is retired.
      return sendPage(res, 400, ssoErrorPage('Configuration Error',
        `The setting ${config.name} has no Request Signing Certificate (requestSigningCertId), so it would sign with the default proxy certificate: ` +
        'the proxy.salesforce.com default certificate has been retired due to its expiration and for security best practices. ' +
        'Choose a certificate for request signing: set requestSigningCertId to a certificate in your org (deploy one, or a self-signed one, and give its id or name).'));
    }
    const key = requestSigningKey(services, org.id, config.requestSigningCertId);
    if (typeof key === 'string') return sendPage(res, 400, ssoErrorPage('Configuration Error', key));
    const relayState = typeof req.query.RelayState === 'string' && req.query.RelayState !== '' ? req.query.RelayState : undefined;
    const request = buildAuthnRequest(config, key, orgLoginUrl(baseUrl(req), org.id), orgNow(org), relayState);
    res.set('Cache-Control', 'no-store');
    if (request.binding === 'redirect') return res.redirect(302, request.location);
    sendPage(res, 200, autoPostForm(request.action, { SAMLRequest: request.samlRequest, RelayState: request.relayState }));
  });

  const orgBearer = requireOrgBearer(services);
  const adminOrOrg = (req: Request, res: Response, next: NextFunction) =>
    (adminToken !== undefined && isAdminToken(bearerToken(req), adminToken) ? next() : orgBearer(req, res, next));
  router.get('/_localforce/orgs/:orgId/saml-login-history', adminOrOrg, (req: Request, res: Response) => {
    const org = orgNamed(services, req.params.orgId);
    if (!org) return restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    res.json(history.list(org.id));
  });
  return router;
}
