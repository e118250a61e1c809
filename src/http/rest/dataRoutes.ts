import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../../services';
import { sameId } from '../../ids';
import { QueryLocators } from '../../soql/queryLocators';
import { runSoql } from '../../soql/soqlEngine';
import { sobjectCatalog } from '../../soql/sobjectTables';
import { restError, restNotFound } from '../restErrors';
import { callerOf } from './bearer';

/** The version a `/services/data/v<ver>/…` route was reached with (`66.0`), set by restRoutes. */
export const versionOf = (res: Response): string => res.locals.apiVersion as string;

type Api = 'data' | 'tooling';
const base = (res: Response, api: Api) => `/services/data/v${versionOf(res)}${api === 'tooling' ? '/tooling' : ''}`;

/**
 * `/services/data/v<ver>/…` resources the sf CLI reads: the resource map, SOQL queries (data and
 * Tooling, paged as the real service pages them) and record reads, all over the objects of
 * src/soql/sobjectTables.ts. What an area adds (scratch orgs, source tracking, test runs) it routes itself.
 */
export function dataRoutes(services: Services): Router {
  const router = express.Router();
  const catalog = sobjectCatalog(services);
  const locators = new QueryLocators();

  router.get('/', (_req: Request, res: Response) => {
    const v = `/services/data/v${versionOf(res)}`;
    res.json({
      metadata: `${v}/metadata`, query: `${v}/query`, sobjects: `${v}/sobjects`, tooling: `${v}/tooling`,
    });
  });

  const query = (api: Api) => (req: Request, res: Response) => {
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    const caller = callerOf(res);
    const answer = runSoql(q, (name) => catalog.table(name, api, caller), caller, (type, id) => `${base(res, api)}/sobjects/${type}/${id}`);
    if (!answer.ok) return restError(res, answer.status, answer.errorCode, answer.message);
    const page = locators.page(caller.org.id, answer.records);
    const next = page.next ? { nextRecordsUrl: `${base(res, api)}/query/${page.next}` } : {};
    // Tooling's answer says a little more than the data API's, in its own order.
    if (api === 'tooling') {
      const entityTypeName = answer.records.length ? (answer.records[0]!.attributes as { type: string }).type : null;
      return res.json({ size: answer.totalSize, totalSize: answer.totalSize, done: !page.next, queryLocator: page.next ?? null, entityTypeName, ...next, records: page.records });
    }
    res.json({ totalSize: answer.totalSize, done: !page.next, ...next, records: page.records });
  };
  const more = (api: Api) => (req: Request, res: Response) => {
    const page = locators.more(callerOf(res).org.id, req.params.locator!);
    if (!page) return restError(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    res.json({ totalSize: page.totalSize, done: !page.next, ...(page.next ? { nextRecordsUrl: `${base(res, api)}/query/${page.next}` } : {}), records: page.records });
  };
  const record = (api: Api) => (req: Request, res: Response) => {
    const caller = callerOf(res);
    const table = catalog.table(req.params.type!, api, caller);
    if (!table) return restNotFound(res, `no ${req.params.type} object`);
    const id = req.params.id!;
    const row = table.rows(caller, { equals: new Map([['id', [id]]]) }).find((r) => typeof r.Id === 'string' && sameId(r.Id, id));
    if (!row) return restNotFound(res, `no ${table.name} with id ${id}`);
    res.json({ attributes: { type: table.name, url: `${base(res, api)}/sobjects/${table.name}/${row.Id}` }, ...row });
  };

  router.get(['/query', '/query/'], query('data'));
  router.get(['/tooling/query', '/tooling/query/'], query('tooling'));
  router.get('/query/:locator', more('data'));
  router.get('/tooling/query/:locator', more('tooling'));
  router.get('/sobjects/:type/:id', record('data'));
  router.get('/tooling/sobjects/:type/:id', record('tooling'));
  return router;
}

/** What is left of the Tooling API: 404, as the real service answers for what does not exist (mounted last). */
export function toolingFallback(): Router {
  const router = express.Router();
  router.all(['/tooling', '/tooling/*'], (req: Request, res: Response) => {
    restNotFound(res, `Localforce has no such Tooling API resource (${req.method} ${req.originalUrl.split('?')[0]})`);
  });
  return router;
}
