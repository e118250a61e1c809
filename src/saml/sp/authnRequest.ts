import { sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { escapeXml, SAML, samlId, samlInstant } from '../samlXml';
import type { RequestSigningKey } from './requestSigningKey';
import type { SsoConfig } from './ssoConfig';

/** An SP-initiated request, ready to send: a redirect (HTTP-Redirect binding) or a form to post (HTTP-POST). */
export type OutgoingAuthnRequest =
  | { binding: 'redirect'; location: string }
  | { binding: 'post'; action: string; samlRequest: string; relayState?: string };

/** requestSignatureMethod as the Metadata API writes it: `1` RSA-SHA1, `2` RSA-SHA256 (also the setup page's default). */
const ALGORITHMS = {
  '1': { hash: 'sha1', signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
  '2': { hash: 'sha256', signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
} as const;
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export const signatureAlgorithmOf = (method: string | undefined) => ALGORITHMS[method === '1' ? '1' : '2'];

/** The AuthnRequest XML, shaped as the real service writes its own (Issuer, then NameIDPolicy). */
function authnRequestXml(config: SsoConfig, acsUrl: string, now: Date): string {
  return `<samlp:AuthnRequest xmlns:samlp="${SAML.protocol}" AssertionConsumerServiceURL="${escapeXml(acsUrl)}" ` +
    `Destination="${escapeXml(config.loginUrl!)}" ID="${samlId()}" IssueInstant="${samlInstant(now)}" ProtocolBinding="${SAML.postBinding}" Version="2.0">` +
    `<saml:Issuer xmlns:saml="${SAML.assertion}">${escapeXml(config.samlEntityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>` +
    '</samlp:AuthnRequest>';
}

/**
 * Builds and signs an AuthnRequest for the setting's identity provider. With redirectBinding the request
 * travels deflated in the query and the query is signed (SAML bindings 3.4.4.1: SAMLRequest, RelayState,
 * SigAlg, in that order, as sent); otherwise it is posted with an enveloped XML signature after its Issuer.
 */
export function buildAuthnRequest(config: SsoConfig, key: RequestSigningKey, acsUrl: string, now: Date, relayState?: string): OutgoingAuthnRequest {
  const algorithm = signatureAlgorithmOf(config.requestSignatureMethod);
  const xml = authnRequestXml(config, acsUrl, now);
  if (config.redirectBinding) {
    const query = [
      `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`,
      ...(relayState ? [`RelayState=${encodeURIComponent(relayState)}`] : []),
      `SigAlg=${encodeURIComponent(algorithm.signature)}`,
    ].join('&');
    const signature = sign(algorithm.hash, Buffer.from(query, 'utf8'), key.privateKeyPem).toString('base64');
    const separator = config.loginUrl!.includes('?') ? '&' : '?';
    return { binding: 'redirect', location: `${config.loginUrl}${separator}${query}&Signature=${encodeURIComponent(signature)}` };
  }
  const signer = new SignedXml({ privateKey: key.privateKeyPem, publicCert: key.certificatePem, signatureAlgorithm: algorithm.signature, canonicalizationAlgorithm: EXC_C14N });
  signer.addReference({
    xpath: "/*[local-name(.)='AuthnRequest']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: algorithm.digest,
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: "/*[local-name(.)='AuthnRequest']/*[local-name(.)='Issuer']", action: 'after' } });
  return { binding: 'post', action: config.loginUrl!, samlRequest: Buffer.from(signer.getSignedXml(), 'utf8').toString('base64'), relayState };
}
