import { randomBytes } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

/** The SAML 2.0 namespaces and fixed URIs both sides write. */
export const SAML = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  redirectBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  postBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  passwordTransport: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
} as const;

/** Escapes text for an XML attribute or element. */
export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Parses a SAML message; undefined when it is not well-formed XML (xmldom reports some faults and throws on others). */
export function parseSamlXml(xml: string): Document | undefined {
  let broken = false;
  try {
    const doc = new DOMParser({ onError: () => { broken = true; } }).parseFromString(xml, 'text/xml');
    return broken || !doc.documentElement ? undefined : doc;
  } catch {
    return undefined;
  }
}

/** The first descendant element of a namespace and local name. */
export function firstElement(root: Document | Element, ns: string, name: string): Element | undefined {
  return (root.getElementsByTagNameNS(ns, name)[0] as Element | undefined) ?? undefined;
}

/** An ID as SAML wants it: an NCName, so never starting with a digit. */
export const samlId = () => `_${randomBytes(20).toString('hex')}`;

/** A SAML instant: UTC, whole seconds. */
export const samlInstant = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
