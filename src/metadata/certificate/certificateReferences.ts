import { childrenOf, isElement, nodeName, parseXmlTree, textOf, type XmlNode } from '../../package/xmlTree';
import { sameId } from '../../ids';

/**
 * Which stored components use a certificate, read from their metadata XML (the help's "manage
 * expired certificates": a certificate in use cannot be deleted). The types, and the elements that
 * hold a certificate's name (or, for requestSigningCertId, its id):
 * - SamlSsoConfig: decryptionCertificate, requestSigningCertId (an id, or a name as some files write it);
 * - NamedCredential: certificate, jwtSigningCertificate, and namedCredentialParameters of type ClientCertificate;
 * - ExternalCredential: externalCredentialParameters of type SigningCertificate (certificate or parameterValue);
 * - ConnectedApp (samlConfig.certificate, samlConfig.encryptionCertificate) and ExternalDataSource (certificate);
 * - Settings: the identity provider's signing certificate (IdentityProvider.settings, certificateName).
 */
export const REFERRING_TYPES = ['SamlSsoConfig', 'NamedCredential', 'ExternalCredential', 'ConnectedApp', 'ExternalDataSource', 'Settings'] as const;

const NAME_ELEMENTS = new Set(['certificate', 'decryptionCertificate', 'jwtSigningCertificate', 'encryptionCertificate', 'certificateName', 'requestSigningCertId']);
const ID_ELEMENTS = new Set(['requestSigningCertId']);
const CERTIFICATE_PARAMETERS = new Set(['SigningCertificate', 'ClientCertificate']);

export interface CertificateUse {
  type: string;
  fullName: string;
  /** The element that names the certificate, as a path from the root (`oauthConfig.certificate`). */
  field: string;
}

/** The elements of one metadata XML document that name the certificate `name` (or hold its id). */
export function certificateFieldsIn(xml: string, certificate: { fullName: string; id: string }): string[] {
  let nodes: XmlNode[];
  try {
    nodes = parseXmlTree(xml);
  } catch {
    return [];
  }
  const fields: string[] = [];
  const matchesName = (text: string | undefined) => text !== undefined && text.trim().toLowerCase() === certificate.fullName.toLowerCase();
  const walk = (node: XmlNode, path: string[]) => {
    const name = nodeName(node);
    const children = childrenOf(node).filter(isElement);
    if (children.length === 0) {
      const text = textOf(node);
      if (NAME_ELEMENTS.has(name) && matchesName(text)) fields.push([...path, name].slice(1).join('.'));
      if (ID_ELEMENTS.has(name) && text && sameId(text.trim(), certificate.id)) fields.push([...path, name].slice(1).join('.'));
      return;
    }
    // A credential parameter: <parameterType>SigningCertificate</parameterType><parameterValue>Name</parameterValue>.
    const childText = (n: string) => { const c = children.find((x) => nodeName(x) === n); return c && textOf(c); };
    const type = childText('parameterType');
    if (type && CERTIFICATE_PARAMETERS.has(type.trim()) && matchesName(childText('parameterValue'))) {
      fields.push([...path, name, 'parameterValue'].slice(1).join('.'));
    }
    for (const child of children) walk(child, [...path, name]);
  };
  for (const root of nodes.filter(isElement)) walk(root, []);
  return [...new Set(fields)];
}

/** What refuses the deletion, in the words of a deploy message and a deleteMetadata error. */
export function certificateInUseMessage(fullName: string, uses: CertificateUse[]): string {
  const list = uses.map((u) => `${u.type} ${u.fullName} (${u.field})`);
  const them = uses.length === 1 ? 'it' : 'them';
  return `This certificate is referenced elsewhere in Salesforce: Certificate ${fullName} cannot be deleted while ${list.join(', ')} ${uses.length === 1 ? 'uses' : 'use'} it. ` +
    `Point ${them} at another certificate, or delete ${them} first (in the same deploy, or before), then delete the certificate.`;
}

/** A component as stored or as a deploy brings it: its files, in metadata format. */
export interface ComponentFiles {
  type: string;
  fullName: string;
  files?: Map<string, Buffer>;
}

/** The uses of a certificate among `components` (of REFERRING_TYPES). */
export function usesOf(certificate: { fullName: string; id: string }, components: ComponentFiles[]): CertificateUse[] {
  const uses: CertificateUse[] = [];
  for (const c of components) {
    for (const bytes of c.files?.values() ?? []) {
      const text = bytes.toString('utf8');
      if (!text.trimStart().startsWith('<')) continue;
      for (const field of certificateFieldsIn(text, certificate)) uses.push({ type: c.type, fullName: c.fullName, field });
    }
  }
  return uses.sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
}
