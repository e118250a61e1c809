import type { Document, Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { parseSamlXml, SAML } from '../samlXml';
import { SamlFailure, SamlLoginError } from './loginFailures';

/**
 * The parts of a SAML response that its signature vouches for. Both are parsed again from the bytes
 * the signature covers (xml-crypto's signed references), never taken from the document as received:
 * that is what defeats signature wrapping, where a forged assertion sits beside a genuinely signed one
 * and a validator checks one but reads the other.
 */
export interface SignedParts {
  assertion: Element;
  /** The response itself, when its own signature covers it (then so are its Destination and Status). */
  response?: Element;
}

const ID_ATTRIBUTES = ['ID', 'Id', 'id'];
const ALLOWED_TRANSFORMS = 2; // enveloped-signature and a canonicalization, as SAML signatures carry

export const childElements = (parent: Element, ns: string, name: string): Element[] => {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
};

const refuse = (detail: string): never => { throw new SamlLoginError(SamlFailure.signature, detail); };

/** How many elements of the document carry `id` as an ID: a signature's reference must find exactly one. */
function elementsWithId(doc: Document, id: string): number {
  const all = doc.getElementsByTagName('*');
  let count = 0;
  for (let i = 0; i < all.length; i++) if (ID_ATTRIBUTES.some((a) => all.item(i)!.getAttribute(a) === id)) count++;
  return count;
}

/**
 * Checks the enveloped signature of `element` against the certificate and answers the canonical XML it
 * signs. The signature must reference `element` itself, by an ID no other element has, with one
 * reference only: anything else lets what is signed differ from what is read.
 */
export function signedXmlOf(xml: string, doc: Document, element: Element, signature: Element, certificatePem: string, what: string): string {
  const sig = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null }); // the configured certificate only, never the KeyInfo's
  try {
    sig.loadSignature(signature as never);
  } catch (err) {
    refuse(`The ${what}'s signature cannot be read: ${(err as Error).message}`);
  }
  const references = sig.getReferences();
  if (references.length !== 1) refuse(`The ${what}'s signature must have exactly one reference, not ${references.length}`);
  const reference = references[0]!;
  const id = element.getAttribute('ID') ?? '';
  if (!id || reference.uri !== `#${id}`) refuse(`The ${what}'s signature references ${reference.uri || 'the whole document'}, not the ${what} it is in (ID ${id || 'missing'})`);
  if (elementsWithId(doc, id) !== 1) refuse(`More than one element has the ID ${id}: a wrapped signature is refused`);
  if (reference.transforms.length > ALLOWED_TRANSFORMS) refuse(`The ${what}'s signature has ${reference.transforms.length} transforms; SAML signatures have at most ${ALLOWED_TRANSFORMS}`);
  let valid = false;
  try {
    valid = sig.checkSignature(xml);
  } catch (err) {
    refuse(`The ${what}'s signature does not verify with the identity provider certificate of the setting: ${(err as Error).message}`);
  }
  const signed = sig.getSignedReferences();
  if (!valid || signed.length !== 1) refuse(`The ${what}'s signature does not verify with the identity provider certificate of the setting`);
  return signed[0]!;
}

/** The one assertion of a (signed) response: SAML allows several, but a login uses one, and more invites confusion. */
function onlyAssertion(response: Element, doc: Document): Element {
  const all = doc.getElementsByTagNameNS(SAML.assertion, 'Assertion');
  const direct = childElements(response, SAML.assertion, 'Assertion');
  if (all.length !== 1 || direct.length !== 1) {
    if (all.length === 0) throw new SamlLoginError(SamlFailure.invalid, 'The response holds no Assertion');
    refuse(`The response must hold exactly one Assertion, directly inside the Response; it holds ${all.length}${direct.length !== all.length ? ', some elsewhere' : ''}`);
  }
  return direct[0]!;
}

/** Parses the canonical XML a signature covers back into its element. */
export function reparsed(signedXml: string): Element {
  const doc = parseSamlXml(signedXml);
  if (!doc?.documentElement) return refuse('The signed part of the response cannot be read');
  return doc.documentElement;
}

/**
 * The signed parts of a response (`doc`, parsed from `xml`): the identity provider signs the response,
 * the assertion or both (the help: either is enough); every signature present must verify.
 */
export function signedParts(xml: string, doc: Document, certificatePem: string): SignedParts {
  const root = doc.documentElement!;
  const assertion = onlyAssertion(root, doc);
  const responseSignature = childElements(root, SAML.dsig, 'Signature');
  const assertionSignature = childElements(assertion, SAML.dsig, 'Signature');
  if (responseSignature.length > 1 || assertionSignature.length > 1) refuse('An element carries more than one signature');
  if (!responseSignature.length && !assertionSignature.length) refuse('Neither the response nor the assertion is signed');
  const signedAssertion = assertionSignature.length ? reparsed(signedXmlOf(xml, doc, assertion, assertionSignature[0]!, certificatePem, 'assertion')) : undefined;
  if (!responseSignature.length) return { assertion: signedAssertion! };
  const response = reparsed(signedXmlOf(xml, doc, root, responseSignature[0]!, certificatePem, 'response'));
  const inside = childElements(response, SAML.assertion, 'Assertion');
  if (inside.length !== 1) refuse('The signed response does not hold exactly one Assertion');
  return { assertion: inside[0]!, response };
}
