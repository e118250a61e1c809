import type { ComponentProblem } from '../metadataType';
import { CERTIFICATE_KEY_SIZES, MASTER_LABEL_MAX } from './definition';
import { CertificateMessages as M } from './messages';

/** The fields a user sets; the stored ones add what the org decides (expiry, state). */
export interface CertificateFields {
  caSigned: boolean;
  encryptedWithPlatformEncryption: boolean;
  /** Undefined when the input left it out: an existing certificate keeps its own. */
  keySize?: number;
  masterLabel: string;
  privateKeyExportable?: boolean;
}

export type CertificateState = 'selfSigned' | 'awaitingChain' | 'active';

export interface StoredCertificateFields {
  caSigned: boolean;
  encryptedWithPlatformEncryption: boolean;
  expirationDate: string;
  keySize: number;
  masterLabel: string;
  privateKeyExportable: boolean;
  state: CertificateState;
  /** The CSR the org handed out, kept after the chain arrives so a redeploy of it is recognised. */
  csrPem?: string;
}

/**
 * Checks and normalises the user's fields (expirationDate is the org's and is ignored on input).
 * `storedKeySize` is the existing certificate's: a 3072-bit one (imported from a keystore) deploys
 * with the keySize its retrieve says, though a deploy cannot ask for a new one of that size.
 */
export function readCertificateFields(fullName: string, raw: Record<string, unknown>, storedKeySize?: number): { ok: true; fields: CertificateFields } | ({ ok: false } & ComponentProblem) {
  if (typeof raw.caSigned !== 'boolean') return { ok: false, statusCode: 'REQUIRED_FIELD_MISSING', problem: M.required(fullName, 'caSigned'), field: 'caSigned' };
  const label = typeof raw.masterLabel === 'string' ? raw.masterLabel.trim() : '';
  if (!label) return { ok: false, statusCode: 'REQUIRED_FIELD_MISSING', problem: M.required(fullName, 'masterLabel'), field: 'masterLabel' };
  if (label.length > MASTER_LABEL_MAX) return { ok: false, statusCode: 'STRING_TOO_LONG', problem: M.labelTooLong(fullName, label), field: 'masterLabel' };
  const keySize = raw.keySize ?? undefined;
  if (keySize !== undefined && keySize !== storedKeySize && !(CERTIFICATE_KEY_SIZES as readonly unknown[]).includes(keySize)) {
    return { ok: false, statusCode: 'FIELD_INTEGRITY_EXCEPTION', problem: M.badKeySize(fullName, keySize), field: 'keySize' };
  }
  return {
    ok: true,
    fields: {
      caSigned: raw.caSigned,
      encryptedWithPlatformEncryption: raw.encryptedWithPlatformEncryption === true,
      keySize: keySize as number | undefined,
      masterLabel: label,
      privateKeyExportable: typeof raw.privateKeyExportable === 'boolean' ? raw.privateKeyExportable : undefined,
    },
  };
}

const NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

export function validateCertificateName(fullName: string): string | undefined {
  const ok = fullName.length <= 80 && NAME.test(fullName) && !fullName.endsWith('_');
  return ok ? undefined : M.invalidName(fullName);
}
