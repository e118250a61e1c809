import { randomBytes } from 'node:crypto';
import { ZipCollector, type DeployZip } from '../package/spooledZip';

/** A deploy's ZipFile, decoded as it arrived, and the placeholder that took its place in the message. */
export interface DecodedPayload {
  marker: string;
  /** The decoded zip; undefined when the text held a character base64 has not. */
  zip?: DeployZip;
  /** The text's first characters, for the fault when it is not base64. */
  head: string;
}

/** `<ZipFile>` with any prefix and attributes, not self-closed. */
const OPEN_TAG = /<(?:[A-Za-z_][\w.-]*:)?ZipFile(?:\s[^<>]*)?(?<!\/)>/;
/** Enough of the previous chunk's end to find a tag cut between two chunks. */
const TAIL_CHARS = 512;
const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/;
const TAG_NOT_CLOSED = /ZipFile[^>]*$/;
const LT = 0x3c;

/**
 * Takes a deploy's ZipFile (up to 50 MB of base64) out of a SOAP message as its bytes arrive, decoding
 * it slice by slice into one buffer, and passes the rest of the message on with a short placeholder in
 * its place: the message is then never held as bytes, as text and as decoded zip at once (three times
 * the zip, where this holds it once). Only the ZipFile element is taken: its type is base64Binary, so a
 * character outside base64 makes the request invalid, where another element's long text might be
 * anything. A ZipFile given as CDATA, or empty, is left in the message for the reader. Hand-written:
 * no SOAP or XML library decodes one element's text while the rest of the message streams past.
 * For messages in UTF-8 or a single-byte charset, where each of these characters is the byte it reads as.
 */
export class ZipFileAside {
  private state: 'seeking' | 'run' | 'done' = 'seeking';
  private tail = '';
  private tagOpen = false;
  private carry = '';
  private readonly collected: ZipCollector;
  private scratch?: Buffer;
  private invalid = false;
  private head = '';
  private decoded?: DecodedPayload;

  /**
   * `expectedBytes`: the message's declared length, which bounds the decoded size. `spoolFrom`: the size
   * past which the zip goes to a temporary file rather than stay in memory (package/spooledZip.ts).
   */
  constructor(expectedBytes = 0, spoolFrom?: number) {
    this.collected = new ZipCollector(Math.ceil((expectedBytes * 3) / 4), spoolFrom);
  }

  /** The ZipFile, once its text has ended. */
  get payload(): DecodedPayload | undefined {
    return this.decoded;
  }

  /** The parts of `chunk` the message keeps. */
  push(chunk: Buffer): Buffer[] {
    if (this.state === 'done') return [chunk];
    if (this.state === 'run') return this.run(chunk);
    // Most messages hold no ZipFile: a native search of the bytes, and of the seam with the chunk before, rules it out.
    const seam = this.tail.slice(-6) + chunk.toString('latin1', 0, 6);
    if (!this.tagOpen && chunk.indexOf('ZipFile', 0, 'latin1') < 0 && !seam.includes('ZipFile')) {
      this.tail = (this.tail + chunk.toString('latin1', Math.max(0, chunk.length - TAIL_CHARS))).slice(-TAIL_CHARS);
      return [chunk];
    }
    const text = this.tail + chunk.toString('latin1');
    const tag = OPEN_TAG.exec(text);
    if (!tag) {
      this.tagOpen = TAG_NOT_CLOSED.test(text); // the name came, its '>' has not yet
      this.tail = text.slice(-TAIL_CHARS);
      return [chunk];
    }
    const end = tag.index + tag[0].length - this.tail.length; // the tag ends in this chunk, or it was found before
    this.state = 'run';
    this.tail = '';
    return [chunk.subarray(0, end), ...this.run(chunk.subarray(end))];
  }

  private run(bytes: Buffer): Buffer[] {
    const lt = bytes.indexOf(LT);
    this.decode(lt < 0 ? bytes : bytes.subarray(0, lt));
    if (lt < 0) return [];
    this.state = 'done';
    const rest = bytes.subarray(lt);
    if (this.head === '' && this.carry === '') return [rest]; // nothing but blank space: the reader sees CDATA or nothing
    if (this.carry) this.write(this.carry);
    // Made for a message that has a ZipFile, not for every message: random bytes cost as much as a small read.
    const marker = `lfzip${randomBytes(6).toString('hex')}`;
    if (this.invalid) this.collected.discard();
    this.decoded = { marker, head: this.head, zip: this.invalid ? undefined : this.collected.zip };
    return [Buffer.from(marker, 'latin1'), rest];
  }

  private decode(bytes: Buffer): void {
    let text = bytes.toString('latin1');
    if (this.head.length < 20) this.head = (this.head + text).trimStart().slice(0, 20);
    if (this.invalid) return;
    if (NOT_BASE64.test(text)) {
      this.invalid = true;
      return;
    }
    if (/\s/.test(text)) text = text.replace(/\s+/g, '');
    text = this.carry + text;
    const whole = text.length - (text.length % 4);
    this.carry = text.slice(whole);
    if (whole) this.write(whole === text.length ? text : text.slice(0, whole));
  }

  /** Lets go of a zip read so far: its message was refused before it ended. */
  abandon(): void {
    this.collected.discard();
  }

  private write(base64: string): void {
    // Decoded into one buffer, used again for each slice: the collector copies what it keeps.
    const most = Math.ceil((base64.length * 3) / 4);
    if (!this.scratch || this.scratch.length < most) this.scratch = Buffer.allocUnsafe(Math.max(most, 64 * 1024));
    this.collected.append(this.scratch.subarray(0, this.scratch.write(base64, 0, 'base64')));
  }
}
