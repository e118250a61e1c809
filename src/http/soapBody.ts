import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiFault, Faults } from '../errors';
import { asFault, faultEnvelope } from '../soap/envelope';
import { HEADER_WINDOW_CHARS, peekSessionId } from '../soap/sessionHeader';
import { ZipFileAside, type DecodedPayload } from '../soap/zipFileAside';
import { discardUnadopted } from '../package/spooledZip';
import type { Caller } from '../store/orgs';
import { localsOf, type RequestWithBody } from './callContext';
import { sendXml } from './xml';

/** One decoder per charset a client has named (a few at most): whole texts only, so it keeps no state between messages. */
const decoders = new Map<string, TextDecoder>();
function decoderOf(charset: string): TextDecoder | undefined {
  const label = charset.toLowerCase();
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      return undefined;
    }
    decoders.set(label, decoder);
  }
  return decoder;
}

export type SoapBodyReader = (req: IncomingMessage, res: ServerResponse, read: (text: string, sessionId: string, caller: Caller, zipFile?: DecodedPayload) => void) => void;

/**
 * Reads a SOAP request body, checking the session as soon as the start of the envelope has arrived:
 * a caller without a valid session gets its fault once 64 KB (or the whole message, if shorter) are
 * in, and the rest is drained unread instead of buffered up to the 50 MB limit. Written by hand
 * because body-parser offers no look at a body before it has read all of it. Hands the text, the
 * session id and its caller to `read` (and leaves the text in `req.body` for the call log, as
 * express.text would, and the caller in the call's locals). A deploy's ZipFile is decoded as it
 * arrives and handed over apart (soap/zipFileAside.ts).
 */
export function soapBody(limitBytes: number, callerOf: (sessionId: string | undefined) => Caller, tooLarge: () => ApiFault): SoapBodyReader {
  return (req, res, read) => {
    const fault = (f: ApiFault) => sendXml(res, 500, faultEnvelope(f));
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const charset = /charset="?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
    const decoder = decoderOf(charset);
    if (!decoder) return fault(Faults.malformedRequest(`The charset ${charset.slice(0, 40)} of the request is not supported`));
    let source: Readable = req;
    if (encoding === 'gzip') source = req.pipe(createGunzip());
    else if (encoding === 'deflate') source = req.pipe(createInflate());
    else if (encoding !== 'identity') return fault(Faults.malformedRequest(`The content encoding ${encoding.slice(0, 40)} of the request is not supported`));

    // Where each character is the byte it reads as; a message in UTF-16 is read whole, as it came.
    let aside = decoder.encoding === 'utf-8' || decoder.encoding === 'windows-1252'
      ? new ZipFileAside(encoding === 'identity' ? Number(req.headers['content-length']) || 0 : 0) : undefined;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let checked = false;
    let done = false;
    let sessionId: string | undefined;
    let caller: Caller | undefined;
    const refuse = (f: ApiFault) => {
      if (done) return;
      done = true;
      aside?.abandon();
      if (source !== req) { req.unpipe(); source.on('error', () => undefined); }
      source.removeAllListeners('data');
      req.resume(); // drain what is left, unread, so that the answer can go out
      fault(f);
    };
    const check = (start: string) => {
      checked = true;
      sessionId = peekSessionId(start);
      try {
        caller = localsOf(res).caller = callerOf(sessionId);
      } catch (err) {
        // Thrown here, in a stream's event, an error would escape every handler and leave the call
        // unanswered: a store that fails (PostgreSQL gone) gets its UNKNOWN_EXCEPTION fault as anywhere else.
        refuse(asFault(err));
      }
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > limitBytes) return refuse(tooLarge());
      try {
        if (aside) for (const part of aside.push(chunk)) chunks.push(part);
        else chunks.push(chunk);
      } catch (err) {
        return refuse(Faults.unknownException((err as Error).message)); // a large zip's temporary file could not be written
      }
      // Once the window is in (it has at least as many bytes as characters), before the rest arrives.
      if (!checked && bytes >= HEADER_WINDOW_CHARS) check(decoder.decode(Buffer.concat(chunks)));
    });
    source.on('end', () => {
      if (done) return;
      const text = decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      if (!checked) check(text); // a message shorter than the window: checked whole, decoded once
      if (done) return;
      done = true;
      const zipFile = aside?.payload;
      // The call log shows the zip by its size, as it shows any long base64 (log/redact.ts).
      (req as RequestWithBody).body = zipFile?.zip ? text.replace(zipFile.marker, `[base64 data, ${zipFile.zip.length.toLocaleString('en-US')} bytes]`) : text;
      // A zip spooled to a file that no deploy took on (a fault, another operation) is let go with its call.
      if (zipFile?.zip) res.once('close', () => discardUnadopted(zipFile.zip));
      aside = undefined; // the zip is the reader's now: the stream's listeners keep no hold on it
      read(text, sessionId!, caller!, zipFile);
    });
    const unreadable = (err: Error) => refuse(Faults.malformedRequest(`The request cannot be read: ${err.message}`));
    source.on('error', unreadable);
    if (source !== req) req.on('error', unreadable);
  };
}
