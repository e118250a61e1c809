export const CERTIFICATE_KEY_SIZES = [2048, 4096] as const;
export const DEFAULT_KEY_SIZE = 2048;
export const MASTER_LABEL_MAX = 64;

/** How long a certificate the org makes is valid, by key size (certificate.md). */
export const validityYears = (keySize: number): number => (keySize === 4096 ? 2 : 1);
