import { promisify } from 'node:util';
import { XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { decrypt } from 'xml-encryption';
import { parseSamlXml, SAML } from '../samlXml';
import { SamlFailure, SamlLoginError } from './loginFailures';
import { childElements, reparsed, signedXmlOf, type SignedParts } from './signedAssertion';

const decryptAsync = promisify(decrypt);

/**
 * The signed parts of a response whose assertion is encrypted (EncryptedAssertion), for a setting with a
 * decryption certificate. The response's own signature, if any, is checked over the response as sent (it
 * covers the encrypted form); the assertion is then decrypted with the certificate's key (xml-encryption)
 * and its own signature, if any, checked over what decrypts. One of the two signatures must be there.
 */
export async function decryptedParts(xml: string, doc: Document, certificatePem: string, decryptionKeyPem: string | undefined): Promise<SignedParts> {
  if (!decryptionKeyPem) {
    throw new SamlLoginError(SamlFailure.invalid, 'The assertion is encrypted (EncryptedAssertion), but the setting has no decryptionCertificate of this org to decrypt it with');
  }
  const root = doc.documentElement!;
  const responseSignature = childElements(root, SAML.dsig, 'Signature');
  const response = responseSignature.length ? reparsed(signedXmlOf(xml, doc, root, responseSignature[0]!, certificatePem, 'response')) : undefined;
  const encrypted = childElements(response ?? root, SAML.assertion, 'EncryptedAssertion');
  if (encrypted.length !== 1 || childElements(response ?? root, SAML.assertion, 'Assertion').length) {
    throw new SamlLoginError(SamlFailure.signature, 'The response must hold exactly one assertion, encrypted or not');
  }
  let assertionXml: string;
  try {
    assertionXml = await decryptAsync(new XMLSerializer().serializeToString(encrypted[0] as Element), { key: decryptionKeyPem, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false });
  } catch (err) {
    throw new SamlLoginError(SamlFailure.invalid, `The assertion cannot be decrypted with the setting's decryptionCertificate: ${(err as Error).message}`);
  }
  const assertionDoc = parseSamlXml(assertionXml);
  const assertion = assertionDoc?.documentElement;
  if (!assertionDoc || !assertion || assertion.namespaceURI !== SAML.assertion || assertion.localName !== 'Assertion') {
    throw new SamlLoginError(SamlFailure.invalid, 'The encrypted assertion does not decrypt to a SAML Assertion');
  }
  const assertionSignature = childElements(assertion, SAML.dsig, 'Signature');
  if (assertionSignature.length > 1) throw new SamlLoginError(SamlFailure.signature, 'An element carries more than one signature');
  if (assertionSignature.length) {
    return { assertion: reparsed(signedXmlOf(assertionXml, assertionDoc, assertion, assertionSignature[0]!, certificatePem, 'assertion')), response };
  }
  if (!response) throw new SamlLoginError(SamlFailure.signature, 'Neither the response nor the assertion is signed');
  return { assertion, response };
}
