import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { NextFunction, Request, Response } from 'express';
import { ApiFault, Faults } from '../errors';
import { faultEnvelope } from '../soap/envelope';
import { HEADER_WINDOW_CHARS, peekSessionId } from '../soap/sessionHeader';
import type { Caller } from '../store/orgs';
import { sendXml } from './xml';

/**
 * Reads a SOAP request body, checking the session as soon as the start of the envelope has arrived:
 * a caller without a valid session gets its fault once 64 KB (or the whole message, if shorter) are
 * in, and the rest is drained unread instead of buffered up to the 50 MB limit. Written by hand
 * because body-parser offers no look at a body before it has read all of it. Leaves the text in
 * `req.body` (as express.text would), the session id and caller in `res.locals`.
 */
export function soapBody(limitBytes: number, callerOf: (sessionId: string | undefined) => Caller, tooLarge: () => ApiFault) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const fault = (f: ApiFault) => sendXml(res, 500, faultEnvelope(f));
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const charset = /charset="?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
    let prefixDecoder: TextDecoder;
    try {
      prefixDecoder = new TextDecoder(charset);
    } catch {
      return fault(Faults.malformedRequest(`The charset ${charset.slice(0, 40)} of the request is not supported`));
    }
    let source: Readable = req;
    if (encoding === 'gzip') source = req.pipe(createGunzip());
    else if (encoding === 'deflate') source = req.pipe(createInflate());
    else if (encoding !== 'identity') return fault(Faults.malformedRequest(`The content encoding ${encoding.slice(0, 40)} of the request is not supported`));

    const chunks: Buffer[] = [];
    let bytes = 0;
    let prefix = '';
    let checked = false;
    let done = false;
    const refuse = (f: ApiFault) => {
      if (done) return;
      done = true;
      if (source !== req) { req.unpipe(); source.on('error', () => undefined); }
      source.removeAllListeners('data');
      req.resume(); // drain what is left, unread, so that the answer can go out
      fault(f);
    };
    const check = (start: string) => {
      checked = true;
      const sessionId = peekSessionId(start);
      try {
        res.locals.caller = callerOf(sessionId);
        res.locals.sessionId = sessionId;
      } catch (err) {
        if (!(err instanceof ApiFault)) throw err;
        refuse(err);
      }
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > limitBytes) return refuse(tooLarge());
      chunks.push(chunk);
      if (!checked) {
        prefix += prefixDecoder.decode(chunk, { stream: true });
        if (prefix.length >= HEADER_WINDOW_CHARS) check(prefix);
      }
    });
    source.on('end', () => {
      if (!checked) check(prefix + prefixDecoder.decode());
      if (done) return;
      done = true;
      req.body = new TextDecoder(charset).decode(Buffer.concat(chunks));
      next();
    });
    const unreadable = (err: Error) => refuse(Faults.malformedRequest(`The request cannot be read: ${err.message}`));
    source.on('error', unreadable);
    if (source !== req) req.on('error', unreadable);
  };
}
