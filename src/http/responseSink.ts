import type { ServerResponse } from 'node:http';
import { PartedBytes, partsOf } from '../soap/partedBytes';
import type { XmlSink } from '../soap/xmlWriter';

/** Text written before a chunk goes out; smaller answers go out whole, with a Content-Length. */
const FLUSH_AT = 64 * 1024;
/** Bytes encoded to base64 at a time: a multiple of 3, so the slices join into one base64 text. */
const BASE64_SLICE = 48 * 1024;
/** Bytes from which base64 goes out at the pace the client reads it (a retrieve's zip), not all at once. */
const PACED_FROM = 1024 * 1024;

/** The base64 of bytes, a slice at a time (parts are read one by one, as the slices are taken). */
function* base64Slices(bytes: Buffer | PartedBytes): Iterable<string> {
  for (const part of partsOf(bytes)) {
    for (let at = 0; at < part.length; at += BASE64_SLICE) yield part.subarray(at, at + BASE64_SLICE).toString('base64');
  }
}

/**
 * Writes a SOAP answer into the response as it is serialized. An answer that fits in one chunk is
 * sent whole with its length; a larger one (a retrieve's zip, a listing of thousands) goes out in
 * chunks as it is written, so it is never held as one string. Large bytes (a retrieve's zip, up to
 * 39 MB) are encoded a slice at a time as the socket drains, after the text before them and before
 * the text after them: written at once, their 52 MB of base64 would wait in the socket's buffer.
 * `keep` also keeps the whole text, for the answer cache.
 */
export class ResponseSink implements XmlSink {
  private pending = '';
  private started = false;
  private kept: string[] | undefined;
  /** What waits behind paced bytes: once one is queued, everything written after it queues too. */
  private paced: (Buffer | { base64: Buffer | PartedBytes })[] | undefined;

  constructor(private readonly res: ServerResponse, status: number, keep = false) {
    res.statusCode = status;
    // jsforce reads SOAP only with this exact content type (anything else: an empty result, then a timeout).
    res.setHeader('Content-Type', 'text/xml; charset=utf-8');
    if (keep) this.kept = [];
  }

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  writeBytes(bytes: Buffer): void {
    // A small piece joins the text, so that a small answer still goes out whole with its length.
    if (bytes.length < FLUSH_AT) return this.write(bytes.toString('utf8'));
    // A large one is sent as it is, after the text before it: never decoded and encoded again.
    this.flush();
    this.kept?.push(bytes.toString('utf8'));
    this.send(bytes);
  }

  writeBase64(bytes: Buffer | PartedBytes): void {
    // Bytes kept in parts are a retrieve's zip: paced too, each part read from the store when it is its turn.
    if ((bytes instanceof PartedBytes || bytes.length >= PACED_FROM) && !this.kept) {
      this.flush();
      (this.paced ??= []).push({ base64: bytes });
      return;
    }
    for (const slice of base64Slices(bytes)) this.write(slice);
  }

  /** Ends the response (once paced bytes have gone out); returns the whole text when asked to keep it. */
  end(): string | undefined {
    this.kept?.push(this.pending);
    if (this.paced) {
      this.flush();
      void this.sendPaced(this.paced);
      return undefined;
    }
    // Encoded once here: the length, the socket and the call log all take the bytes as they are.
    const bytes = Buffer.from(this.pending, 'utf8');
    if (!this.started) this.res.setHeader('Content-Length', bytes.length);
    this.res.end(bytes);
    this.pending = '';
    return this.kept?.join('');
  }

  private flush(): void {
    this.started = true;
    if (!this.pending) return;
    this.kept?.push(this.pending);
    this.send(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }

  private send(bytes: Buffer): void {
    if (this.paced) this.paced.push(bytes);
    else this.res.write(bytes);
  }

  /** Writes the queued parts, each base64 slice when the socket has taken the one before; stops if the client goes. */
  private async sendPaced(parts: (Buffer | { base64: Buffer | PartedBytes })[]): Promise<void> {
    try {
      await this.writeParts(parts);
    } catch (err) {
      this.res.destroy(err as Error); // a store that fails mid-answer (PostgreSQL gone): the client sees the answer cut short
    }
  }

  private async writeParts(parts: (Buffer | { base64: Buffer | PartedBytes })[]): Promise<void> {
    const res = this.res;
    for (const part of parts) {
      if (Buffer.isBuffer(part)) {
        if (!res.write(part) && !(await this.drained())) return;
        continue;
      }
      for (const slice of base64Slices(part.base64)) if (!res.write(slice) && !(await this.drained())) return;
    }
    res.end();
  }

  /** Resolves true once the socket has taken what waited, false if the client has gone. */
  private drained(): Promise<boolean> {
    const res = this.res;
    return new Promise<boolean>((resolve) => {
      if (res.destroyed) return resolve(false);
      const done = (ok: boolean) => () => { res.off('drain', onDrain); res.off('close', onClose); resolve(ok); };
      const onDrain = done(true);
      const onClose = done(false);
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  }
}
