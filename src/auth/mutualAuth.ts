import { createHash, X509Certificate } from 'node:crypto';
import { orgNow } from '../clock';
import { classifyContent, formatDn, normalizePem, type ParsedCertificate } from '../crypto';
import { Faults } from '../errors';
import { IdPrefix, newId } from '../ids';
import type { StoredMutualAuthCertificate } from '../store/mutualAuthCertificates';
import type { Caller, Org } from '../store/orgs';
import type { Store } from '../store/store';

/** An uploaded mutual authentication certificate as the admin API shows it. */
export interface MutualAuthCertificate {
  id: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  expirationDate: string;
  /** SHA-256 of the leaf, colon-separated hex (as openssl and node print it). */
  fingerprint: string;
  chainLength: number;
  /** On the org's clock: an expired certificate stays listed but no longer authenticates. */
  expired: boolean;
  createdDate: string;
}

/** An upload refused, with why. */
export class MutualAuthUploadRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'MutualAuthUploadRefused';
  }
}

/**
 * A handshake refused before any session is looked at, in the words of the real service's HTML
 * "Certificate Error" page (the reason is OpenSSL's verify text).
 */
export class ClientCertificateError extends Error {
  constructor(readonly reason: string) {
    super(`Client certificate error: ${reason}`);
    this.name = 'ClientCertificateError';
  }
}

const NO_CERTIFICATE = 'No client certificate provided.';
const UNTRUSTED = 'unable to get local issuer certificate';
const EXPIRED = 'certificate has expired';

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');
const blocks = (pem: string): Buffer[] =>
  (normalizePem(pem).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((b) => Buffer.from(b.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
const issuedBy = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);

/**
 * Mutual TLS as the real service offers it on its own port: an org uploads its API clients'
 * certificates (each signed by a certificate authority, with the chain); a handshake must present a
 * certificate that chains to an uploaded one, and a call then succeeds only when the caller's org
 * uploaded that very certificate and it has not expired on the org's clock.
 */
export class MutualAuthService {
  constructor(private readonly store: Store) {}

  register(org: Org, pemText: string): MutualAuthCertificate {
    const content = classifyContent(Buffer.from(pemText, 'utf8'));
    const refuse = (message: string, code = 'INVALID_CERTIFICATE') => new MutualAuthUploadRefused(code, message);
    if (content.kind === 'empty') throw refuse('The body is empty: send the client certificate as PEM, followed by each certificate that signed it (the root may be left out).');
    if (content.kind === 'privateKey') throw refuse('The upload holds a private key: upload the certificate chain only; the private key stays with the API client.');
    if (content.kind === 'csr') throw refuse('The upload is a certificate signing request: have a certificate authority sign it, then upload the signed certificate and its chain.');
    if (content.kind === 'invalid') throw refuse(`The upload is not a PEM certificate chain: ${content.reason}.`);
    const chain = content.certificates;
    const x509s = chain.map((c) => new X509Certificate(c.pem));
    const name = (i: number) => `certificate ${i + 1} (${formatDn(chain[i]!.subject)})`;
    if (chain.length === 1 && x509s[0]!.checkIssued(x509s[0]!)) {
      throw refuse('Self-signed client certificates cannot be used for mutual authentication: upload a certificate signed by a certificate authority, followed by its chain.');
    }
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!issuedBy(x509s[i]!, x509s[i + 1]!)) {
        throw refuse(`The chain is not in order: ${name(i + 1)} did not sign ${name(i)}. Upload the client certificate first, then each certificate that signed the one before it.`);
      }
    }
    const now = orgNow(org);
    const late = chain.findIndex((c) => c.notAfter < now);
    if (late >= 0) throw refuse(`${capitalize(name(late))} expired on ${chain[late]!.notAfter.toISOString()}: upload a certificate that is valid now.`);
    const early = chain.findIndex((c) => c.notBefore > now);
    if (early >= 0) throw refuse(`${capitalize(name(early))} is not valid until ${chain[early]!.notBefore.toISOString()}.`);
    const leafSha256 = sha256(x509s[0]!.raw);
    const twin = this.store.mutualAuthCertificates.byLeaf(leafSha256).find((c) => c.orgId === org.id);
    if (twin) throw refuse(`This client certificate is already uploaded, as ${twin.id}.`, 'DUPLICATE_VALUE');
    const stored: StoredMutualAuthCertificate = {
      id: newId(IdPrefix.mutualAuthCertificate), orgId: org.id, chainPem: chain.map((c) => c.pem).join(''), leafSha256, createdDate: now.toISOString(),
    };
    this.store.mutualAuthCertificates.insert(stored);
    return describe(stored, chain, now);
  }

  list(org: Org): MutualAuthCertificate[] {
    const now = orgNow(org);
    return this.store.mutualAuthCertificates.list(org.id).map((c) => describe(c, parsedChain(c), now));
  }

  remove(org: Org, id: string): boolean {
    return this.store.mutualAuthCertificates.delete(org.id, id);
  }

  /**
   * The handshake's part, before any session: a certificate must have been presented, must chain to
   * a certificate some org uploaded (the certificate authorities this server trusts), and must not
   * have expired. Returns the leaf's SHA-256; throws ClientCertificateError otherwise.
   */
  checkPresented(presented: Buffer[]): string {
    if (presented.length === 0) throw new ClientCertificateError(NO_CERTIFICATE);
    const leaf = new X509Certificate(presented[0]!);
    const leafSha256 = sha256(leaf.raw);
    const registrations = this.store.mutualAuthCertificates.byLeaf(leafSha256);
    if (registrations.length === 0 && !this.chainsToUpload(leaf, presented.slice(1).map((d) => new X509Certificate(d)))) {
      throw new ClientCertificateError(UNTRUSTED);
    }
    // Validity on the clock of the orgs that uploaded it (each org has its own), else the machine's.
    const clocks = registrations.map((r) => this.store.orgs.get(r.orgId)).filter((o): o is Org => !!o).map(orgNow);
    const notAfter = Date.parse(leaf.validTo);
    const expired = clocks.length ? clocks.every((now) => now.getTime() > notAfter) : Date.now() > notAfter;
    if (expired) throw new ClientCertificateError(EXPIRED);
    return leafSha256;
  }

  /** The session's part: the caller's org uploaded this certificate and it is valid on the org's clock. */
  authorize(caller: Caller, leafSha256: string): void {
    const mine = this.store.mutualAuthCertificates.byLeaf(leafSha256).find((c) => c.orgId === caller.org.id);
    const leaf = mine && parsedChain(mine)[0];
    if (!leaf || leaf.notAfter < orgNow(caller.org)) throw Faults.mutualAuthenticationFailed();
  }

  private chainsToUpload(leaf: X509Certificate, sent: X509Certificate[]): boolean {
    const anchors = this.store.mutualAuthCertificates.all().flatMap((c) => blocks(c.chainPem)).map((der) => new X509Certificate(der));
    let current = leaf;
    for (let depth = 0; depth <= sent.length; depth++) {
      if (anchors.some((a) => a.raw.equals(current.raw) || issuedBy(current, a))) return true;
      const next = sent.find((s) => issuedBy(current, s));
      if (!next) return false;
      current = next;
    }
    return false;
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function parsedChain(c: StoredMutualAuthCertificate): ParsedCertificate[] {
  const content = classifyContent(Buffer.from(c.chainPem));
  return content.kind === 'chain' ? content.certificates : [];
}

function describe(c: StoredMutualAuthCertificate, chain: ParsedCertificate[], now: Date): MutualAuthCertificate {
  const leaf = chain[0]!;
  return {
    id: c.id, subject: formatDn(leaf.subject), issuer: formatDn(leaf.issuer), serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore.toISOString(), expirationDate: leaf.notAfter.toISOString(),
    fingerprint: new X509Certificate(leaf.pem).fingerprint256, chainLength: chain.length, expired: leaf.notAfter < now, createdDate: c.createdDate,
  };
}
