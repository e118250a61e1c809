import { classifyContent } from '../../crypto';
import { formatPemBlock } from '../../crypto/pemFormat';
import { childrenOf, isElement, nodeName, parseXmlTree, rootOf, textOf, type XmlNode } from '../../package/xmlTree';

/**
 * What a ConnectedApp's `oauthConfig` makes of it as an OAuth client: the consumer key and secret
 * (either may be absent: the org then makes one, as the real service does at creation), the
 * certificate that verifies JWT bearer assertions, and the scopes.
 */
export interface OAuthClientSpec {
  consumerKey?: string;
  consumerSecret?: string;
  certificatePem?: string;
  /** By their metadata names: Api, RefreshToken, OfflineAccess… */
  scopes: string[];
  secretRequiredForRefresh: boolean;
}

/** Consumer keys: 8 to 256 letters, digits, dots and underscores (real ones look like `3MVG9…rSK.BoS…`). */
export const CONSUMER_KEY = /^[A-Za-z0-9._]{8,256}$/;
/** Secrets travel in `force://key:secret:token@host` URLs, whose parser takes these characters only. */
export const CONSUMER_SECRET = /^[A-Za-z0-9._-]{8,256}$/;

/** Why a PEM text cannot be a connected app's certificate, or undefined when it can. */
export function certificateProblem(pem: string): string | undefined {
  const content = classifyContent(Buffer.from(pem, 'utf8'));
  if (content.kind === 'chain' && content.certificates.length === 1) {
    return content.certificates[0]!.keyAlgorithm === 'rsa' ? undefined : 'it must hold an RSA key, since JWT bearer assertions are signed with RS256';
  }
  if (content.kind === 'chain') return 'it must be one certificate, not a chain';
  if (content.kind === 'privateKey') return 'it holds a private key: give the certificate only; the private key stays with whoever signs the JWTs';
  if (content.kind === 'csr') return 'it is a certificate signing request, not a certificate';
  return content.kind === 'invalid' ? content.reason : 'it is empty';
}

/**
 * The certificate as PEM. Retrieved connected apps carry it as bare base64, without the BEGIN and END lines
 * (SalesforceLabs/FSC-Transition-Assistant's, from its packaging org): that form is taken as the same certificate.
 */
function asPem(text: string | undefined): string | undefined {
  if (text === undefined || text.includes('-----BEGIN') || !/^[A-Za-z0-9+/=\s]+$/.test(text)) return text;
  return formatPemBlock('CERTIFICATE', text.replace(/\s+/g, ''));
}

const child = (node: XmlNode, name: string) => childrenOf(node).filter(isElement).find((n) => nodeName(n) === name);
const trimmed = (node: XmlNode | undefined) => (node ? textOf(node)?.trim() : undefined);

/** Reads `oauthConfig` from a ConnectedApp document: null when it has none, a problem text when it is unusable. */
export function readOAuthConfig(xml: string): OAuthClientSpec | null | { problem: string } {
  const config = child(rootOf(parseXmlTree(xml)), 'oauthConfig');
  if (!config) return null;
  const consumerKey = trimmed(child(config, 'consumerKey')) || undefined;
  const consumerSecret = trimmed(child(config, 'consumerSecret')) || undefined;
  const certificatePem = asPem(trimmed(child(config, 'certificate')) || undefined);
  if (consumerKey !== undefined && !CONSUMER_KEY.test(consumerKey)) {
    return { problem: 'oauthConfig.consumerKey must be 8 to 256 characters: letters, digits, dots (.) and underscores (_)' };
  }
  if (consumerSecret !== undefined && !CONSUMER_SECRET.test(consumerSecret)) {
    return { problem: 'oauthConfig.consumerSecret must be 8 to 256 characters: letters, digits, dots (.), underscores (_) and hyphens (-)' };
  }
  if (certificatePem !== undefined) {
    const problem = certificateProblem(certificatePem);
    if (problem) return { problem: `oauthConfig.certificate must be a PEM-encoded X.509 certificate: ${problem}` };
  }
  const scopes = childrenOf(config).filter((n) => isElement(n) && nodeName(n) === 'scopes').map((n) => textOf(n)?.trim() ?? '').filter(Boolean);
  const secretRequired = trimmed(child(config, 'isSecretRequiredForRefreshToken'));
  return { consumerKey, consumerSecret, certificatePem, scopes, secretRequiredForRefresh: secretRequired !== 'false' };
}

/** The document without its consumer secret: the org keeps the secret sealed, and reads never return it. */
export function withoutConsumerSecret(xml: string): string {
  return xml.replace(/[ \t]*<consumerSecret>[^<]*<\/consumerSecret>[ \t]*\r?\n?/g, '');
}
