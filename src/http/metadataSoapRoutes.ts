import express, { type Request, type Response, type Router } from 'express';
import { parseApiVersion } from '../apiVersions';
import { ApiFault, Faults } from '../errors';
import { OPERATIONS } from '../operations';
import type { Services } from '../services';
import { asFault, faultEnvelope, parseEnvelope, responseEnvelope, sessionIdOf } from '../soap/envelope';
import { XmlReader, type XmlValue } from '../soap/xmlReader';
import { XmlWriter } from '../soap/xmlWriter';
import { PackageLimits } from '../package/limits';
import { ReadResponseCache } from './readResponseCache';
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
  const text = express.text({ type: () => true, limit: PackageLimits.maxSoapMessageBytes });

  router.get(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], (req: Request, res: Response) => {
    const version = parseApiVersion(req.params.version!);
    if (version === undefined) return sendXml(res, 500, faultEnvelope(Faults.unsupportedApiVersion()));
    sendXml(res, 200, services.schema.withLocation(`${baseUrl(req)}/services/Soap/m/${version.toFixed(1)}`));
  });

  router.post(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], text, async (req: Request, res: Response) => {
    try {
      const apiVersion = parseApiVersion(req.params.version!);
      if (apiVersion === undefined) throw Faults.unsupportedApiVersion();
      const body = typeof req.body === 'string' ? req.body : '';
      const cached = cache.get(req.path, body);
      if (cached) {
        res.locals.orgId = cached.orgId;
        return sendXml(res, 200, cached.xml);
      }
      const request = parseEnvelope(body);
      res.locals.operation = request.operation;
      const operation = OPERATIONS[request.operation];
      if (!operation) throw Faults.noSuchOperation(request.operation);
      const sessionId = sessionIdOf(request.headers);
      const caller = services.orgs.caller(sessionId);
      res.locals.caller = caller;
      const revision = services.store.components.revision(caller.org.id);
      const input = reader.element(request.operation, request.body, operation.aliases);
      const result = await operation.handle(input, { caller, services, apiVersion, allOrNone: allOrNoneOf(request.headers) });
      const xml = responseEnvelope(writer.response(request.operation, result));
      if (ReadResponseCache.cacheable(request.operation)) cache.set(req.path, body, { sessionId: sessionId!.trim(), orgId: caller.org.id, revision, xml });
      sendXml(res, 200, xml);
    } catch (err) {
      if (!(err instanceof ApiFault)) res.locals.unexpectedError = err;
      sendXml(res, 500, faultEnvelope(asFault(err)));
    }
  });
  return router;
}
