/** What a keystore holds, format aside: bytes only (DER), never a library's objects. */
export type KeystoreEntry =
  | {
    kind: 'privateKey';
    alias: string;
    /** The decrypted key as stored: PKCS#8 PrivateKeyInfo DER when the writer followed the format. */
    privateKeyDer: Buffer;
    /** Leaf first. */
    chain: Buffer[];
    /** When the entry was made, where the format keeps it (JKS). */
    created?: Date;
  }
  | { kind: 'trustedCertificate'; alias: string; certificate: Buffer };

/** An entry to write: one private key and its chain under an alias. */
export interface KeyEntryToWrite {
  alias: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** DER certificates, leaf first. */
  chain: Buffer[];
  created?: Date;
}

export type KeystoreFormat = 'jks' | 'pkcs12';

export type KeystoreProblemCode =
  /** The bytes are no keystore of the format asked for. */
  | 'NOT_A_KEYSTORE'
  /** The store's own integrity check (JKS digest, PKCS#12 MAC) fails: wrong password or altered bytes. */
  | 'PASSWORD_INCORRECT'
  /** A key decrypts with another password than the store's. */
  | 'KEY_PASSWORD_DIFFERS'
  /** The file reads as a keystore but part of it cannot be read. */
  | 'DAMAGED';

/** A keystore that cannot be read, in keytool's terms where keytool has them. */
export class KeystoreError extends Error {
  constructor(readonly code: KeystoreProblemCode, message: string, readonly alias?: string) {
    super(message);
    this.name = 'KeystoreError';
  }
}
