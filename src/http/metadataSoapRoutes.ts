import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseApiVersion } from '../apiVersions';
import { ApiFault, Faults } from '../errors';
import { OPERATIONS } from '../operations';
import type { Services } from '../services';
import { asFault, faultEnvelope, RESPONSE_CLOSE, RESPONSE_OPEN } from '../soap/envelope';
import { RequestReader } from '../soap/requestReader';
import { XmlWriter } from '../soap/xmlWriter';
import { PackageLimits } from '../package/limits';
import type { Caller } from '../store/orgs';
import { onMutualTls } from './mutualTls';
import { ReadResponseCache } from './readResponseCache';
import { ResponseSink } from './responseSink';
import { soapBody } from './soapBody';
import { baseUrl, sendXml } from './xml';

export interface MetadataSoapOptions {
  /** false: every request is answered afresh (see readResponseCache.ts). */
  answerCache?: boolean;
}

/** The Metadata API's SOAP endpoint: `/services/Soap/m/<version>[/<orgId>]`, and its WSDL on GET `?wsdl`. */
export function metadataSoapRoutes(services: Services, options: MetadataSoapOptions = {}): Router {
  const router = express.Router();
  const reader = new RequestReader(services.schema, (operation) => OPERATIONS[operation]?.aliases);
  const writer = new XmlWriter(services.schema);
  // On a shared store other servers write components this one never hears of, so nothing is kept.
  const cache = options.answerCache === false || services.store.shared ? undefined : new ReadResponseCache(services.store);
  // Every operation here needs a session: a caller without one is refused from the start of the message, unread.
  const text = soapBody(PackageLimits.maxSoapMessageBytes, (sessionId) => services.orgs.caller(sessionId),
    () => Faults.soapMessageTooLarge(PackageLimits.maxSoapMessageBytes));

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
      // On the mutual TLS listener every call checks its certificate against the session's org first.
      if (onMutualTls(res)) services.mutualAuth.authorize(caller, res.locals.clientCertificate as string);
      const cached = onMutualTls(res) ? undefined : cache?.get(req.path, body);
      if (cached) return sendXml(res, 200, cached);
      const request = reader.read(body);
      res.locals.operation = request.operation;
      // The session checked from the message's start must be the one its parsed header names.
      if ((request.headers.SessionHeader?.sessionId as string | undefined)?.trim() !== sessionId) throw Faults.invalidSession();
      const operation = OPERATIONS[request.operation];
      if (!operation) throw Faults.noSuchOperation(request.operation);
      const revision = services.store.components.revision(caller.org.id);
      const allOrNone = request.headers.AllOrNoneHeader?.allOrNone === true;
      const result = await operation.handle(request.input, { caller, services, apiVersion, allOrNone });
      const keep = !!cache && ReadResponseCache.cacheable(request.operation);
      const out = new ResponseSink(res, 200, keep);
      out.write(RESPONSE_OPEN);
      writer.writeResponse(out, request.operation, result);
      out.write(RESPONSE_CLOSE);
      const xml = out.end();
      if (keep) cache!.set(req.path, body, { orgId: caller.org.id, revision, xml: xml! });
    } catch (err) {
      if (res.headersSent) return void res.destroy(err as Error); // a fault cannot follow half an answer
      sendXml(res, 500, faultEnvelope(asFault(err)));
    }
  });
  return router;
}
