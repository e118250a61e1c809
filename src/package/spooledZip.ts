import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A deploy's zip written to a temporary file as it arrives, so that a large package is not also held in
 * memory while its files are read (a 39 MB zip stayed in the heap until the deploy ended: the garbage
 * collector does not hurry for a buffer let go). The file is unlinked as soon as it is opened where the
 * system allows it (every POSIX one): nothing is left behind by a crash, and its space returns when the
 * descriptor closes. Reads are synchronous: each is one entry's compressed bytes, from the page cache.
 */
export class SpooledZip {
  private fd: number | undefined;
  private readonly path: string;
  private unlinked = false;
  private written = 0;
  /** Set by whoever takes the zip on (a deploy); until then the request that brought it discards it. */
  adopted = false;

  constructor(directory = tmpdir()) {
    this.path = join(directory, `localforce-deploy-${process.pid}-${randomBytes(8).toString('hex')}.zip`);
    this.fd = unwritable(() => openSync(this.path, 'wx+', 0o600), directory);
    try {
      unlinkSync(this.path);
      this.unlinked = true;
    } catch {
      // Windows keeps an open file's name: it goes in discard().
    }
  }

  get length(): number {
    return this.written;
  }

  append(bytes: Buffer): void {
    const fd = this.descriptor();
    unwritable(() => writeSync(fd, bytes, 0, bytes.length, this.written), dirname(this.path));
    this.written += bytes.length;
  }

  /** `length` bytes from `start` (fewer past the end), in `into` when given (it must hold them). */
  read(start: number, length: number, into?: Buffer): Buffer {
    const wanted = Math.max(0, Math.min(length, this.written - start));
    const out = into ?? Buffer.allocUnsafe(wanted);
    let done = 0;
    while (done < wanted) {
      const n = readSync(this.descriptor(), out, done, wanted - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done === out.length ? out : out.subarray(0, done);
  }

  /** The whole zip in memory (a validation's, kept for deployRecentValidation). */
  bytes(): Buffer {
    return this.read(0, this.written);
  }

  /** Closes and removes the file; harmless twice. */
  discard(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    if (!this.unlinked) {
      try { unlinkSync(this.path); } catch { /* already gone */ }
    }
  }

  private descriptor(): number {
    if (this.fd === undefined) throw new Error('The deploy zip was already discarded');
    return this.fd;
  }
}

/** Runs a write to the temporary folder; its failure (a full disk, no such folder) says what it was for. */
function unwritable<T>(write: () => T, directory: string): T {
  try {
    return write();
  } catch (err) {
    throw new Error(`The deploy's zip could not be written to a temporary file in ${directory}: ${(err as Error).message}`);
  }
}

/** A deploy's zip: its bytes, or the temporary file a large one was written to. */
export type DeployZip = Buffer | SpooledZip;

/** The zip as bytes in memory, read from its file if it was spooled. */
export const zipBytes = (zip: DeployZip): Buffer => (Buffer.isBuffer(zip) ? zip : zip.bytes());

/** Lets a spooled zip's file go; a zip in memory needs nothing. */
export function discardZip(zip: DeployZip | undefined): void {
  if (zip && !Buffer.isBuffer(zip)) zip.discard();
}

/** A zip larger than this is written to a temporary file as it arrives. */
export const SPOOL_FROM_BYTES = 8 * 1024 * 1024;

/**
 * Gathers a deploy's zip as its bytes arrive (a SOAP message's decoded ZipFile, a REST request's file part):
 * in one buffer while it is small, in a SpooledZip once it passes `spoolFrom` bytes, or from the start when the
 * size it announces (`expectedBytes`) does.
 */
export class ZipCollector {
  private buffer?: Buffer;
  private length = 0;
  private spooled?: SpooledZip;

  constructor(private readonly expectedBytes = 0, private readonly spoolFrom = SPOOL_FROM_BYTES) {}

  append(bytes: Buffer): void {
    if (!this.spooled && Math.max(this.expectedBytes, this.length + bytes.length) > this.spoolFrom) {
      this.spooled = new SpooledZip();
      if (this.buffer) this.spooled.append(this.buffer.subarray(0, this.length));
      this.buffer = undefined;
    }
    if (this.spooled) return this.spooled.append(bytes);
    // Made at the first bytes, sized by the announced length when there is one.
    this.buffer ??= Buffer.allocUnsafe(Math.max(bytes.length, this.expectedBytes));
    if (this.length + bytes.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes.length));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += bytes.copy(this.buffer, this.length);
  }

  /** The zip gathered: empty when no byte came. */
  get zip(): DeployZip {
    return this.spooled ?? (this.buffer ? this.buffer.subarray(0, this.length) : Buffer.alloc(0));
  }

  /** Lets go of what was gathered: its request was refused before it ended. */
  discard(): void {
    this.spooled?.discard();
    this.buffer = undefined;
  }
}

/** Discards a spooled zip that no deploy took on (its request failed, or was not a deploy). */
export function discardUnadopted(zip: DeployZip | undefined): void {
  if (zip && !Buffer.isBuffer(zip) && !zip.adopted) zip.discard();
}
