import { escapeXml, SAML } from '../samlXml';

/** The base64 body of a PEM certificate, as KeyInfo carries it. */
const derBase64 = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

/**
 * The identity provider's SAML metadata, as an org serves it at /.well-known/samlidp.xml: its entity id,
 * its signing certificate, the name ID formats it sends, and its two single sign-on endpoints.
 */
export function identityProviderMetadata(entityId: string, baseUrl: string, certificatePem: string): string {
  const endpoint = (binding: string, path: string) => `<md:SingleSignOnService Binding="${binding}" Location="${escapeXml(`${baseUrl}${path}`)}"/>`;
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<md:EntityDescriptor xmlns:md="${SAML.metadata}" entityID="${escapeXml(entityId)}">`
    + `<md:IDPSSODescriptor protocolSupportEnumeration="${SAML.protocol}" WantAuthnRequestsSigned="false">`
    + `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${SAML.dsig}"><ds:X509Data><ds:X509Certificate>${derBase64(certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    + '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>'
    + '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>'
    + '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>'
    + '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>'
    + endpoint(SAML.postBinding, '/idp/endpoint/HttpPost')
    + endpoint(SAML.redirectBinding, '/idp/endpoint/HttpRedirect')
    + '</md:IDPSSODescriptor></md:EntityDescriptor>';
}
