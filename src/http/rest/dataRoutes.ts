import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../../services';
import { restError, restNotFound } from '../restErrors';
import { sameId } from '../../ids';
import { callerOf } from './bearer';
import { answerQuery, userRow } from './soql';


/** The version a `/services/data/v<ver>/…` route was reached with (`66.0`), set by restRoutes. */
export const versionOf = (res: Response): string => res.locals.apiVersion as string;

/** `/services/data/v<ver>/…` resources the sf CLI reads: the resource map, the user, SOQL, and tooling answers. */
export function dataRoutes(services: Services): Router {
  const router = express.Router();

  router.get('/', (_req: Request, res: Response) => {
    const v = `/services/data/v${versionOf(res)}`;
    res.json({
      metadata: `${v}/metadata`, query: `${v}/query`, sobjects: `${v}/sobjects`, tooling: `${v}/tooling`,
    });
  });

  router.get('/sobjects/User/:id', (req: Request, res: Response) => {
    const caller = callerOf(res);
    const id = req.params.id!;
    // The caller by either id form; other users of the org by their 18-character id.
    const stored = sameId(id, caller.user.id) ? caller.user : services.store.orgs.user(id);
    const user = stored && stored.orgId === caller.org.id ? stored : undefined;
    if (!user) return restNotFound(res, `no User with id ${id} in this org`);
    res.json({ attributes: { type: 'User', url: `/services/data/v${versionOf(res)}/sobjects/User/${user.id}` }, ...userRow(user) });
  });

  router.get('/sobjects/Organization/:id', (req: Request, res: Response) => {
    const caller = callerOf(res);
    if (!sameId(req.params.id!, caller.org.id)) {
      return restNotFound(res, `no Organization with id ${req.params.id}`);
    }
    const answer = answerQuery('SELECT Id, Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization', caller, versionOf(res));
    if (!answer.ok) return restError(res, answer.status, answer.errorCode, answer.message);
    res.json(answer.records[0]);
  });

  router.get(['/query', '/query/'], (req: Request, res: Response) => {
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    const answer = answerQuery(q, callerOf(res), versionOf(res));
    if (!answer.ok) return restError(res, answer.status, answer.errorCode, answer.message);
    res.json({ totalSize: answer.totalSize, done: true, records: answer.records });
  });

  // No source tracking: the CLI reads a 404 on SourceMember's describe as "this org does not track source".
  router.get('/tooling/sobjects/SourceMember/describe', (_req: Request, res: Response) => {
    restNotFound(res, `Localforce orgs have no source tracking (no SourceMember object)`);
  });
  router.all(['/tooling', '/tooling/*'], (req: Request, res: Response) => {
    restNotFound(res, `Localforce has no Tooling API (${req.method} ${req.originalUrl.split('?')[0]})`);
  });
  return router;
}
