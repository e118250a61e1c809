import express, { type Request, type Response, type Router } from 'express';
import { ApiFault } from '../../errors';
import { formatDeployChecks, parseDeployChecks } from '../../checks/deployChecks';
import { pacingFromJson } from '../../jobs/deployPacing';
import { RECORDS_PER_ORG } from '../../log/requestJournal';
import type { Services } from '../../services';
import { asyncRoute } from '../asyncRoute';
import { orgOf } from './orgOf';
import { restError } from '../restErrors';

const DEFAULT_LIMIT = 50;

/**
 * Inspection and control of orgs for tests, as emulators offer them: the recorded calls, reset and
 * delete of an org, and deploy pacing (deploys held InProgress for polling clients). Mounted behind
 * the admin API's token check (adminRoutes.ts).
 */
export function testControlRoutes(services: Services): Router {
  const router = express.Router();
  /** The recent calls, newest first: one org's (`org=`) or every one kept; `limit` (default 50). */
  router.get('/_localforce/requests', (req: Request, res: Response) => {
    const { org: orgId, limit: limitText, console: consoleText } = req.query as Record<string, string | undefined>;
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) return restError(res, 400, 'INVALID_FIELD', `limit must be a whole number from 1, not ${limitText}`);
    const org = orgId === undefined ? undefined : orgOf(services, res, orgId);
    if (orgId !== undefined && !org) return;
    res.json(services.journal.list({ orgId: org?.id, limit: Math.min(limit, RECORDS_PER_ORG * 10), includeConsole: consoleText !== 'false' }));
  });

  /** Empties an org (components, deploys, retrieves, sessions, recorded calls); the org and its user stay. */
  router.post('/_localforce/orgs/:orgId/reset', asyncRoute(async (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    services.deploys.abandon(org.id, `The org ${org.id} was reset while this deploy was running; nothing was committed.`);
    // Behind the org's queued work, so nothing still running writes into the emptied org.
    await services.queue.run(org.id, async () => services.orgs.reset(org.id));
    services.journal.forget(org.id);
    services.samlLogins.forget(org.id);
    res.json({ orgId: org.id, status: 'reset' });
  }));

  router.delete('/_localforce/orgs/:orgId', asyncRoute(async (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    const refusal = services.orgs.whyNotDeletable(org.id);
    if (refusal) return restError(res, 400, 'INVALID_OPERATION', refusal);
    services.deploys.abandon(org.id, `The org ${org.id} was deleted while this deploy was running; nothing was committed.`);
    await services.queue.run(org.id, async () => services.orgs.deleteOrg(org.id));
    services.journal.forget(org.id);
    services.samlLogins.forget(org.id);
    res.status(204).end();
  }));

  /**
   * Deploy pacing of an org: GET reads it (with the deploys it holds), PUT sets the org's own
   * (`{"hold": "polls", "polls": 3}`, `{"hold": "manual"}`, `{"hold": "off"}`), DELETE goes back to the server's.
   */
  router.all('/_localforce/orgs/:orgId/deploy-pacing', express.json(), (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    if (req.method === 'PUT') {
      try {
        services.store.orgs.setDeployPacing(org.id, pacingFromJson(req.body));
      } catch (err) {
        return restError(res, 400, 'INVALID_FIELD', (err as Error).message);
      }
    } else if (req.method === 'DELETE') {
      services.store.orgs.setDeployPacing(org.id, undefined);
    } else if (req.method !== 'GET') {
      return restError(res, 405, 'METHOD_NOT_ALLOWED', `deploy-pacing takes GET, PUT or DELETE, not ${req.method}`);
    }
    const own = services.store.orgs.get(org.id)?.deployPacing;
    res.json({ ...services.deploys.pacing(org.id), source: own ? 'org' : 'server', held: services.deploys.held(org.id) });
  });

  /**
   * The org's deploy checks: GET reads them, PUT sets the org's own (`{"checks": "schema,apex"}`, `all`,
   * `none`), DELETE goes back to the server's.
   */
  router.all('/_localforce/orgs/:orgId/deploy-checks', express.json(), (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    if (req.method === 'PUT') {
      const text = (req.body as { checks?: unknown } | undefined)?.checks;
      const checks = typeof text === 'string' ? parseDeployChecks(text) : { error: 'send {"checks": "all" | "none" | "schema,references,apex,lwc"}' };
      if ('error' in checks) return restError(res, 400, 'INVALID_FIELD', checks.error);
      services.store.orgs.setDeployChecks(org.id, formatDeployChecks(checks));
    } else if (req.method === 'DELETE') {
      services.store.orgs.setDeployChecks(org.id, undefined);
    } else if (req.method !== 'GET') {
      return restError(res, 405, 'METHOD_NOT_ALLOWED', `deploy-checks takes GET, PUT or DELETE, not ${req.method}`);
    }
    const own = services.store.orgs.get(org.id)?.deployChecks;
    res.json({ checks: formatDeployChecks(services.deploys.checks(org.id)), source: own ? 'org' : 'server' });
  });

  /** Lets every deploy the org's pacing holds go on. */
  router.post('/_localforce/orgs/:orgId/deploys/release', (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    res.json({ released: services.deploys.release(org.id) });
  });

  /** Lets one held deploy go on. */
  router.post('/_localforce/orgs/:orgId/deploys/:deployId/release', (req: Request, res: Response) => {
    const org = orgOf(services, res, req.params.orgId);
    if (!org) return;
    const id = req.params.deployId!;
    if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) || !services.store.deploys.get(org.id, id)) {
      return restError(res, 404, 'NOT_FOUND', `No deploy with id ${id} in org ${org.id}`);
    }
    try {
      res.json({ released: services.deploys.release(org.id, id) });
    } catch (err) {
      if (!(err instanceof ApiFault)) throw err;
      restError(res, 409, 'INVALID_OPERATION', err.message);
    }
  });
  return router;
}
