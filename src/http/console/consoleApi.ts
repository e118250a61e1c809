import express, { type Request, type Response, type Router } from 'express';
import { latestApiVersion } from '../../apiVersions';
import { currentOrgNow } from '../../clock';
import { retrievedFiles } from '../../jobs/retrievedFiles';
import { MetadataRegistry } from '../../metadata/registry';
import type { Services } from '../../services';
import { callerOf, requireBearer } from '../rest/bearer';
import { restError, restNotFound } from '../restErrors';
import { certificateCsr, certificateDetails } from './certificateDetails';
import { consoleFeatures } from './consoleFeatures';

const MAX_JOBS = 200;
/** Files up to this size are shown in the page; larger ones are offered as downloads. */
const SHOWN_FILE_BYTES = 256 * 1024;

const limitOf = (req: Request, fallback: number, max: number) => {
  const n = Number(req.query.limit ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
};

/**
 * What the console reads that the Salesforce APIs do not offer (the org's deploy history, its
 * stored components with their files, its recorded calls, a certificate's X.509 facts and CSR).
 * Signed in like any client: a bearer session of the org, so each org sees only its own. The
 * console's actions (creating, uploading, deleting) go through the Metadata API itself.
 */
export function consoleApi(services: Services): Router {
  const router = express.Router();
  router.use(requireBearer(services));

  router.get('/org', (_req: Request, res: Response) => {
    const { org, user } = callerOf(res);
    res.json({
      id: org.id, name: org.name, username: user.username, userFullName: user.fullName,
      now: currentOrgNow(services.store, org).toISOString(), apiVersion: latestApiVersion(), features: consoleFeatures(org.id),
      devHub: org.devHub && !org.scratch, scratch: org.scratch ?? null,
    });
  });

  router.get('/certificates/:name', (req: Request, res: Response) => {
    const component = services.store.components.get(callerOf(res).org.id, 'Certificate', req.params.name!);
    if (!component) return restNotFound(res, `no Certificate named ${req.params.name} in this org`);
    res.json(certificateDetails(component));
  });

  router.get('/certificates/:name/csr', (req: Request, res: Response) => {
    const component = services.store.components.get(callerOf(res).org.id, 'Certificate', req.params.name!);
    if (!component) return restNotFound(res, `no Certificate named ${req.params.name} in this org`);
    const csr = certificateCsr(component);
    if (!csr) return restError(res, 404, 'NOT_FOUND', `Certificate ${component.fullName} is self-signed: it has no certificate signing request`);
    res.type('application/pkcs10').attachment(`${component.fullName}.csr`).send(csr);
  });

  /** The org's deploys and retrieves, newest first, without their per-component results. */
  router.get('/jobs', (req: Request, res: Response) => {
    const { org } = callerOf(res);
    const limit = limitOf(req, 50, MAX_JOBS);
    const deploys = services.store.deploys.recent(org.id, limit).map((job) => {
      // A running deploy's progress is in memory; the store has it at each change of state.
      const live = job.result.done ? job.result : services.deploys.status(org.id, job.id, false);
      const { details: _d, ...result } = live as typeof live & { details?: unknown };
      const { validatedFrom, ...options } = job.options as Record<string, unknown>;
      return { kind: 'deploy', id: job.id, createdDate: job.createdDate, validatedFrom, options, result };
    });
    const retrieves = services.store.retrieves.recent(org.id, limit).map((job) => ({
      kind: 'retrieve', id: job.id, createdDate: job.createdDate, completedDate: job.completedDate, options: job.options, result: job.result,
    }));
    res.json([...deploys, ...retrieves].sort((a, b) => b.createdDate.localeCompare(a.createdDate)).slice(0, limit));
  });

  router.get('/components', (_req: Request, res: Response) => {
    res.json(services.store.components.inventory(callerOf(res).org.id));
  });

  /** One component with the files a retrieve of it returns (never a private key: those are not files). */
  router.get('/components/:type/:fullName', (req: Request, res: Response) => {
    const { org } = callerOf(res);
    const handler = MetadataRegistry.get(req.params.type!);
    const component = handler && services.store.components.get(org.id, handler.definition.storedAs, req.params.fullName!);
    if (!component) return restNotFound(res, `no ${req.params.type} named ${req.params.fullName} in this org`);
    const wanted = typeof req.query.file === 'string' ? req.query.file : undefined;
    const files = [...retrievedFiles(services.store, org.id, [component])];
    if (wanted !== undefined) {
      const file = files.find(([path]) => path === wanted);
      if (!file) return restNotFound(res, `no file ${wanted} in ${req.params.type} ${component.fullName}`);
      return res.type('application/octet-stream').attachment(wanted.split('/').pop()!).send(file[1]);
    }
    res.json({
      type: component.type, fullName: component.fullName, id: component.id, createdDate: component.createdDate,
      lastModifiedDate: component.lastModifiedDate, packageName: component.packageName,
      files: files.map(([path, bytes]) => ({ path, bytes: bytes.length, text: isShownText(bytes) ? bytes.toString('utf8') : undefined })),
    });
  });

  router.get('/requests', (req: Request, res: Response) => {
    res.json(services.journal.list({ orgId: callerOf(res).org.id, limit: limitOf(req, 100, 1000), includeConsole: req.query.console !== 'false' }));
  });
  return router;
}

/** Text worth showing in the page: not too long, valid UTF-8, no NUL bytes. */
function isShownText(bytes: Buffer): boolean {
  if (bytes.length > SHOWN_FILE_BYTES || bytes.includes(0)) return false;
  return !bytes.toString('utf8').includes('\ufffd');
}
