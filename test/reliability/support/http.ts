import { request } from 'node:http';
import type { ServerProcess } from './serverProcess';

export interface Answer { status: number; text: string; path: string }

/** One raw HTTP request (any method, header or body), failing if no answer comes within `timeoutMs`. */
export function send(server: { url: string }, method: string, path: string, headers: Record<string, string>, body?: string | Buffer, timeoutMs = 20_000): Promise<Answer> {
  // Node sends a DELETE's or OPTIONS' body without framing unless told its length.
  const framed = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers: framed, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), path }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms (the server hangs)`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What every answer must be: a 2xx-4xx, or on a SOAP path a SOAP fault that is not an internal error;
 * and the server must stay up and answer health right after.
 */
export async function expectSound(server: ServerProcess, answer: Answer, input: string): Promise<void> {
  const soapFault = answer.path.startsWith('/services/Soap/') && answer.status === 500 && /<faultcode>[^<]+<\/faultcode>/.test(answer.text);
  if (answer.status >= 500 && !soapFault) throw new Error(`${answer.status} to ${input.slice(0, 300)}:\n${answer.text.slice(0, 500)}`);
  if (/UNKNOWN_EXCEPTION/.test(answer.text)) throw new Error(`an internal error for ${input.slice(0, 300)}:\n${answer.text.slice(0, 500)}`);
  const health = await send(server, 'GET', '/_localforce/health', {}, undefined, 5_000);
  if (health.status !== 200 || !server.alive()) throw new Error(`the server is down after ${input.slice(0, 300)}`);
}

export const SOAP_HEADERS = { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '""' };

export const envelope = (body: string, sessionId: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${sessionId}</sessionId></SessionHeader></soapenv:Header>` +
  `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A Metadata API call of `token`'s session, its body inside the envelope, sent raw. */
export const soapCall = (server: { url: string }, token: string, body: string) =>
  send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS, envelope(body, token));

/** checkDeployStatus of a deploy, without details: the answer's text. */
export const deployStatus = async (server: { url: string }, token: string, id: string) =>
  (await soapCall(server, token, `<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>false</includeDetails></checkDeployStatus>`)).text;

/** The names of the org's certificates, sorted, as listMetadata gives them. */
export async function certificateNames(server: { url: string }, token: string): Promise<string[]> {
  const answer = await soapCall(server, token, '<listMetadata><queries><type>Certificate</type></queries><asOfVersion>66.0</asOfVersion></listMetadata>');
  return [...answer.text.matchAll(/<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]!).sort();
}
