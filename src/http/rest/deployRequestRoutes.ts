import busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import { DEFAULT_DEPLOY_OPTIONS } from '../../jobs/deployEngine';
import type { DeployMessage, DeployOptions, DeployResult } from '../../model/resultTypes';
import { PackageLimits } from '../../package/limits';
import { discardUnadopted, ZipCollector, type DeployZip } from '../../package/spooledZip';
import type { Services } from '../../services';
import type { WsdlSchema } from '../../soap/wsdlSchema';
import { asyncRoute } from '../asyncRoute';
import { redactBody } from '../../log/redact';
import { restError, restNotFound, sendFault } from '../restErrors';
import { callerOf } from './bearer';
import { versionOf } from './dataRoutes';

/**
 * The REST deploy API (`metadata/deployRequest`), as the sf CLI uses it with SF_ORG_METADATA_REST_DEPLOY=true:
 * the same deploy engine as SOAP, with JSON in and out.
 */
export function deployRequestRoutes(services: Services): Router {
  const router = express.Router();
  const json = express.json({ limit: '1mb' });
  const path = '/metadata/deployRequest';

  // express.json reads JSON bodies only and leaves a multipart stream untouched for busboy.
  router.post([path, `${path}/`], json, asyncRoute(async (req: Request, res: Response) => {
    const caller = callerOf(res);
    try {
      if (req.is('application/json')) {
        // A quick deploy of a validation: {"validatedDeployRequestId": "0Af…"}.
        const validationId = (req.body as { validatedDeployRequestId?: unknown } | undefined)?.validatedDeployRequestId;
        if (typeof validationId !== 'string' || !validationId.trim()) {
          return restError(res, 400, 'INVALID_FIELD', 'Send a multipart request with a zip in part "file", or JSON {"validatedDeployRequestId": "<id>"} to deploy a validation');
        }
        const id = services.deploys.deployRecentValidation(caller, validationId.trim());
        return res.status(201).json(deployRequest(services, caller.org.id, id, versionOf(res), false));
      }
      if (!req.is('multipart/form-data')) {
        return restError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'A deploy request is multipart/form-data with a zip in part "file" and JSON {"deployOptions": {…}} in part "entity_content"');
      }
      const { zip, parts } = await readMultipart(req);
      // A spooled zip that no deploy takes on (a refused request) is let go with the call.
      res.once('close', () => discardUnadopted(zip));
      if (!zip || zip.length === 0) return restError(res, 400, 'INVALID_OPERATION', 'No zip file content passed in: send the zip in the multipart part "file"');
      const entity = parts.get('entity_content') ?? parts.get('json');
      res.locals.receivedBody = receivedParts(zip, parts);
      const options = parseDeployOptions(entity?.toString('utf8'), services.schema);
      if (typeof options === 'string') return restError(res, 400, 'JSON_PARSER_ERROR', options);
      const { id } = services.deploys.submit(caller, zip, options);
      res.status(201).json(deployRequest(services, caller.org.id, id, versionOf(res), false));
    } catch (err) {
      if (err instanceof MultipartError) return restError(res, err.status, err.errorCode, err.message);
      sendFault(res, err);
    }
  }));

  router.get(`${path}/:id`, (req: Request, res: Response) => {
    const { org } = callerOf(res);
    const answer = deployRequest(services, org.id, req.params.id!, versionOf(res), req.query.includeDetails === 'true', true);
    if (!answer) return notFound(res, req.params.id!);
    res.json(answer);
  });

  router.patch(`${path}/:id`, json, (req: Request, res: Response) => {
    const caller = callerOf(res);
    const id = req.params.id!;
    if (!services.store.deploys.get(caller.org.id, id)) return notFound(res, id);
    const status = (req.body as { deployResult?: { status?: unknown } } | undefined)?.deployResult?.status;
    if (status !== 'Canceling') {
      return restError(res, 400, 'INVALID_FIELD', 'A deploy request can only be canceled: send {"deployResult": {"status": "Canceling"}}');
    }
    try {
      services.deploys.cancel(caller, id);
      res.status(202).json(deployRequest(services, caller.org.id, id, versionOf(res), false));
    } catch (err) {
      sendFault(res, err);
    }
  });
  return router;
}

/** What the call log shows of a multipart deploy: the zip by its size, each other part by name. */
function receivedParts(zip: DeployZip, parts: Map<string, Buffer>): string {
  return [`--- part "file": a zip of ${zip.length.toLocaleString('en-US')} bytes`,
    ...[...parts].map(([name, bytes]) => `--- part "${name}":\n${redactBody(bytes.toString('utf8'), 'application/json')}`)].join('\n');
}

const notFound = (res: Response, id: string) =>
  restNotFound(res, `no deploy request with id ${id} in this org`);

/**
 * `{id, url, validatedDeployRequestId, deployOptions, deployResult}` for one deploy, as the REST API answers it; undefined
 * when the org has no such deploy. `poll`: a client's status read, which deploy pacing counts.
 */
function deployRequest(services: Services, orgId: string, id: string, version: string, includeDetails: boolean, poll = false) {
  const job = services.store.deploys.get(orgId, id);
  if (!job) return undefined;
  const { validatedFrom, ...options } = job.options as Partial<DeployOptions> & { validatedFrom?: string };
  return {
    id: job.id,
    url: `/services/data/v${version}/metadata/deployRequest/${job.id}`,
    validatedDeployRequestId: validatedFrom ?? null,
    deployOptions: { ...DEFAULT_DEPLOY_OPTIONS, testLevel: null, ...options },
    deployResult: restDeployResult(services.schema, (poll ? services.deploys.poll : services.deploys.status).call(services.deploys, orgId, id, includeDetails)),
  };
}

/**
 * A DeployResult in REST terms: every field of the WSDL type in its order, with null where SOAP
 * leaves an element out, JSON booleans and numbers, and `details` always there.
 */
export function restDeployResult(schema: WsdlSchema, r: DeployResult): Record<string, unknown> {
  const message = (m: DeployMessage) => ordered(schema, 'DeployMessage', m as unknown as Record<string, unknown>);
  return ordered(schema, 'DeployResult', {
    ...r,
    details: {
      componentFailures: r.details.componentFailures.map(message),
      componentSuccesses: r.details.componentSuccesses.map(message),
      runTestResult: r.details.runTestResult ?? null,
    },
  });
}

function ordered(schema: WsdlSchema, type: string, value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(schema.fieldsOf(type).map((f) => [f.name, value[f.name] ?? (f.many ? [] : null)]));
}

/**
 * `{"deployOptions": {…}}` → the options, typed by the WSDL's DeployOptions, or a message saying what
 * is wrong. Unknown options are ignored, as the real REST API does.
 */
export function parseDeployOptions(text: string | undefined, schema: WsdlSchema): Partial<DeployOptions> | string {
  if (text === undefined || !text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return `entity_content is not JSON: ${(err as Error).message}`;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'entity_content must be a JSON object: {"deployOptions": {…}}';
  const given = (body as { deployOptions?: unknown }).deployOptions ?? {};
  if (!given || typeof given !== 'object' || Array.isArray(given)) return 'deployOptions must be a JSON object';
  const raw = given as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const field of schema.fieldsOf('DeployOptions')) {
    const v = raw[field.name];
    if (v === undefined || v === null) continue;
    const allowed = schema.enumValues(field.type);
    if (field.many) {
      if (!Array.isArray(v) || v.some((t) => typeof t !== 'string')) return `deployOptions.${field.name} must be an array of strings`;
    } else if (allowed) {
      if (typeof v !== 'string' || !allowed.includes(v)) return `deployOptions.${field.name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`;
    } else if (field.type === 'boolean' && typeof v !== 'boolean') {
      return `deployOptions.${field.name} must be true or false, not ${JSON.stringify(v)}`;
    }
    options[field.name] = v;
  }
  return options as Partial<DeployOptions>;
}

class MultipartError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string) {
    super(message);
  }
}

/**
 * The parts of a multipart/form-data body by name, files and plain fields alike, within the package
 * limits. Every stream involved (the request, busboy, each file part) has its errors handled: a body
 * that ends early, is cut off or breaks the multipart syntax is a 400, never an unhandled error.
 */
function readMultipart(req: Request): Promise<{ zip?: DeployZip; parts: Map<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    const parts = new Map<string, Buffer>();
    // The zip is gathered as it arrives, into a temporary file when it is large (package/spooledZip.ts).
    let zip: ZipCollector | undefined;
    let settled = false;
    let parser: busboy.Busboy;
    const fail = (err: MultipartError) => {
      if (settled) return;
      settled = true;
      zip?.discard();
      req.unpipe(parser);
      req.resume(); // read and drop the rest, so that the answer can be sent
      reject(err);
    };
    const unreadable = (err: Error) =>
      fail(new MultipartError(400, 'INVALID_MULTIPART_REQUEST', `The multipart body cannot be read: ${err.message}`));
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: PackageLimits.maxZipBytes, fieldSize: 1024 * 1024, files: 4, fields: 8, parts: 8 } });
    } catch (err) {
      return reject(new MultipartError(400, 'INVALID_MULTIPART_REQUEST', (err as Error).message));
    }
    let openFiles = 0;
    let parsed = false;
    const finish = () => {
      if (settled || !parsed || openFiles > 0) return;
      settled = true;
      resolve({ zip: zip?.zip, parts });
    };
    parser.on('file', (name, stream) => {
      openFiles++;
      const chunks: Buffer[] = [];
      if (name === 'file') { zip?.discard(); zip = new ZipCollector(); } // parts come one after another: the last zip is the one
      stream.on('data', (c: Buffer) => {
        if (name !== 'file') return void chunks.push(c);
        try {
          zip!.append(c);
        } catch (err) {
          fail(new MultipartError(500, 'UNKNOWN_EXCEPTION', (err as Error).message)); // a large zip's temporary file could not be written
        }
      });
      stream.on('limit', () => fail(new MultipartError(413, 'REQUEST_TOO_LARGE',
        `The deploy zip exceeds the ${PackageLimits.maxZipBytes / 1024 / 1024} MB limit of a compressed package`)));
      stream.on('error', unreadable);
      stream.on('end', () => { openFiles--; if (name !== 'file') parts.set(name, Buffer.concat(chunks)); finish(); });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new MultipartError(413, 'REQUEST_TOO_LARGE', `The multipart part "${name}" is too large`));
      parts.set(name, Buffer.from(value, 'utf8'));
    });
    parser.on('partsLimit', () => fail(new MultipartError(400, 'INVALID_MULTIPART_REQUEST', 'Too many parts: a deploy request has a "file" part and an "entity_content" part')));
    parser.on('filesLimit', () => fail(new MultipartError(400, 'INVALID_MULTIPART_REQUEST', 'Too many file parts in the deploy request')));
    parser.on('fieldsLimit', () => fail(new MultipartError(400, 'INVALID_MULTIPART_REQUEST', 'Too many fields in the deploy request')));
    parser.on('error', unreadable);
    parser.on('close', () => { parsed = true; finish(); });
    req.on('error', unreadable);
    req.on('close', () => { if (!req.complete) unreadable(new Error('the request was cut short')); });
    req.pipe(parser);
  });
}
