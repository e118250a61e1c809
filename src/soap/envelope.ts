import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ApiFault, Faults } from '../errors';
import { asApiFault } from '../internalErrors';
import { checkXmlBounds } from '../package/xmlBounds';
import { METADATA_NS } from './wsdlSchema';
import { escapeXml } from './xmlWriter';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A parsed XML element as fast-xml-parser gives it: text, or children keyed by local name. */
export type XmlValue = string | { [key: string]: XmlValue | XmlValue[] };

export interface SoapRequest {
  operation: string;
  /** Header elements by local name (SessionHeader, CallOptions, AllOrNoneHeader…). */
  headers: Record<string, XmlValue>;
  body: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/**
 * Reads a SOAP 1.1 request envelope of the partner API (login, logout); anything that is not one is a
 * client fault, never a crash. The Metadata API's requests are read by requestReader.ts.
 */
export function parseEnvelope(xml: string): SoapRequest {
  if (/<!DOCTYPE/i.test(xml)) throw Faults.malformedRequest('DOCTYPE is not allowed in a SOAP message');
  const outOfBounds = checkXmlBounds(xml);
  if (outOfBounds) throw Faults.malformedRequest(`${outOfBounds.problem} at [row,col]: [${outOfBounds.line},${outOfBounds.column}]`);
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    const { msg, line, col } = check.err;
    throw Faults.malformedRequest(`${msg} at [row,col]: [${line},${col}]`);
  }
  let doc: Record<string, XmlValue>;
  try {
    doc = parser.parse(xml) as Record<string, XmlValue>;
  } catch (err) {
    // The validator lets a few things through that the parser then refuses (an unclosed processing
    // instruction after the root: "Pi Tag is not closed."): still the client's malformed message.
    throw Faults.malformedRequest((err as Error).message);
  }
  const envelope = doc.Envelope;
  if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope)) {
    throw Faults.malformedRequest(`The message is not a SOAP envelope: expected {${SOAP_ENV}}Envelope`);
  }
  const body = envelope.Body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw Faults.malformedRequest('The SOAP envelope has no Body');
  const operations = Object.keys(body).filter((k) => !k.startsWith('@_') && k !== '#text');
  if (operations.length !== 1) throw Faults.malformedRequest('The SOAP Body must hold exactly one operation element');
  const operation = operations[0]!;
  const headerNode = envelope.Header;
  const headers: Record<string, XmlValue> = {};
  if (headerNode && typeof headerNode === 'object' && !Array.isArray(headerNode)) {
    for (const [k, v] of Object.entries(headerNode)) if (!k.startsWith('@_')) headers[k] = Array.isArray(v) ? v[0]! : v;
  }
  const opNode = body[operation]!;
  return { operation, headers, body: Array.isArray(opNode) ? opNode[0]! : opNode };
}

/** The session id of a request's SessionHeader, if it has one. */
export function sessionIdOf(headers: Record<string, XmlValue>): string | undefined {
  const header = headers.SessionHeader;
  const id = typeof header === 'object' ? header.sessionId : undefined;
  return typeof id === 'string' ? id : undefined;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** The response envelope exactly as jsforce's non-namespace-aware parser needs it: prefixed Envelope and Body, Body bare. */
export const RESPONSE_OPEN = `${XML_DECL}<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`;
export const RESPONSE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export function responseEnvelope(bodyXml: string): string {
  return `${RESPONSE_OPEN}${bodyXml}${RESPONSE_CLOSE}`;
}

/** A fault envelope; `ns` is the namespace the `sf:` prefix stands for (metadata or partner). */
export function faultEnvelope(fault: ApiFault, ns = METADATA_NS): string {
  return `${XML_DECL}<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:sf="${ns}"><soapenv:Body><soapenv:Fault><faultcode>${escapeXml(fault.faultcode)}</faultcode><faultstring>${escapeXml(fault.faultstring)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}

/** Turns anything thrown by a handler into a fault; an unexpected error is logged and answered without its own text. */
export function asFault(err: unknown): ApiFault {
  return asApiFault(err, 'a SOAP request');
}
