import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseApiVersion } from '../apiVersions';
import { Faults } from '../errors';
import { OPERATIONS } from '../operations';
import type { Services } from '../services';
import { asFault, faultEnvelope, parseEnvelope, responseEnvelope, sessionIdOf } from '../soap/envelope';
import { XmlReader, type XmlValue } from '../soap/xmlReader';
import { XmlWriter } from '../soap/xmlWriter';
import { PackageLimits } from '../package/limits';
import type { Caller } from '../store/orgs';
import { ReadResponseCache } from './readResponseCache';
import { soapBody } from './soapBody';
import { baseUrl, sendXml } from './xml';

const allOrNoneOf = (headers: Record<string, XmlValue>): boolean => {
  const header = headers.AllOrNoneHeader;
  const v = typeof header === 'object' ? header.allOrNone : undefined;
  return v === 'true' || v === '1';
};

/** The Metadata API's SOAP endpoint: `/services/Soap/m/<version>[/<orgId>]`, and its WSDL on GET `?wsdl`. */
export function metadataSoapRoutes(services: Services): Router {
  const router = express.Router();
  const reader = new XmlReader(services.schema);
  const writer = new XmlWriter(services.schema);
  const cache = new ReadResponseCache(services.store);
  // Every operation here needs a session: a caller without one is refused from the start of the message, unread.
  const text = soapBody(PackageLimits.maxSoapMessageBytes, (sessionId) => services.orgs.caller(sessionId),
    () => Faults.invalidOperation(`The SOAP message is larger than the ${PackageLimits.maxSoapMessageBytes / 1024 / 1024} MB limit`));

  router.get(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], (req: Request, res: Response) => {
    const version = parseApiVersion(req.params.version!);
    if (version === undefined) return sendXml(res, 500, faultEnvelope(Faults.unsupportedApiVersion()));
    sendXml(res, 200, services.schema.withLocation(`${baseUrl(req)}/services/Soap/m/${version.toFixed(1)}`));
  });

  // The version in the URL is checked first: it costs nothing and needs no body.
  const version = (req: Request, res: Response, next: NextFunction) => {
    res.locals.apiVersion = parseApiVersion(req.params.version!);
    if (res.locals.apiVersion === undefined) return sendXml(res, 500, faultEnvelope(Faults.unsupportedApiVersion()));
    next();
  };

  router.post(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], version, text, async (req: Request, res: Response) => {
    try {
      const apiVersion = res.locals.apiVersion as number;
      const body = typeof req.body === 'string' ? req.body : '';
      const sessionId = res.locals.sessionId as string;
      const caller = res.locals.caller as Caller;
      const cached = cache.get(req.path, body);
      if (cached) return sendXml(res, 200, cached);
      const request = parseEnvelope(body);
      if (sessionIdOf(request.headers)?.trim() !== sessionId) throw Faults.invalidSession();
      const operation = OPERATIONS[request.operation];
      if (!operation) throw Faults.noSuchOperation(request.operation);
      const revision = services.store.components.revision(caller.org.id);
      const input = reader.element(request.operation, request.body, operation.aliases);
      const result = await operation.handle(input, { caller, services, apiVersion, allOrNone: allOrNoneOf(request.headers) });
      const xml = responseEnvelope(writer.response(request.operation, result));
      if (ReadResponseCache.cacheable(request.operation)) cache.set(req.path, body, { sessionId: sessionId!, orgId: caller.org.id, revision, xml });
      sendXml(res, 200, xml);
    } catch (err) {
      sendXml(res, 500, faultEnvelope(asFault(err)));
    }
  });
  return router;
}
