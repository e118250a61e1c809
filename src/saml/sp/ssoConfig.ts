import { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Services } from '../../services';
import type { StoredComponent } from '../../store/components';

/**
 * An org's SAML single sign-on setting, read from its stored SamlSsoConfig (kept as deployed, in
 * `samlssoconfigs/<Name>.samlssoconfig`): the identity provider it trusts and how a user is found.
 */
export interface SsoConfig {
  name: string;
  issuer: string;
  /** The identity provider's certificate as deployed (PEM or bare base64 DER); see validationCertificatePem. */
  validationCert?: string;
  identityMapping: 'Username' | 'FederationId' | 'UserId';
  identityLocation: 'SubjectNameId' | 'Attribute';
  attributeName?: string;
  /** The org's entity id as a service provider: what the Audience must name. */
  samlEntityId: string;
  samlVersion: string;
  requestSigningCertId?: string;
  /** `1` RSA-SHA1, `2` RSA-SHA256 (the Metadata API's values). */
  requestSignatureMethod?: string;
  redirectBinding: boolean;
  decryptionCertificate?: string;
  /** The identity provider's single sign-on URL, where SP-initiated requests go. */
  loginUrl?: string;
}

/** The entity id an org has unless its setting names another (the real service's default). */
export const DEFAULT_ENTITY_ID = 'https://saml.salesforce.com';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true });
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function configOf(component: StoredComponent): SsoConfig | undefined {
  const file = [...(component.files ?? new Map<string, Buffer>()).entries()].find(([path]) => path.endsWith('.samlssoconfig'))?.[1];
  if (!file) return undefined;
  let root: Record<string, unknown> | undefined;
  try {
    root = (parser.parse(file.toString('utf8')) as { SamlSsoConfig?: Record<string, unknown> }).SamlSsoConfig;
  } catch {
    return undefined; // stored as deployed: the deploy already checked it, but a config nobody can read is simply not one
  }
  if (!root) return undefined;
  const mapping = text(root.identityMapping);
  return {
    name: component.fullName,
    issuer: text(root.issuer) ?? '',
    validationCert: text(root.validationCert),
    identityMapping: mapping === 'FederationId' || mapping === 'UserId' ? mapping : 'Username',
    identityLocation: text(root.identityLocation) === 'Attribute' ? 'Attribute' : 'SubjectNameId',
    attributeName: text(root.attributeName),
    samlEntityId: text(root.samlEntityId) ?? DEFAULT_ENTITY_ID,
    samlVersion: text(root.samlVersion) ?? 'SAML2_0',
    requestSigningCertId: text(root.requestSigningCertId),
    requestSignatureMethod: text(root.requestSignatureMethod),
    redirectBinding: text(root.redirectBinding) === 'true',
    decryptionCertificate: text(root.decryptionCertificate),
    loginUrl: text(root.loginUrl),
  };
}

/** Every SamlSsoConfig of the org, by name. */
export function ssoConfigs(services: Services, orgId: string): SsoConfig[] {
  return services.store.components.list(orgId, 'SamlSsoConfig').map(configOf).filter((c): c is SsoConfig => c !== undefined);
}

/**
 * The identity provider's certificate as PEM, or undefined when the text is neither a PEM certificate
 * nor base64 DER of one (the setup page takes either; the Metadata API keeps what was given).
 */
export function validationCertificatePem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(value)?.[0];
  try {
    return new X509Certificate(pem ?? Buffer.from(value.replace(/\s+/g, ''), 'base64')).toString();
  } catch {
    return undefined;
  }
}
