import { createPublicKey, createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { firstElement, parseSamlXml, SAML } from '../samlXml';

/** An SP-initiated request, as far as the IdP reads it. */
export interface AuthnRequest {
  id: string;
  issuer: string;
  /** Where the SP asks the response to go, when it says. */
  acsUrl?: string;
  xml: string;
}

export type RequestRead = { ok: true; request: AuthnRequest } | { ok: false; problem: string };

/** Reads an AuthnRequest's XML: its ID, Issuer and AssertionConsumerServiceURL. */
function readRequest(xml: string): RequestRead {
  const doc = parseSamlXml(xml);
  const root = doc?.documentElement;
  if (!root || root.localName !== 'AuthnRequest' || root.namespaceURI !== SAML.protocol) return { ok: false, problem: 'The SAMLRequest is not a SAML 2.0 AuthnRequest.' };
  const issuer = doc && firstElement(doc, SAML.assertion, 'Issuer')?.textContent?.trim();
  const id = root.getAttribute('ID');
  if (!issuer || !id) return { ok: false, problem: 'The AuthnRequest has no ID or no Issuer.' };
  return { ok: true, request: { id, issuer, acsUrl: root.getAttribute('AssertionConsumerServiceURL') || undefined, xml } };
}

/** The HTTP-Redirect binding: the request deflated and base64-encoded in the query. */
export function requestFromRedirect(samlRequest: string): RequestRead {
  try {
    return readRequest(inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8'));
  } catch {
    return { ok: false, problem: 'The SAMLRequest could not be inflated: the HTTP-Redirect binding sends it deflated and base64-encoded.' };
  }
}

/**
 * The HTTP-POST binding: the request base64-encoded in a form field. Some SP libraries deflate it as for
 * the redirect binding (node-saml does): a body that is not XML is inflated before it is read.
 */
export function requestFromPost(samlRequest: string): RequestRead {
  const bytes = Buffer.from(samlRequest, 'base64');
  if (bytes.toString('utf8').trimStart().startsWith('<')) return readRequest(bytes.toString('utf8'));
  return requestFromRedirect(samlRequest);
}

const REDIRECT_ALGORITHMS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'RSA-SHA1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'RSA-SHA256',
};

/**
 * Checks a redirect-binding signature: over `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as the query
 * carries them (still URL-encoded), with the SP's certificate.
 */
export function redirectSignatureValid(rawQuery: string, certificatePem: string): boolean {
  const params = new Map(rawQuery.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  const sigAlg = params.get('SigAlg');
  const signature = params.get('Signature');
  const algorithm = sigAlg && REDIRECT_ALGORITHMS[decodeURIComponent(sigAlg)];
  if (!algorithm || !signature) return false;
  const signed = ['SAMLRequest', 'RelayState', 'SigAlg'].filter((k) => params.has(k)).map((k) => `${k}=${params.get(k)}`).join('&');
  try {
    return createVerify(algorithm).update(signed).verify(createPublicKey(certificatePem), Buffer.from(decodeURIComponent(signature), 'base64'));
  } catch {
    return false;
  }
}

/** Checks the XML signature a POST-binding request carries, against the SP's certificate; false when it has none. */
export function postSignatureValid(xml: string, certificatePem: string): boolean {
  const doc = parseSamlXml(xml);
  const signature = doc && firstElement(doc, SAML.dsig, 'Signature');
  if (!doc || !signature) return false;
  try {
    const verifier = new SignedXml({ publicCert: certificatePem });
    verifier.loadSignature(signature);
    // Only a signature over the request itself counts, never over something else it carries.
    return verifier.checkSignature(xml) && verifier.getSignedReferences().length === 1
      && verifier.getSignedReferences()[0]!.includes('AuthnRequest');
  } catch {
    return false;
  }
}
