import { readJks, writeJks } from './jks';
import type { KeyEntryToWrite, KeystoreEntry, KeystoreFormat } from './keystoreEntry';
import { readPkcs12, writePkcs12 } from './pkcs12';

export { KeystoreError, type KeyEntryToWrite, type KeystoreEntry, type KeystoreFormat, type KeystoreProblemCode } from './keystoreEntry';

export const KEYSTORE_FORMATS: readonly KeystoreFormat[] = ['jks', 'pkcs12'];

/** A keystore file of `format` holding `entries`, sealed with `password`. */
export function writeKeystore(format: KeystoreFormat, entries: KeyEntryToWrite[], password: string): Buffer {
  return format === 'jks' ? writeJks(entries, password) : writePkcs12(entries, password);
}

/** The entries of a keystore file; throws KeystoreError when it cannot be read with `password`. */
export function readKeystore(format: KeystoreFormat, bytes: Buffer, password: string): KeystoreEntry[] {
  return format === 'jks' ? readJks(bytes, password) : readPkcs12(bytes, password);
}
