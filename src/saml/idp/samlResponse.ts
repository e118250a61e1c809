import { SignedXml } from 'xml-crypto';
import type { User } from '../../store/orgs';
import { escapeXml, SAML, samlId, samlInstant } from '../samlXml';
import { encryptedAssertion } from './assertionEncryption';
import type { ServiceProvider, SigningCertificate } from './idpConfiguration';

/** What a response answers: the request it answers, if any (an IdP-initiated login answers none). */
export interface ResponseSpec {
  issuer: string;
  provider: ServiceProvider;
  user: User;
  /** The NameID the subject type gives for this user. */
  subject: string;
  inResponseTo?: string;
  now: Date;
  certificate: SigningCertificate;
  /** The certificate the app asks its assertions to be encrypted with (samlConfig encryptionCertificate), if any. */
  encryptFor?: string;
}

/** How long an assertion stays good, and how far back it counts, as an IdP usually sets them. */
const VALID_FOR_MS = 5 * 60_000;
const SKEW_MS = 60_000;

const ALGORITHMS = {
  SHA1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
  SHA256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
} as const;
const EXCLUSIVE_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The NameID of a user for a service provider's subject type; undefined when the user has none (no Federation ID). */
export function subjectOf(provider: ServiceProvider, user: User): string | undefined {
  switch (provider.subjectType) {
    case 'FederationId': return user.federationId;
    case 'UserId': return user.id;
    case 'PersistentId': return `${user.id}-${provider.id}`; // stable per user and app, and no other name of the user
    case 'CustomAttribute': return provider.subjectAttribute === 'Email' ? user.email : user.username;
    default: return user.username;
  }
}

const assertionFor = (signed: string, spec: ResponseSpec) =>
  (spec.encryptFor ? encryptedAssertion(signed, spec.encryptFor, spec.provider.encryptionType) : Promise.resolve(signed));

/** Signs the element of that ID in `xml` (enveloped, exclusive canonicalisation), the signature after its Issuer. */
function sign(xml: string, localName: 'Assertion' | 'Response', spec: ResponseSpec): string {
  const algorithm = ALGORITHMS[spec.provider.signingAlgorithm];
  const signer = new SignedXml({
    privateKey: spec.certificate.privateKeyPem, publicCert: spec.certificate.certificatePem,
    signatureAlgorithm: algorithm.signature, canonicalizationAlgorithm: EXCLUSIVE_C14N,
  });
  const element = `//*[local-name(.)='${localName}' and namespace-uri(.)='${localName === 'Assertion' ? SAML.assertion : SAML.protocol}']`;
  signer.addReference({ xpath: element, digestAlgorithm: algorithm.digest, transforms: [ENVELOPED, EXCLUSIVE_C14N] });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

/**
 * A SAML 2.0 Response for a service provider, as Salesforce's identity provider sends one: the assertion
 * (subject, audience, recipient, its short time window on the org's clock, the user's id, username and email
 * as attributes) signed, and the response around it signed too, with the org certificate the IdP settings
 * name, so that an SP checking either accepts it. An app with an encryption certificate gets the signed
 * assertion encrypted for it.
 */
export async function signedResponse(spec: ResponseSpec): Promise<string> {
  const { provider, now } = spec;
  const issued = samlInstant(now);
  const notBefore = samlInstant(new Date(now.getTime() - SKEW_MS));
  const notOnOrAfter = samlInstant(new Date(now.getTime() + VALID_FOR_MS));
  const inResponseTo = spec.inResponseTo ? ` InResponseTo="${escapeXml(spec.inResponseTo)}"` : '';
  const attribute = (name: string, value: string) =>
    `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`;
  const assertion = `<saml:Assertion xmlns:saml="${SAML.assertion}" ID="${samlId()}" IssueInstant="${issued}" Version="2.0">`
    + `<saml:Issuer>${escapeXml(spec.issuer)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="${escapeXml(provider.nameIdFormat)}">${escapeXml(spec.subject)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="${SAML.bearer}"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeXml(provider.acsUrl)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escapeXml(provider.entityUrl)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${samlId()}"><saml:AuthnContext><saml:AuthnContextClassRef>${SAML.passwordTransport}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement>${attribute('userId', spec.user.id)}${attribute('username', spec.user.username)}${attribute('email', spec.user.email)}${attribute('is_portal_user', 'false')}</saml:AttributeStatement>`
    + '</saml:Assertion>';
  const response = `<samlp:Response xmlns:samlp="${SAML.protocol}" ID="${samlId()}" Version="2.0" IssueInstant="${issued}" Destination="${escapeXml(provider.acsUrl)}"${inResponseTo}>`
    + `<saml:Issuer xmlns:saml="${SAML.assertion}">${escapeXml(spec.issuer)}</saml:Issuer>`
    + `<samlp:Status><samlp:StatusCode Value="${SAML.success}"/></samlp:Status>${await assertionFor(sign(assertion, 'Assertion', spec), spec)}</samlp:Response>`;
  return sign(response, 'Response', spec);
}
