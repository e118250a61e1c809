/**
 * The SOAP body reader checks the session from the start of the message, in a stream's events: any
 * failure there (a fault, or a store that is down) must still answer the call with a SOAP fault.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from '../../../src/errors';
import { soapBody } from '../../../src/http/soapBody';
import type { Caller } from '../../../src/store/orgs';

const ENVELOPE = '<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
  + '<env:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>00Dabc!token</sessionId></SessionHeader></env:Header>'
  + '<env:Body><listMetadata xmlns="http://soap.sforce.com/2006/04/metadata"/></env:Body></env:Envelope>';

let server: Server;
let lookup: (sessionId: string | undefined) => Caller;
const seen: string[] = [];

beforeAll(async () => {
  const read = soapBody(1024 * 1024, (id) => lookup(id), () => Faults.soapMessageTooLarge(1024 * 1024));
  server = createServer((req, res) => read(req, res, (_text, sessionId) => {
    seen.push(sessionId);
    res.end('read');
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (body = ENVELOPE) => {
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  return { status: res.status, text: await res.text() };
};

describe('soapBody', () => {
  it('hands the text and the session it checked to the reader', async () => {
    lookup = () => ({}) as Caller;
    expect(await post()).toEqual({ status: 200, text: 'read' });
    expect(seen).toEqual(['00Dabc!token']);
  });

  it('answers a refused session with its own fault', async () => {
    lookup = () => { throw Faults.invalidSession(); };
    const { status, text } = await post();
    expect(status).toBe(500);
    expect(text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
  });

  it('answers a store that fails during the session check with UNKNOWN_EXCEPTION and an ErrorId, not silence', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      lookup = () => { throw new Error('The PostgreSQL store did not answer'); };
      const { status, text } = await post();
      expect(status).toBe(500);
      expect(text).toMatch(/<faultcode>sf:UNKNOWN_EXCEPTION<\/faultcode><faultstring>UNKNOWN_EXCEPTION: An unexpected error occurred\. Please include this ErrorId if you contact support: \d+-\d+ \(-?\d+\)<\/faultstring>/);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('The PostgreSQL store did not answer'));
    } finally {
      errors.mockRestore();
    }
  });
});
