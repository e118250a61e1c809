import express, { type Request, type Response, type Router } from 'express';
import { parseApiVersion } from '../apiVersions';
import { Faults } from '../errors';
import { OPERATIONS } from '../operations';
import type { Services } from '../services';
import { asFault, faultEnvelope, RESPONSE_CLOSE, RESPONSE_OPEN } from '../soap/envelope';
import { RequestReader } from '../soap/requestReader';
import { XmlWriter } from '../soap/xmlWriter';
import { PackageLimits } from '../package/limits';
import { onMutualTls, sessionCaller } from './mutualTls';
import { ReadResponseCache } from './readResponseCache';
import { ResponseSink } from './responseSink';
import { baseUrl, sendXml } from './xml';

export interface MetadataSoapOptions {
  /** false: every request is answered afresh (see readResponseCache.ts). */
  answerCache?: boolean;
}

/**
 * The request's text. A body past `limit` is read to its end and dropped (so the client gets the
 * fault rather than a reset connection), never kept.
 */
function readBody(req: Request, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    let size = 0;
    let text = '';
    let tooLarge = declared > limit;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooLarge) return;
      size += Buffer.byteLength(chunk);
      if (size > limit) { tooLarge = true; text = ''; } else text += chunk;
    });
    req.on('end', () => (tooLarge
      ? reject(Faults.malformedRequest(`Maximum size of request reached. Maximum size of request is ${limit} bytes.`))
      : resolve(text)));
    req.on('error', reject);
  });
}

/** The Metadata API's SOAP endpoint: `/services/Soap/m/<version>[/<orgId>]`, and its WSDL on GET `?wsdl`. */
export function metadataSoapRoutes(services: Services, options: MetadataSoapOptions = {}): Router {
  const router = express.Router();
  const reader = new RequestReader(services.schema, (operation) => OPERATIONS[operation]?.aliases);
  const writer = new XmlWriter(services.schema);
  const cache = options.answerCache === false ? undefined : new ReadResponseCache(services.store);

  router.get(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], (req: Request, res: Response) => {
    const version = parseApiVersion(req.params.version!);
    if (version === undefined) return sendXml(res, 500, faultEnvelope(Faults.unsupportedApiVersion()));
    sendXml(res, 200, services.schema.withLocation(`${baseUrl(req)}/services/Soap/m/${version.toFixed(1)}`));
  });

  router.post(['/services/Soap/m/:version', '/services/Soap/m/:version/:orgId'], async (req: Request, res: Response) => {
    try {
      const body = await readBody(req, PackageLimits.maxSoapMessageBytes);
      const apiVersion = parseApiVersion(req.params.version!);
      if (apiVersion === undefined) throw Faults.unsupportedApiVersion();
      // On the mutual TLS listener every call checks its certificate against the session's org first.
      const cached = onMutualTls(res) ? undefined : cache?.get(req.path, body);
      if (cached) return sendXml(res, 200, cached);
      const request = reader.read(body);
      const operation = OPERATIONS[request.operation];
      if (!operation) throw Faults.noSuchOperation(request.operation);
      const sessionId = request.headers.SessionHeader?.sessionId as string | undefined;
      const caller = sessionCaller(services, res, sessionId);
      const revision = services.store.components.revision(caller.org.id);
      const allOrNone = request.headers.AllOrNoneHeader?.allOrNone === true;
      const result = await operation.handle(request.input, { caller, services, apiVersion, allOrNone });
      const keep = !!cache && ReadResponseCache.cacheable(request.operation);
      const out = new ResponseSink(res, 200, keep);
      out.write(RESPONSE_OPEN);
      writer.writeResponse(out, request.operation, result);
      out.write(RESPONSE_CLOSE);
      const xml = out.end();
      if (keep) cache!.set(req.path, body, { sessionId: sessionId!.trim(), orgId: caller.org.id, revision, xml: xml! });
    } catch (err) {
      if (res.headersSent) return void res.destroy(err as Error); // a fault cannot follow half an answer
      sendXml(res, 500, faultEnvelope(asFault(err)));
    }
  });
  return router;
}
