import type { Services } from '../services';
import type { StoredComponent } from '../store/components';

/** An org certificate that can sign or decrypt: its leaf, and the key the org keeps for it. */
export interface OrgKeyPair {
  name: string;
  certificatePem: string;
  privateKeyPem: string;
  expirationDate: string;
}

const LEAF = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The leaf of a stored certificate (its content holds the chain, leaf first; a CSR has none). */
export const certificateLeaf = (certificate: StoredComponent | undefined): string | undefined =>
  certificate?.content?.toString('utf8').match(LEAF)?.[0];

/**
 * A stored certificate with its key, when it can sign or decrypt: self-signed, or with its chain in place
 * (one still waiting for its CA's chain has only a CSR), and its key kept by the org.
 */
export function usableKeyPair(services: Services, certificate: StoredComponent): OrgKeyPair | undefined {
  const fields = certificate.fields as { state?: string; expirationDate?: string };
  const privateKeyPem = services.store.components.privateKey(certificate.id);
  const leaf = certificateLeaf(certificate);
  if (!privateKeyPem || !leaf || fields.state === 'awaitingChain') return undefined;
  return { name: certificate.fullName, certificatePem: leaf, privateKeyPem, expirationDate: fields.expirationDate ?? '' };
}
