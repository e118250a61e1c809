import type { ServerResponse } from 'node:http';
import type { XmlSink } from '../soap/xmlWriter';

/** Text written before a chunk goes out; smaller answers go out whole, with a Content-Length. */
const FLUSH_AT = 64 * 1024;
/** Bytes encoded to base64 at a time: a multiple of 3, so the slices join into one base64 text. */
const BASE64_SLICE = 48 * 1024;

/**
 * Writes a SOAP answer into the response as it is serialized. An answer that fits in one chunk is
 * sent whole with its length; a larger one (a retrieve's zip, a listing of thousands) goes out in
 * chunks as it is written, so it is never held as one string. `keep` also keeps the whole text,
 * for the answer cache.
 */
export class ResponseSink implements XmlSink {
  private pending = '';
  private started = false;
  private kept: string[] | undefined;

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
    this.res.write(bytes);
  }

  writeBase64(bytes: Buffer): void {
    for (let at = 0; at < bytes.length; at += BASE64_SLICE) this.write(bytes.subarray(at, at + BASE64_SLICE).toString('base64'));
  }

  /** Ends the response; returns the whole text when asked to keep it. */
  end(): string | undefined {
    this.kept?.push(this.pending);
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
    this.res.write(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }
}
