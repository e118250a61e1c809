import express, { type Request, type Response, type Router } from 'express';
import { orgNow } from '../../clock';
import { devHubLimits } from '../../devhub/devHubLimits';
import type { Services } from '../../services';
import { asyncRoute } from '../asyncRoute';
import { restError, restNotFound, sendJson } from '../restErrors';
import { baseUrl } from '../xml';
import { callerOf } from './bearer';

/**
 * What a Dev Hub answers besides queries and record reads (src/devhub/devHubTables.ts): the
 * ScratchOrgInfo insert that makes a scratch org, the ActiveScratchOrg delete that ends one, and the
 * org's limits, which `sf org list limits` shows.
 */
export function devHubRoutes(services: Services): Router {
  const router = express.Router();
  const isHub = (res: Response) => callerOf(res).org.devHub && !callerOf(res).org.scratch;

  router.post('/sobjects/ScratchOrgInfo', express.json({ limit: '1mb' }), asyncRoute(async (req: Request, res: Response) => {
    if (!isHub(res)) return restNotFound(res, 'ScratchOrgInfo exists in Dev Hub orgs only');
    const made = await services.scratchOrgs.create(callerOf(res), req.body, baseUrl(req));
    if ('errorCode' in made) return sendJson(res, 400, [{ message: made.message, errorCode: made.errorCode, fields: made.fields }]);
    const unlisted = made.unlistedFeatures?.length ? `; features not in the CLI's lists, accepted: ${made.unlistedFeatures.join(', ')}` : '';
    services.log.info(`scratch org ${made.info.orgId ?? '(failed)'} requested as ${made.info.id}: ${made.info.edition}, ends ${made.info.expirationDate}${unlisted}`);
    res.status(201).json({ id: made.info.id, success: true, errors: [] });
  }));

  router.delete('/sobjects/ActiveScratchOrg/:id', (req: Request, res: Response) => {
    if (!isHub(res)) return restNotFound(res, 'ActiveScratchOrg exists in Dev Hub orgs only');
    if (!services.scratchOrgs.delete(callerOf(res).org, req.params.id!)) {
      return restError(res, 404, 'ENTITY_IS_DELETED', `entity is deleted: no active scratch org ${req.params.id}`);
    }
    res.status(204).end();
  });

  router.get('/limits', (_req: Request, res: Response) => {
    const { org } = callerOf(res);
    const limit = (max: number, used = 0) => ({ Max: max, Remaining: Math.max(0, max - used) });
    const hub = isHub(res) ? devHubLimits(org) : undefined;
    const active = hub ? services.scratchOrgs.activeOf(org).length : 0;
    const today = hub ? services.store.scratchOrgInfos.countSince(org.id, new Date(orgNow(org).getTime() - 24 * 3600_000).toISOString()) : 0;
    res.json({
      ...(hub ? { ActiveScratchOrgs: limit(hub.activeScratchOrgs, active) } : {}),
      DailyApiRequests: limit(15000), DailyAsyncApexExecutions: limit(250000), DailyBulkApiBatches: limit(15000),
      ...(hub ? { DailyScratchOrgs: limit(hub.dailyScratchOrgs, today) } : {}),
      DataStorageMB: limit(5), FileStorageMB: limit(20), SingleEmail: limit(15),
    });
  });
  return router;
}
