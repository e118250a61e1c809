import express, { type Request, type Response, type Router } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { parseApiVersion } from '../apiVersions';
import { executeAnonymous, type AnonymousResult } from '../apexRuns/anonymousApex';
import { Faults } from '../errors';
import type { Services } from '../services';
import { asFault, faultEnvelope, parseEnvelope, sessionIdOf } from '../soap/envelope';
import { escapeXml } from '../soap/xmlWriter';
import { asyncRoute } from './asyncRoute';
import { sessionCaller } from './mutualTls';
import { sendXml } from './xml';

const APEX_NS = 'http://soap.sforce.com/2006/08/apex';

/**
 * The answer as the sf CLI reads it: jsforce hands it the parsed document under the literal keys
 * `soapenv:Envelope`, `soapenv:Header` and `soapenv:Body`, so the prefix is `soapenv` and nothing else.
 */
const envelope = (header: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${APEX_NS}" ` +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header>${header}</soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

const element = (name: string, value: string | number | boolean | null) =>
  value === null ? `<${name} xsi:nil="true"/>` : `<${name}>${escapeXml(String(value))}</${name}>`;

function resultXml(r: AnonymousResult): string {
  return '<executeAnonymousResponse><result>' +
    element('column', r.column) + element('compileProblem', r.compileProblem) + element('compiled', r.compiled) +
    element('exceptionMessage', r.exceptionMessage) + element('exceptionStackTrace', r.exceptionStackTrace) + element('line', r.line) +
    element('success', r.success) + '</result></executeAnonymousResponse>';
}

/** The code exactly as sent: the envelope reader trims text, which would move every line number of a block that starts with a blank line. */
const untrimmed = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: false, processEntities: true, ignoreAttributes: true });

function apexCodeOf(xml: string): string {
  const doc = untrimmed.parse(xml) as { Envelope?: { Body?: { executeAnonymous?: { apexcode?: unknown } } } };
  const code = doc.Envelope?.Body?.executeAnonymous?.apexcode;
  if (typeof code !== 'string') throw Faults.malformedRequest('executeAnonymous needs its Apex code in <apexcode>');
  return code;
}

/**
 * The Apex SOAP API's executeAnonymous (`/services/Soap/s/<version>/<org id>`), which `sf apex run` calls:
 * Localforce compiles the block and answers under the org's anonymous Apex policy (src/apexRuns/anonymousApex.ts).
 */
export function apexSoapRoutes(services: Services): Router {
  const router = express.Router();
  router.post(['/services/Soap/s/:version', '/services/Soap/s/:version/*'], express.text({ type: () => true, limit: '1mb' }), asyncRoute(async (req: Request, res: Response) => {
    try {
      const version = parseApiVersion(req.params.version!);
      if (version === undefined) throw Faults.unsupportedApiVersion();
      const xml = typeof req.body === 'string' ? req.body : '';
      const request = parseEnvelope(xml);
      res.locals.operation = request.operation;
      const caller = sessionCaller(services, res, sessionIdOf(request.headers));
      res.locals.caller = caller;
      if (request.operation !== 'executeAnonymous') {
        throw Faults.invalidOperation(`The Apex API of Localforce serves executeAnonymous only, not ${request.operation}`);
      }
      const result = executeAnonymous(services, caller, apexCodeOf(xml), {
        apiVersion: version.toFixed(1), operation: `/services/Soap/s/${version.toFixed(1)}/${caller.org.id}`,
      });
      sendXml(res, 200, envelope(`<DebuggingInfo>${element('debugLog', result.debugLog)}</DebuggingInfo>`, resultXml(result)));
    } catch (err) {
      sendXml(res, 500, faultEnvelope(asFault(err), APEX_NS));
    }
  }));
  return router;
}
