import { XMLParser } from 'fast-xml-parser';
import { orgNow } from '../../clock';
import type { Services } from '../../services';
import type { StoredComponent } from '../../store/components';
import type { Org } from '../../store/orgs';
import { certificateLeaf, usableKeyPair, type OrgKeyPair } from '../orgCertificate';
import type { EncryptionType } from './assertionEncryption';

/** The certificate an identity provider signs with: its leaf, its key, and when it stops being valid. */
export type SigningCertificate = OrgKeyPair;

/** A service provider: a connected app with `samlConfig` (the Metadata API's ConnectedAppSamlConfig). */
export interface ServiceProvider {
  /** The connected app's id, as `/idp/login?app=` names it. */
  id: string;
  name: string;
  acsUrl: string;
  entityUrl: string;
  issuer?: string;
  subjectType: 'Username' | 'FederationId' | 'UserId' | 'CustomAttribute' | 'PersistentId';
  /** The user field a CustomAttribute subject sends (samlSubjectCustomAttr). */
  subjectAttribute?: string;
  nameIdFormat: string;
  signingAlgorithm: 'SHA1' | 'SHA256';
  /** The PEM the SP signs its requests with, when it does (samlConfig `certificate`). */
  requestSigningCertificate?: string;
  /** An org certificate to encrypt assertions with (samlConfig `encryptionCertificate`), by name. */
  encryptionCertificate?: string;
  encryptionType?: EncryptionType;
}

/** The name ID formats samlNameIdFormat names, as the URIs a response writes. */
const NAME_ID_FORMATS: Record<string, string> = {
  Unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  EmailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  Persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  Transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
};
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true });
const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : undefined);

const fileText = (c: StoredComponent | undefined) => c && [...(c.files?.values() ?? [])][0]?.toString('utf8');

/** The org's identity provider settings (settings/IdentityProvider.settings): whether it is on, with which certificate. */
export function identityProviderSettings(services: Services, org: Org): { enabled: boolean; certificateName?: string } {
  const text = fileText(services.store.components.get(org.id, 'Settings', 'IdentityProvider'));
  const settings = text ? (xml.parse(text) as { IdentityProviderSettings?: Record<string, unknown> }).IdentityProviderSettings ?? {} : {};
  return { enabled: textOf(settings.enableIdentityProvider) === 'true', certificateName: textOf(settings.certificateName) };
}

/** The leaf certificate of an org certificate of that name (an app's encryption certificate: only its public key is used). */
export function certificatePemOf(services: Services, org: Org, name: string): string | undefined {
  return certificateLeaf(services.store.components.get(org.id, 'Certificate', name));
}

/** The org certificate of that name, with its key, when the org made it (self-signed or with its chain in place). */
export function signingCertificate(services: Services, org: Org, name: string): SigningCertificate | undefined {
  const stored = services.store.components.get(org.id, 'Certificate', name);
  return stored && usableKeyPair(services, stored);
}

/** Whether the certificate has expired on the org's clock. */
export const hasExpired = (certificate: SigningCertificate, org: Org) => Date.parse(certificate.expirationDate) <= orgNow(org).getTime();

/** The org's service providers: its connected apps with a `samlConfig`. */
export function serviceProviders(services: Services, org: Org): ServiceProvider[] {
  const providers: ServiceProvider[] = [];
  for (const app of services.store.components.list(org.id, 'ConnectedApp')) {
    const text = fileText(app);
    const config = text && (xml.parse(text) as { ConnectedApp?: { samlConfig?: Record<string, unknown> } }).ConnectedApp?.samlConfig;
    if (!config || !textOf(config.acsUrl) || !textOf(config.entityUrl)) continue;
    providers.push({
      id: app.id, name: app.fullName, acsUrl: textOf(config.acsUrl)!, entityUrl: textOf(config.entityUrl)!, issuer: textOf(config.issuer),
      subjectType: (textOf(config.samlSubjectType) ?? 'Username') as ServiceProvider['subjectType'],
      subjectAttribute: textOf(config.samlSubjectCustomAttr),
      nameIdFormat: NAME_ID_FORMATS[textOf(config.samlNameIdFormat) ?? 'Unspecified'] ?? NAME_ID_FORMATS.Unspecified!,
      signingAlgorithm: textOf(config.samlSigningAlgoType) === 'SHA1' ? 'SHA1' : 'SHA256',
      requestSigningCertificate: textOf(config.certificate),
      encryptionCertificate: textOf(config.encryptionCertificate),
      encryptionType: textOf(config.encryptionType) as EncryptionType | undefined,
    });
  }
  return providers;
}
