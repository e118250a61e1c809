/** The key sizes a deploy can ask the org to make. */
export const CERTIFICATE_KEY_SIZES = [2048, 4096] as const;
/** The key sizes a keystore import accepts (the help's rule); a 3072-bit certificate exists only that way. */
export const IMPORTED_KEY_SIZES = [2048, 3072, 4096] as const;
export const DEFAULT_KEY_SIZE = 2048;
export const MASTER_LABEL_MAX = 64;

/** How long a certificate the org makes is valid, by key size: 2048 and 3072 bits 1 year, 4096 bits 2. */
export const validityYears = (keySize: number): number => (keySize === 4096 ? 2 : 1);
