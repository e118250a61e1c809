import express, { type Request, type Response, type Router } from 'express';
import { devHubLimits } from '../../devhub/devHubLimits';
import type { Services } from '../../services';
import type { Org } from '../../store/orgs';
import type { ScratchOrgInfo } from '../../store/scratchOrgInfos';
import { sameId, to15 } from '../../ids';
import { asyncRoute } from '../asyncRoute';
import { restError, sendJson } from '../restErrors';
import { baseUrl } from '../xml';

/**
 * A Dev Hub through Localforce's admin API (admin token, or the hub's own access token):
 * - `GET|PUT /_localforce/orgs/<hub>/dev-hub`: whether the org is a hub, and its scratch org limits
 *   (`{"devHub": false}`, `{"activeScratchOrgs": 3, "dailyScratchOrgs": 6}`, `{"limits": null}` for the defaults);
 * - `GET|POST /_localforce/orgs/<hub>/scratch-orgs`: its scratch orgs, and a new one without the CLI
 *   (the ScratchOrgInfo fields as JSON; answers the org's credentials with a lasting access token);
 * - `POST …/scratch-orgs/<id>/expire` and `DELETE …/scratch-orgs/<id>`, by org id or ScratchOrgInfo id.
 */
export function devHubAdminRoutes(services: Services): Router {
  const router = express.Router();
  const hubOf = (req: Request, res: Response): Org | undefined => {
    const org = services.store.orgs.get(req.params.orgId!);
    if (!org) restError(res, 404, 'NOT_FOUND', `No org with id ${req.params.orgId}`);
    else if (org.scratch) restError(res, 400, 'INVALID_OPERATION', `Org ${org.id} is a scratch org: scratch orgs are never Dev Hubs`);
    else return org;
    return undefined;
  };
  const described = (hub: Org, info: ScratchOrgInfo) => ({
    scratchOrgInfoId: info.id, orgId: info.orgId ?? null, orgId15: info.orgId ? to15(info.orgId) : null, status: services.scratchOrgs.status(info, hub),
    errorCode: info.errorCode ?? null, username: info.signupUsername, edition: info.edition, orgName: info.orgName, createdDate: info.createdDate,
    createdBy: services.store.orgs.user(info.createdById)?.username ?? null, expirationDate: info.expirationDate, deletedDate: info.deletedDate ?? null,
  });
  const hubView = (hub: Org) => ({ orgId: hub.id, devHub: hub.devHub, limits: devHubLimits(hub), ownLimits: !!hub.devHubLimits });

  router.get('/_localforce/orgs/:orgId/dev-hub', (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (hub) res.json(hubView(hub));
  });
  router.put('/_localforce/orgs/:orgId/dev-hub', express.json(), (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (!hub) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !['devHub', 'activeScratchOrgs', 'dailyScratchOrgs', 'limits'].includes(k));
    if (unknown.length) return restError(res, 400, 'INVALID_FIELD', `Unknown field ${unknown[0]}: send devHub, activeScratchOrgs, dailyScratchOrgs, or limits: null`);
    if (body.devHub !== undefined && typeof body.devHub !== 'boolean') return restError(res, 400, 'INVALID_FIELD', 'devHub must be true or false');
    const count = (name: string) => body[name] === undefined || (Number.isInteger(body[name]) && (body[name] as number) >= 0);
    if (!count('activeScratchOrgs') || !count('dailyScratchOrgs')) return restError(res, 400, 'INVALID_FIELD', 'activeScratchOrgs and dailyScratchOrgs must be whole numbers from 0');
    if (body.devHub !== undefined) services.store.orgs.setDevHub(hub.id, body.devHub as boolean);
    if (body.limits === null) services.store.orgs.setDevHubLimits(hub.id, undefined);
    else if (body.activeScratchOrgs !== undefined || body.dailyScratchOrgs !== undefined) {
      const now = devHubLimits(hub);
      services.store.orgs.setDevHubLimits(hub.id, {
        activeScratchOrgs: (body.activeScratchOrgs as number | undefined) ?? now.activeScratchOrgs,
        dailyScratchOrgs: (body.dailyScratchOrgs as number | undefined) ?? now.dailyScratchOrgs,
      });
    }
    res.json(hubView(services.store.orgs.get(hub.id)!));
  });

  router.get('/_localforce/orgs/:orgId/scratch-orgs', (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (hub) res.json(services.store.scratchOrgInfos.ofHub(hub.id).map((info) => described(hub, info)));
  });
  router.post('/_localforce/orgs/:orgId/scratch-orgs', express.json(), asyncRoute(async (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (!hub) return;
    if (!hub.devHub) return restError(res, 400, 'INVALID_OPERATION', `Org ${hub.id} is not a Dev Hub: PUT {"devHub": true} to …/dev-hub first`);
    const creator = services.store.orgs.usersOf(hub.id)[0]!;
    const made = await services.scratchOrgs.create({ org: hub, user: creator }, { Edition: 'Developer', ...(req.body ?? {}) }, baseUrl(req), { lastingToken: true });
    if ('errorCode' in made) return sendJson(res, 400, [{ message: made.message, errorCode: made.errorCode, fields: made.fields }]);
    if (!made.info.orgId) return restError(res, 400, made.info.errorCode ?? 'SIGNUP_FAILED', `The scratch org could not be made (${made.info.errorCode}): the username ${made.info.signupUsername} is already in use`);
    const user = services.store.orgs.userByUsername(made.info.signupUsername)!;
    res.status(201).json({
      id: made.info.orgId, userId: user.id, username: user.username, password: made.password, accessToken: made.accessToken,
      hubOrgId: hub.id, scratchOrgInfoId: made.info.id, expirationDate: made.info.expirationDate, loginUrl: baseUrl(req),
    });
  }));

  const scratchOf = (hub: Org, id: string) =>
    services.store.scratchOrgInfos.ofHub(hub.id).find((i) => sameId(i.id, id) || (i.orgId !== undefined && (sameId(i.orgId, id) || to15(i.orgId) === id)));
  router.post('/_localforce/orgs/:orgId/scratch-orgs/:scratchId/expire', (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (!hub) return;
    const info = scratchOf(hub, req.params.scratchId!);
    if (!info || info.status !== 'Active') return restError(res, 404, 'NOT_FOUND', `No active scratch org ${req.params.scratchId} of hub ${hub.id}`);
    services.scratchOrgs.expire(hub, info);
    res.json(described(hub, services.store.scratchOrgInfos.get(hub.id, info.id)!));
  });
  router.delete('/_localforce/orgs/:orgId/scratch-orgs/:scratchId', (req: Request, res: Response) => {
    const hub = hubOf(req, res);
    if (!hub) return;
    const info = scratchOf(hub, req.params.scratchId!);
    if (!info || info.status === 'Deleted') return restError(res, 404, 'NOT_FOUND', `No scratch org ${req.params.scratchId} of hub ${hub.id}`);
    services.scratchOrgs.end(hub, info);
    res.status(204).end();
  });
  return router;
}
