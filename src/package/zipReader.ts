import JSZip from 'jszip';
import { PackageLimits } from './limits';

/** A package-level problem that fails the whole deploy (errorStatusCode + errorMessage). */
export class PackageError extends Error {
  constructor(readonly statusCode: string, message: string) {
    super(message);
  }
}

export interface ZipEntries {
  /** File paths (forward slashes, no leading slash) to their bytes; folders are not listed. */
  files: Map<string, Buffer>;
}

// JSZip keeps the central directory's sizes on a private field; reading them lets us refuse a
// zip bomb before inflating anything, which no public JSZip API offers.
interface CentralDirectoryInfo { _data?: { uncompressedSize?: number } }

/** Reads a deploy zip within the service's limits; every way it can be wrong is a PackageError. */
export async function readZip(zip: Buffer, limits = PackageLimits): Promise<ZipEntries> {
  if (zip.length === 0) throw new PackageError('INVALID_OPERATION', 'No zip file content passed in');
  if (zip.length > limits.maxZipBytes) {
    throw new PackageError('INVALID_OPERATION',
      `The zip file is ${zip.length} bytes; the limit for a deploy is ${limits.maxZipBytes} bytes compressed`);
  }
  let archive: JSZip;
  try {
    archive = await JSZip.loadAsync(zip, { checkCRC32: true });
  } catch (err) {
    throw new PackageError('INVALID_OPERATION', `The zip file could not be read: ${(err as Error).message}`);
  }
  const entries = Object.values(archive.files).filter((f) => !f.dir);
  if (entries.length === 0) throw new PackageError('INVALID_OPERATION', 'No zip file content passed in');
  if (entries.length > limits.maxFiles) {
    throw new PackageError('INVALID_OPERATION', `The zip file holds ${entries.length} files; the limit is ${limits.maxFiles}`);
  }
  const declared = entries.reduce((sum, f) => sum + ((f as unknown as CentralDirectoryInfo)._data?.uncompressedSize ?? 0), 0);
  if (declared > limits.maxUncompressedBytes) {
    throw new PackageError('INVALID_OPERATION',
      `The zip file holds ${declared} bytes uncompressed; the limit is ${limits.maxUncompressedBytes} bytes`);
  }
  const files = new Map<string, Buffer>();
  let total = 0;
  for (const entry of entries) {
    // JSZip already resolves `..` in entry names on load, so nothing can point outside the package.
    const path = entry.name.replace(/\\/g, '/').replace(/^\.?\/+/, '');
    let bytes: Buffer;
    try {
      bytes = await entry.async('nodebuffer');
    } catch (err) {
      throw new PackageError('INVALID_OPERATION', `The zip entry ${entry.name} could not be read: ${(err as Error).message}`);
    }
    total += bytes.length;
    if (total > limits.maxUncompressedBytes) {
      throw new PackageError('INVALID_OPERATION', `The zip file holds more than ${limits.maxUncompressedBytes} bytes uncompressed`);
    }
    files.set(path, bytes);
  }
  return { files };
}
