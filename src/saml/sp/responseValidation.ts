import type { Element } from '@xmldom/xmldom';
import { parseSamlXml, SAML } from '../samlXml';
import { SamlFailure, SamlLoginError } from './loginFailures';
import { isOrgLoginUrl } from './loginUrl';
import { decryptedParts } from './assertionDecryption';
import { childElements, signedParts } from './signedAssertion';
import { validationCertificatePem, type SsoConfig } from './ssoConfig';

/** What a valid response says: who logged in (the NameID or attribute value), for which setting. */
export interface ValidatedResponse {
  config: SsoConfig;
  issuer: string;
  subject: string;
}

/** The clock skew allowed either side of an assertion's validity window: an identity provider a little ahead or behind still works. */
export const CLOCK_SKEW_MS = 3 * 60 * 1000;

const firstChild = (parent: Element | undefined, ns: string, name: string) => (parent ? childElements(parent, ns, name)[0] : undefined);
const textIn = (e: Element | undefined) => e?.textContent?.trim() || undefined;

/** The response XML from the form field: base64, as the HTTP-POST binding sends it. */
function decoded(samlResponse: string): string {
  const compact = samlResponse.replace(/\s+/g, '');
  if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new SamlLoginError(SamlFailure.unparseable, 'SAMLResponse is not base64');
  // Line ends as an XML processor reads them (signatures are computed over \n only).
  return Buffer.from(compact, 'base64').toString('utf8').replace(/\r\n?/g, '\n');
}

/** The issuer a response claims: its assertion's, else its own (read before the signature is checked, only to pick the setting). */
function claimedIssuer(response: Element): string | undefined {
  const assertion = firstChild(response, SAML.assertion, 'Assertion');
  return textIn(firstChild(assertion, SAML.assertion, 'Issuer')) ?? textIn(firstChild(response, SAML.assertion, 'Issuer'));
}

/** The NotBefore / NotOnOrAfter window of the assertion, on the org's clock, with the allowed skew. */
function checkTimes(assertion: Element, nowMs: number): void {
  const conditions = firstChild(assertion, SAML.assertion, 'Conditions');
  const confirmations = childElements(firstChild(assertion, SAML.assertion, 'Subject') ?? assertion, SAML.assertion, 'SubjectConfirmation')
    .map((c) => firstChild(c, SAML.assertion, 'SubjectConfirmationData')).filter((d): d is Element => d !== undefined);
  if (!conditions) throw new SamlLoginError(SamlFailure.invalid, 'The assertion has no Conditions');
  const instants = (name: string) => [conditions, ...confirmations].map((e) => e.getAttribute(name)).filter((v): v is string => !!v);
  for (const value of [...instants('NotBefore'), ...instants('NotOnOrAfter')]) {
    if (Number.isNaN(Date.parse(value))) throw new SamlLoginError(SamlFailure.invalid, `The time ${value} in the assertion is not an xs:dateTime`);
  }
  const notBefore = Math.max(...instants('NotBefore').map(Date.parse));
  if (notBefore > nowMs + CLOCK_SKEW_MS) {
    throw new SamlLoginError(SamlFailure.invalid, `The assertion is not valid yet: NotBefore ${new Date(notBefore).toISOString()}, the org's clock shows ${new Date(nowMs).toISOString()}`);
  }
  const ends = instants('NotOnOrAfter').map(Date.parse);
  if (!ends.length) throw new SamlLoginError(SamlFailure.invalid, 'The assertion has no NotOnOrAfter: it would never expire');
  const notOnOrAfter = Math.min(...ends);
  if (notOnOrAfter <= nowMs - CLOCK_SKEW_MS) {
    throw new SamlLoginError(SamlFailure.expired, `NotOnOrAfter ${new Date(notOnOrAfter).toISOString()} has passed: the org's clock shows ${new Date(nowMs).toISOString()}`);
  }
}

function checkAudience(assertion: Element, entityId: string): void {
  const audiences = childElements(firstChild(assertion, SAML.assertion, 'Conditions')!, SAML.assertion, 'AudienceRestriction')
    .flatMap((r) => childElements(r, SAML.assertion, 'Audience')).map(textIn);
  if (!audiences.includes(entityId)) {
    throw new SamlLoginError(SamlFailure.audience, `The Audience is ${audiences.filter(Boolean).join(', ') || 'missing'}; the setting's entity ID is ${entityId}`);
  }
}

/** The bearer confirmation's Recipient, and the response's Destination when present, must be this org's login URL. */
function checkRecipient(assertion: Element, response: Element, serverUrl: string, orgId: string, loginUrl: string): void {
  const subject = firstChild(assertion, SAML.assertion, 'Subject');
  const bearer = childElements(subject ?? assertion, SAML.assertion, 'SubjectConfirmation').find((c) => c.getAttribute('Method') === SAML.bearer);
  const recipient = firstChild(bearer, SAML.assertion, 'SubjectConfirmationData')?.getAttribute('Recipient') || undefined;
  if (!recipient || !isOrgLoginUrl(recipient, serverUrl, orgId)) {
    throw new SamlLoginError(SamlFailure.recipient, `The Recipient is ${recipient ?? 'missing (a bearer SubjectConfirmation with one is required)'}; this org's login URL is ${loginUrl}`);
  }
  const destination = response.getAttribute('Destination');
  if (destination && !isOrgLoginUrl(destination, serverUrl, orgId)) {
    throw new SamlLoginError(SamlFailure.recipient, `The response's Destination is ${destination}; this org's login URL is ${loginUrl}`);
  }
}

/** The user's name in the assertion: the subject's NameID, or the first value of the setting's attribute. */
function subjectOf(assertion: Element, config: SsoConfig): string {
  if (config.identityLocation === 'SubjectNameId') {
    const nameId = textIn(firstChild(firstChild(assertion, SAML.assertion, 'Subject'), SAML.assertion, 'NameID'));
    if (!nameId) throw new SamlLoginError(SamlFailure.invalid, 'The assertion has no Subject with a NameID');
    return nameId;
  }
  const attribute = childElements(assertion, SAML.assertion, 'AttributeStatement').flatMap((s) => childElements(s, SAML.assertion, 'Attribute'))
    .find((a) => a.getAttribute('Name') === config.attributeName);
  const value = textIn(firstChild(attribute, SAML.assertion, 'AttributeValue'));
  if (!value) throw new SamlLoginError(SamlFailure.invalid, `The assertion has no value of the attribute ${config.attributeName ?? '(the setting names none)'}`);
  return value;
}

/**
 * Validates a SAMLResponse posted to the org's login URL, in the order of the SAML Assertion Validator
 * where security allows: the setting is chosen by the issuer the response claims, then the signature is
 * checked, and everything after is read from the signed XML only.
 */
export async function validateResponse(samlResponse: string, request: {
  configs: SsoConfig[]; serverUrl: string; orgId: string; loginUrl: string; nowMs: number;
  /** The private key of an org certificate (the setting's decryptionCertificate), if the org holds one. */
  decryptionKey: (certificate: string) => string | undefined;
}): Promise<ValidatedResponse> {
  const xml = decoded(samlResponse);
  if (/<!DOCTYPE/i.test(xml)) throw new SamlLoginError(SamlFailure.unparseable, 'The response has a DOCTYPE, which SAML forbids');
  const doc = parseSamlXml(xml);
  const root = doc?.documentElement;
  if (!doc || !root || root.namespaceURI !== SAML.protocol || root.localName !== 'Response') {
    throw new SamlLoginError(SamlFailure.unparseable, 'SAMLResponse is not a SAML 2.0 Response (samlp:Response)');
  }
  const claimed = claimedIssuer(root);
  if (!request.configs.length) throw new SamlLoginError(SamlFailure.configuration, 'The org has no SAML single sign-on setting (SamlSsoConfig)', claimed);
  const config = request.configs.find((c) => c.issuer === claimed);
  if (!config) {
    throw new SamlLoginError(SamlFailure.issuer, `The Issuer is ${claimed ?? 'missing'}; the org's settings trust ${request.configs.map((c) => `${c.issuer} (${c.name})`).join(', ')}`, claimed);
  }
  try {
    if (config.samlVersion !== 'SAML2_0') throw new SamlLoginError(SamlFailure.configuration, `The setting ${config.name} is for ${config.samlVersion}; Localforce accepts SAML 2.0 only`);
    const certificate = validationCertificatePem(config.validationCert);
    if (!certificate) throw new SamlLoginError(SamlFailure.configuration, `The setting ${config.name} has no readable identity provider certificate (validationCert)`);
    const status = firstChild(firstChild(root, SAML.protocol, 'Status'), SAML.protocol, 'StatusCode')?.getAttribute('Value');
    if (status !== SAML.success) throw new SamlLoginError(SamlFailure.invalid, `The response's status is ${status ?? 'missing'}, not Success`);
    const encrypted = childElements(root, SAML.assertion, 'EncryptedAssertion').length > 0;
    const signed = encrypted
      ? await decryptedParts(xml, doc, certificate, config.decryptionCertificate && request.decryptionKey(config.decryptionCertificate))
      : signedParts(xml, doc, certificate);
    const assertion = signed.assertion;
    const issuer = textIn(firstChild(assertion, SAML.assertion, 'Issuer'));
    if (issuer !== config.issuer) throw new SamlLoginError(SamlFailure.issuer, `The signed assertion's Issuer is ${issuer ?? 'missing'}; the setting ${config.name} trusts ${config.issuer}`);
    checkTimes(assertion, request.nowMs);
    checkAudience(assertion, config.samlEntityId);
    checkRecipient(assertion, signed.response ?? root, request.serverUrl, request.orgId, request.loginUrl);
    return { config, issuer, subject: subjectOf(assertion, config) };
  } catch (err) {
    // Every later refusal is recorded against the issuer the response claims.
    if (err instanceof SamlLoginError && err.issuer === undefined) throw new SamlLoginError(err.status, err.detail, claimed);
    throw err;
  }
}
