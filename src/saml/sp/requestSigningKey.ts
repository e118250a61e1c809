import { sameId } from '../../ids';
import type { Services } from '../../services';
import { usableKeyPair, type OrgKeyPair } from '../orgCertificate';

/** The org certificate that signs SP-initiated requests, with its private key. */
export type RequestSigningKey = OrgKeyPair;

/**
 * The certificate `requestSigningCertId` names. The Metadata API writes its id (15 or 18 characters);
 * a name is taken too, as hand-written files often carry one. A certificate whose key the org does not
 * hold, or that still waits for its CA's chain, cannot sign: the answer says which.
 */
export function requestSigningKey(services: Services, orgId: string, reference: string): RequestSigningKey | string {
  const certificates = services.store.components.list(orgId, 'Certificate');
  const certificate = certificates.find((c) => /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(reference) && sameId(c.id, reference))
    ?? certificates.find((c) => c.fullName.toLowerCase() === reference.toLowerCase());
  if (!certificate) return `requestSigningCertId names no certificate of this org (${reference}): deploy the certificate, or name one by its id or name`;
  return usableKeyPair(services, certificate)
    ?? `The certificate ${certificate.fullName} cannot sign requests: the org holds no usable key and certificate for it (is it still awaiting its signed chain?)`;
}
