import express, { type Request, type Response, type Router } from 'express';
import { syncResult } from '../../apexRuns/syncResult';
import { runApexTests } from '../../apexRuns/testRunner';
import { to15, to18 } from '../../ids';
import type { Services } from '../../services';
import { restError, restNotFound } from '../restErrors';
import { callerOf } from './bearer';
import { versionOf } from './dataRoutes';

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * The Tooling API's test runner (`runTestsAsynchronous`, `runTestsSynchronous`) and the text of debug
 * logs (`sobjects/ApexLog/<id>/Body`). The test objects the sf CLI then queries are tables of the SOQL
 * engine (src/apexRuns/testRunTables.ts), read through the query routes of dataRoutes.ts.
 */
export function apexRunRoutes(services: Services): Router {
  const router = express.Router();
  const json = express.json({ type: () => true, limit: '1mb' });

  const run = (synchronous: boolean) => (req: Request, res: Response) => {
    const answer = runApexTests(services, callerOf(res), req.body, { synchronous, apiVersion: versionOf(res) });
    if (!answer.ok) return restError(res, 400, answer.errorCode, answer.message);
    // The asynchronous call answers the job id alone, as a JSON string; the run is complete already.
    if (!synchronous) return res.json(answer.run.jobId);
    res.json(syncResult(answer.run));
  };
  router.post(['/tooling/runTestsAsynchronous', '/tooling/runTestsAsynchronous/'], json, run(false));
  router.post(['/tooling/runTestsSynchronous', '/tooling/runTestsSynchronous/'], json, run(true));

  router.get(['/tooling/sobjects/ApexLog/:id/Body', '/sobjects/ApexLog/:id/Body'], (req: Request, res: Response) => {
    const id = req.params.id!;
    const body = ID.test(id) ? services.store.apexLogs.body(callerOf(res).org.id, to18(to15(id))) : undefined;
    if (body === undefined) return restNotFound(res, `no ApexLog with id ${id}`);
    res.type('text/plain').send(body);
  });
  return router;
}
