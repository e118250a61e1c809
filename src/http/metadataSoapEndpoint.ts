import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseApiVersion } from '../apiVersions';
import { Faults } from '../errors';
import { OPERATIONS } from '../operations';
import type { Services } from '../services';
import { asFault, faultEnvelope, RESPONSE_CLOSE, RESPONSE_OPEN } from '../soap/envelope';
import { RequestReader } from '../soap/requestReader';
import { XmlWriter } from '../soap/xmlWriter';
import type { DecodedPayload } from '../soap/zipFileAside';
import { PackageLimits } from '../package/limits';
import type { Caller } from '../store/orgs';
import { localsOf } from './callContext';
import { onMutualTls } from './mutualTls';
import { ReadResponseCache } from './readResponseCache';
import { ResponseSink } from './responseSink';
import { soapBody } from './soapBody';
import { baseUrl, sendXml } from './xml';

export interface MetadataSoapOptions {
  /** false: every request is answered afresh (see readResponseCache.ts). */
  answerCache?: boolean;
}

/** `/services/Soap/m/<version>[/<orgId>]`, with or without a trailing slash, in any case (as express routes match). */
const ENDPOINT_PATH = /^\/services\/soap\/m\/([^/]+)(?:\/[^/]+)?\/?$/i;

/**
 * The Metadata API's SOAP endpoint: POST for the calls, GET for its WSDL. It is the path every
 * client call of a deploy takes (polls included), so it runs on node's own request and response,
 * ahead of the express app that serves everything else: express's routing and request decoration
 * cost as much per call as everything this endpoint does for a small read. Returns whether the
 * request was its own.
 */
export function metadataSoapEndpoint(services: Services, options: MetadataSoapOptions = {}): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const reader = new RequestReader(services.schema, (operation) => OPERATIONS[operation]?.aliases);
  const writer = new XmlWriter(services.schema);
  // On a shared store other servers write components this one never hears of, so nothing is kept.
  const cache = options.answerCache === false || services.store.shared ? undefined : new ReadResponseCache(services.store);
  // Every operation here needs a session: a caller without one is refused from the start of the message, unread.
  const readBody = soapBody(PackageLimits.maxSoapMessageBytes, (sessionId) => services.orgs.caller(sessionId),
    () => Faults.soapMessageTooLarge(PackageLimits.maxSoapMessageBytes));

  const answer = async (res: ServerResponse, path: string, apiVersion: number, body: string, sessionId: string, caller: Caller, zipFile?: DecodedPayload) => {
    try {
      // On the mutual TLS listener every call checks its certificate against the session's org first.
      const mutualTls = onMutualTls(res);
      if (mutualTls) services.mutualAuth.authorize(caller, localsOf(res).clientCertificate!);
      const cached = mutualTls || zipFile ? undefined : cache?.get(path, body);
      if (cached) return sendXml(res, 200, cached);
      const request = reader.read(body, zipFile);
      localsOf(res).operation = request.operation;
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
      if (keep) cache!.set(path, body, { orgId: caller.org.id, revision, xml: xml! });
    } catch (err) {
      if (res.headersSent) return void res.destroy(err as Error); // a fault cannot follow half an answer
      sendXml(res, 500, faultEnvelope(asFault(err)));
    }
  };

  return (req, res, path) => {
    const method = req.method;
    if (method !== 'POST' && method !== 'GET' && method !== 'HEAD') return false;
    const match = ENDPOINT_PATH.exec(path);
    if (!match) return false;
    // The version in the URL is checked first: it costs nothing and needs no body.
    const apiVersion = parseApiVersion(match[1]!);
    if (apiVersion === undefined) sendXml(res, 500, faultEnvelope(Faults.unsupportedApiVersion()));
    else if (method !== 'POST') sendXml(res, 200, services.schema.withLocation(`${baseUrl(req)}/services/Soap/m/${apiVersion.toFixed(1)}`));
    else readBody(req, res, (body, sessionId, caller, zipFile) => void answer(res, path, apiVersion, body, sessionId, caller, zipFile));
    return true;
  };
}
