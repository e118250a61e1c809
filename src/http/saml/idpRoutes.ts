import express, { type Request, type Response, type Router } from 'express';
import { DEFAULT_ORG } from '../../auth/orgService';
import { orgNow } from '../../clock';
import { sameId, to15 } from '../../ids';
import {
  certificatePemOf, hasExpired, identityProviderSettings, serviceProviders, signingCertificate, type ServiceProvider, type SigningCertificate,
} from '../../saml/idp/idpConfiguration';
import { postSignatureValid, redirectSignatureValid, requestFromPost, requestFromRedirect, type RequestRead } from '../../saml/idp/authnRequest';
import { identityProviderMetadata } from '../../saml/idp/idpMetadata';
import { signedResponse, subjectOf } from '../../saml/idp/samlResponse';
import { escapeXml } from '../../saml/samlXml';
import type { Services } from '../../services';
import type { Caller, Org } from '../../store/orgs';
import { browserCaller, orgNamed } from '../browserSession';
import { baseUrl } from '../xml';

/** The IdP's entity id for an org: its own address on this server (real orgs use their My Domain URL). */
export const identityProviderEntityId = (base: string, org: Org) => `${base}/?so=${to15(org.id)}`;

/** An error page of the identity provider: the refusal in words, for the person in the browser. */
function refuse(res: Response, status: number, problem: string): void {
  res.status(status).type('text/html').send(`<!doctype html><title>Error</title><h1>Error</h1><p>${escapeXml(problem)}</p>`);
}

/** The page that hands the response to the SP: a form that posts itself to the ACS, as IdPs answer. */
function postToServiceProvider(res: Response, acsUrl: string, samlResponse: string, relayState: string | undefined): void {
  const relay = relayState ? `<input type="hidden" name="RelayState" value="${escapeXml(relayState)}"/>` : '';
  res.type('text/html').send('<!doctype html><html><body onload="document.forms[0].submit()">'
    + `<form method="POST" action="${escapeXml(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${Buffer.from(samlResponse).toString('base64')}"/>${relay}`
    + '<noscript><button type="submit">Continue</button></noscript></form></body></html>');
}

type Signer = { ok: true; certificate: SigningCertificate } | { ok: false; status: number; problem: string };

/** The org's identity provider, ready to sign: on, with a certificate it has and that has not expired on its clock. */
function identityProvider(services: Services, org: Org): Signer {
  const settings = identityProviderSettings(services, org);
  if (!settings.enabled) return { ok: false, status: 404, problem: 'The identity provider is not enabled for this organization.' };
  const certificate = settings.certificateName ? signingCertificate(services, org, settings.certificateName) : undefined;
  if (!certificate) return { ok: false, status: 500, problem: `The identity provider's certificate ${settings.certificateName ?? '(none chosen)'} is not a certificate of this organization with its key.` };
  if (hasExpired(certificate, org)) return { ok: false, status: 500, problem: `The identity provider's certificate ${certificate.name} expired on ${certificate.expirationDate}.` };
  return { ok: true, certificate };
}

/**
 * The org as a SAML identity provider (settings/IdentityProvider.settings): its metadata, the SSO endpoints
 * that answer SP-initiated requests (HTTP-Redirect and HTTP-POST bindings), and IdP-initiated logins to a
 * connected app with a samlConfig. The person must have a browser session with the org (frontdoor.jsp).
 */
export function identityProviderRoutes(services: Services): Router {
  const router = express.Router();

  router.get('/.well-known/samlidp.xml', (req: Request, res: Response) => {
    const org = req.query.so === undefined ? services.store.orgs.get(DEFAULT_ORG.id) : orgNamed(services, req.query.so);
    if (!org) return refuse(res, 404, `No organization with id ${String(req.query.so).slice(0, 40)}.`);
    const signer = identityProvider(services, org);
    if (!signer.ok) return refuse(res, signer.status, signer.problem);
    const base = baseUrl(req);
    res.type('application/samlmetadata+xml').send(identityProviderMetadata(identityProviderEntityId(base, org), base, signer.certificate.certificatePem));
  });

  /** Answers a request (or, without one, an IdP-initiated login) for a service provider, as the signed-in user. */
  const answer = async (req: Request, res: Response, caller: Caller, provider: ServiceProvider, requestId: string | undefined, relayState: string | undefined) => {
    const signer = identityProvider(services, caller.org);
    if (!signer.ok) return refuse(res, signer.status, signer.problem);
    const subject = subjectOf(provider, caller.user);
    if (!subject) return refuse(res, 403, `The user ${caller.user.username} has no Federation ID, which ${provider.name} identifies users by.`);
    const encryptFor = provider.encryptionCertificate && certificatePemOf(services, caller.org, provider.encryptionCertificate);
    if (provider.encryptionCertificate && !encryptFor) {
      return refuse(res, 500, `The encryption certificate ${provider.encryptionCertificate} of the connected app ${provider.name} is not a certificate of this organization.`);
    }
    let xml: string;
    try {
      xml = await signedResponse({
        issuer: identityProviderEntityId(baseUrl(req), caller.org), provider, user: caller.user, subject, inResponseTo: requestId,
        now: orgNow(caller.org), certificate: signer.certificate, encryptFor: encryptFor || undefined,
      });
    } catch (err) {
      return refuse(res, 500, `The response for ${provider.name} could not be signed or encrypted: ${(err as Error).message}`);
    }
    postToServiceProvider(res, provider.acsUrl, xml, relayState);
  };

  /** The browser's caller, or a page that says how to get a session. */
  const signedIn = (req: Request, res: Response): Caller | undefined => {
    const caller = browserCaller(services, req);
    if (!caller) refuse(res, 401, 'You are not logged in: open /secur/frontdoor.jsp?sid=<access token>&retURL=<this address> first.');
    return caller;
  };

  const spInitiated = (read: RequestRead, signatureValid: (certificatePem: string) => boolean) => (req: Request, res: Response) => {
    const caller = signedIn(req, res);
    if (!caller) return;
    if (!read.ok) return refuse(res, 400, read.problem);
    const { request } = read;
    const provider = serviceProviders(services, caller.org).find((p) => (p.issuer ?? p.entityUrl) === request.issuer || p.entityUrl === request.issuer);
    if (!provider) return refuse(res, 403, `No connected app of this organization is the service provider ${request.issuer}.`);
    if (request.acsUrl && request.acsUrl !== provider.acsUrl) {
      return refuse(res, 403, `The request's AssertionConsumerServiceURL ${request.acsUrl} is not the ACS URL of the connected app ${provider.name}.`);
    }
    if (provider.requestSigningCertificate && !signatureValid(provider.requestSigningCertificate)) {
      return refuse(res, 403, `The request is not signed with the certificate of the connected app ${provider.name}.`);
    }
    const relay = (req.method === 'GET' ? req.query.RelayState : (req.body as Record<string, unknown> | undefined)?.RelayState);
    answer(req, res, caller, provider, request.id, typeof relay === 'string' ? relay : undefined);
  };

  router.get('/idp/endpoint/HttpRedirect', (req: Request, res: Response) => {
    const samlRequest = typeof req.query.SAMLRequest === 'string' ? req.query.SAMLRequest : '';
    const rawQuery = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1);
    spInitiated(requestFromRedirect(samlRequest), (pem) => redirectSignatureValid(rawQuery, pem))(req, res);
  });

  router.post('/idp/endpoint/HttpPost', express.urlencoded({ extended: false, limit: '1mb' }), (req: Request, res: Response) => {
    const samlRequest = typeof req.body?.SAMLRequest === 'string' ? req.body.SAMLRequest as string : '';
    const read = requestFromPost(samlRequest);
    spInitiated(read, (pem) => read.ok && postSignatureValid(read.request.xml, pem))(req, res);
  });

  router.get('/idp/login', (req: Request, res: Response) => {
    const caller = signedIn(req, res);
    if (!caller) return;
    const app = typeof req.query.app === 'string' ? req.query.app : '';
    const provider = serviceProviders(services, caller.org).find((p) => app.length >= 15 && sameId(p.id, app));
    if (!provider) return refuse(res, 404, `No connected app with id ${app} is a SAML service provider of this organization.`);
    answer(req, res, caller, provider, undefined, typeof req.query.RelayState === 'string' ? req.query.RelayState : undefined);
  });

  return router;
}
