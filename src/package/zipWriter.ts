import { Zip, type ZipInputFile } from 'fflate';
import { crc32, deflateRaw, deflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { eventLoopSlices } from '../eventLoopSlices';

const deflate = promisify(deflateRaw);
const DEFLATED = 8;
/** As in zipReader.ts: small entries on the event loop in short batches, large ones on libuv's threads. */
const DEFLATE_ON_THREADS_FROM = 256 * 1024;
const BATCH_MS = 5;

/**
 * Writes a zip of `files` (paths with forward slashes; bytes, or a function that makes them when
 * their turn comes), each entry deflated at level 6 by node's zlib, one at a time, and hands the zip
 * to `out` in order as it streams out; returns its size. The map is emptied as it goes, so a file is
 * let go once deflated. fflate's streaming Zip writes the
 * container around the deflated bytes (its ZipInputFile interface takes data compressed
 * elsewhere): yazl starts a zlib stream for every entry at once, which for 10,000 entries took
 * gigabytes (bench/RESULTS.md).
 */
export async function writeZip(files: Map<string, Buffer | (() => Buffer)>, out: (chunk: Uint8Array) => void, mtime = new Date()): Promise<number> {
  let failed: Error | null = null;
  let size = 0;
  const zip = new Zip((err, chunk) => {
    if (err) failed ??= err;
    else {
      size += chunk.length;
      out(chunk);
    }
  });
  const slices = eventLoopSlices(BATCH_MS);
  for (const [filename, entry] of files) {
    files.delete(filename);
    const bytes = typeof entry === 'function' ? entry() : entry;
    const file: ZipInputFile = { filename, size: bytes.length, crc: crc32(bytes), compression: DEFLATED, mtime };
    zip.add(file);
    const options = { level: 6, chunkSize: Math.max(64, Math.min(bytes.length + 64, 1024 * 1024)) };
    file.ondata!(null, bytes.length < DEFLATE_ON_THREADS_FROM ? deflateRawSync(bytes, options) : await deflate(bytes, options), true);
    if (failed) throw failed;
    if (slices.due()) await slices.next();
  }
  zip.end(); // fflate writes the central directory synchronously here
  if (failed) throw failed;
  return size;
}
