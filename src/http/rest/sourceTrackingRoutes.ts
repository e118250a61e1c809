import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../../services';
import { describeSourceMember, SOURCE_MEMBER_FIELDS, UPDATEABLE_FIELDS } from '../../tracking/sourceMemberObject';
import { tracksSource } from '../../tracking/sourceTracking';
import { restError, restNotFound } from '../restErrors';
import { callerOf } from './bearer';
import { versionOf } from './dataRoutes';

/**
 * The Tooling API's SourceMember beyond queries (src/tracking/sourceMemberObject.ts answers those):
 * its describe, which tells a client the org tracks source, and the update of a RevisionCounter.
 * Only scratch orgs have the object; for any other org these fall through to the 404 every client
 * takes as "no source tracking". Mounted before the generic record routes, which would read
 * `describe` as an id.
 */
export function sourceTrackingRoutes(services: Services): Router {
  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  const tracked = (_req: Request, res: Response, next: NextFunction) => (tracksSource(callerOf(res).org) ? next() : next('router'));

  router.get('/tooling/sobjects/SourceMember/describe', tracked, (_req: Request, res: Response) => {
    res.json(describeSourceMember(`/services/data/v${versionOf(res)}/tooling`));
  });

  router.patch('/tooling/sobjects/SourceMember/:id', tracked, json, (req: Request, res: Response) => {
    const { org } = callerOf(res);
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return restError(res, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of the fields to update');
    }
    const known = new Map(SOURCE_MEMBER_FIELDS.map((f) => [f.toLowerCase(), f]));
    let revisionCounter: number | undefined;
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (name === 'attributes') continue;
      const field = known.get(name.toLowerCase());
      if (!field) return restError(res, 400, 'INVALID_FIELD', `No such column '${name}' on sobject of type SourceMember`);
      if (!UPDATEABLE_FIELDS.includes(field)) {
        return restError(res, 400, 'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`);
      }
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
        return restError(res, 400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of int from ${JSON.stringify(value)}: RevisionCounter takes a whole number from 0`);
      }
      revisionCounter = value;
    }
    const id = req.params.id!;
    if (!services.store.sourceMembers.get(org.id, id)) return restNotFound(res, `no SourceMember with id ${id}`);
    if (revisionCounter !== undefined) services.store.sourceMembers.setRevisionCounter(org.id, id, revisionCounter);
    res.status(204).end();
  });

  return router;
}
