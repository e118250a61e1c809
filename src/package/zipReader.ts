import { crc32, inflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackageLimits } from './limits';
import { eventLoopSlices } from '../eventLoopSlices';
import type { DeployZip } from './spooledZip';

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

const invalid = (message: string) => new PackageError('INVALID_OPERATION', message);
const inflate = promisify(inflateRaw);
const STORED = 0;
const DEFLATED = 8;
const LOCAL_HEADER = 0x04034b50;
/**
 * Small entries are inflated on the event loop, where node's zlib takes a few microseconds each
 * (a trip to libuv's threads costs more than the work); large ones on libuv's threads. The loop
 * is handed back between batches, so requests are answered while a large package is read.
 */
const INFLATE_ON_THREADS_FROM = 256 * 1024;
const BATCH_MS = 5;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of a zip in memory or in a spooled file, read by range; what `at` gives is good until its next call. */
interface ZipBytes {
  length: number;
  at(start: number, length: number): Buffer;
}

function bytesOf(zip: DeployZip): ZipBytes {
  if (Buffer.isBuffer(zip)) return { length: zip.length, at: (start, length) => zip.subarray(start, start + length) };
  // Each entry's compressed bytes are read into one buffer, used again: ten thousand reads of their own were
  // the size of the zip again in garbage.
  let scratch = Buffer.alloc(0);
  return {
    length: zip.length,
    at: (start, length) => {
      if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 64 * 1024));
      return zip.read(start, length, scratch);
    },
  };
}

const openZip = (zip: DeployZip) => new Promise<ZipFile>((resolve, reject) => {
  // Names are checked here (decodeStrings false), with messages of our own; sizes of stored entries by yauzl.
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true };
  const done = (err: Error | null, z?: ZipFile) => (err ? reject(err) : resolve(z!));
  if (Buffer.isBuffer(zip)) return yauzl.fromBuffer(zip, options, done);
  yauzl.fromRandomAccessReader(new SpooledReader(zip), zip.length, { ...options, autoClose: false }, done);
});

/**
 * yauzl's reader of the central directory, over a spooled zip. Read at once from the page cache, answered
 * on the next turn as yauzl's own buffer reader answers: a callback made at once would recurse entry by entry.
 */
class SpooledReader extends yauzl.RandomAccessReader {
  constructor(private readonly zip: Exclude<DeployZip, Buffer>) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    let read: number;
    try {
      read = this.zip.read(position, length).copy(buffer, offset);
    } catch (err) {
      return void setImmediate(callback, err as Error);
    }
    setImmediate(callback, null, read);
  }
}

/** The central directory's entries, read without inflating anything. */
function centralDirectory(archive: ZipFile, maxFiles: number): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    let files = 0;
    archive.on('entry', (entry: Entry) => {
      entries.push(entry);
      if (!(entry.fileName as unknown as Buffer).toString('latin1').endsWith('/') && ++files > maxFiles) {
        archive.close();
        return reject(invalid(`The zip file holds more than ${maxFiles} files; the limit is ${maxFiles}`));
      }
      archive.readEntry();
    });
    archive.once('end', () => resolve(entries));
    archive.once('error', reject);
    archive.readEntry();
  });
}

/**
 * An entry's path as the package uses it, or why it cannot be one. Names must be UTF-8 and relative,
 * with forward slashes and no `.` or `..` step: a name that climbs out of the package, or that
 * another tool would read differently, fails the deploy rather than being guessed at.
 */
function pathOf(raw: Buffer): string {
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    throw invalid(`The zip entry name ${JSON.stringify(raw.toString('latin1'))} is not valid UTF-8: zip the package again with UTF-8 file names`);
  }
  // Some zip tools write `./package.xml`: the same file as `package.xml` (and `./` is the root folder).
  const path = name.replace(/^\.\//, '');
  const problem = name.includes('\\') ? 'has a backslash: zip entry names use forward slashes'
    : name.startsWith('/') || /^[A-Za-z]:/.test(name) ? 'is an absolute path: entries must be relative to the package root'
      : name.includes('\0') ? 'holds a NUL character'
        : path !== '' && path.replace(/\/$/, '').split('/').some((step) => step === '..' || step === '.' || step === '')
          ? 'has an empty, "." or ".." step: entries must stay inside the package'
          : undefined;
  if (problem) throw invalid(`The zip entry ${JSON.stringify(name)} ${problem}`);
  return path;
}

/** Where an entry's data starts: past its local header, whose name and extra field may differ from the central directory's. */
function dataStart(zip: ZipBytes, entry: Entry, name: string): number {
  const at = entry.relativeOffsetOfLocalHeader;
  const header = at + 30 > zip.length ? undefined : zip.at(at, 30);
  if (!header || header.readUInt32LE(0) !== LOCAL_HEADER) throw invalid(`The zip entry ${name} has no local header where the directory says`);
  const start = at + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > zip.length) throw invalid(`The zip entry ${name} runs past the end of the zip file`);
  return start;
}

/** Reads one entry's bytes: inflated by node's zlib, never past the size its header declares. */
async function contentOf(entry: Entry, zip: ZipBytes, name: string): Promise<Buffer> {
  if (entry.isEncrypted()) throw invalid(`The zip entry ${name} is encrypted; deploy packages cannot be`);
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw invalid(`The zip entry ${name} uses compression method ${entry.compressionMethod}; only stored and deflated entries can be read`);
  }
  const start = dataStart(zip, entry, name);
  const data = zip.at(start, entry.compressedSize);
  const declared = entry.uncompressedSize;
  let bytes: Buffer;
  if (entry.compressionMethod === STORED) {
    bytes = ownCopy(data); // a view would keep the whole zip, or be overwritten by the next read
  } else {
    try {
      // maxOutputLength stops inflating as soon as the output passes what the header declared,
      // so an entry that lies about its size is refused before it is inflated in full. One chunk of the
      // declared size is the output itself: smaller chunks are joined at the end, twice the bytes in garbage.
      const options = { maxOutputLength: Math.max(1, declared), chunkSize: Math.max(64, declared) };
      bytes = declared < INFLATE_ON_THREADS_FROM ? inflateRawSync(data, options) : await inflate(data, options);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw invalid(`The zip entry ${name} inflates to more than the ${declared} bytes its header declares`);
      }
      throw invalid(`The zip entry ${name} could not be read: ${(err as Error).message}`);
    }
  }
  if (bytes.length !== declared) throw invalid(`The zip entry ${name} holds ${bytes.length} bytes, not the ${declared} its header declares`);
  if (crc32(bytes) !== entry.crc32) throw invalid(`The zip entry ${name} is damaged: its checksum does not match`);
  // Node lends buffers under 4 KB out of shared 8 KB slabs, and zlib's output is one: a file kept until the
  // deploy commits would keep its slab, and whatever else was cut from it, alive (20 MB of slabs for the 8 MB
  // of a package of 5,000 classes). Small files get memory of their own; a stored entry's copy has it already.
  return entry.compressionMethod !== STORED && bytes.length < Buffer.poolSize >>> 1 ? ownCopy(bytes) : bytes;
}

/** The bytes copied into memory of their own, never a slice of Node's shared pool. */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/**
 * Reads a deploy zip within the service's limits; every way it can be wrong is a PackageError.
 * yauzl reads the central directory; node's zlib inflates the entries. Counts, names and declared
 * sizes are checked before anything is inflated.
 */
export async function readZip(zip: DeployZip, limits = PackageLimits): Promise<ZipEntries> {
  if (zip.length === 0) throw invalid('No zip file content passed in');
  if (zip.length > limits.maxZipBytes) {
    throw invalid(`The zip file is ${zip.length} bytes; the limit for a deploy is ${limits.maxZipBytes} bytes compressed`);
  }
  let archive: ZipFile;
  let entries: Entry[];
  try {
    archive = await openZip(zip);
    entries = await centralDirectory(archive, limits.maxFiles);
  } catch (err) {
    if (err instanceof PackageError) throw err;
    throw invalid(`The zip file could not be read: ${(err as Error).message}`);
  }
  const files: { path: string; entry: Entry }[] = [];
  const seen = new Set<string>();
  let declared = 0;
  for (const entry of entries) {
    const path = pathOf(entry.fileName as unknown as Buffer);
    if (path === '' || path.endsWith('/')) continue; // a folder
    if (seen.has(path)) throw invalid(`The zip file holds ${path} twice`);
    seen.add(path);
    declared += entry.uncompressedSize;
    files.push({ path, entry });
  }
  if (files.length === 0) throw invalid('No zip file content passed in');
  if (declared > limits.maxUncompressedBytes) {
    throw invalid(`The zip file holds ${declared} bytes uncompressed; the limit is ${limits.maxUncompressedBytes} bytes`);
  }
  refuseOverlaps(files.map((f) => f.entry));

  const bytes = bytesOf(zip);
  const out = new Map<string, Buffer>();
  const slices = eventLoopSlices(BATCH_MS);
  for (const { path, entry } of files) {
    out.set(path, await contentOf(entry, bytes, path));
    if (slices.due()) await slices.next();
  }
  return { files: out };
}

/**
 * Entries whose data overlap are how some zip bombs multiply a small file: each entry's local
 * header must start past the end of the previous entry's compressed data.
 */
function refuseOverlaps(entries: Entry[]): void {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    // 30 bytes of fixed local header, then at least the name, before the data.
    if (previous.relativeOffsetOfLocalHeader + 30 + previous.fileNameLength + previous.compressedSize > sorted[i]!.relativeOffsetOfLocalHeader) {
      throw invalid('The zip file has entries that share their data: it is not a package a zip tool writes');
    }
  }
}
