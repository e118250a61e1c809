import { currentOrgNow } from '../clock';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { testRunLog } from './apexLogs';
import { apexSuites, apexUnits } from './orgApex';
import { parseRunRequest } from './runRequest';
import { LOGGING_CHANNEL, orgTopics, recordEvent, TEST_RESULT_CHANNEL } from './streamingTopics';
import { buildTestRun, type RunAnswer } from './testRunBuilder';

/**
 * Runs tests as runTestsAsynchronous and runTestsSynchronous ask: the run is complete, with its log,
 * before the call is answered, so the sf CLI's first poll finds it finished. Its subscribers hear of it
 * on /systemTopic/TestResult as they would of a real run's end.
 */
export function runApexTests(services: Services, caller: Caller, body: unknown, options: { synchronous: boolean; apiVersion: string }): RunAnswer {
  const parsed = parseRunRequest(body);
  if (!parsed.ok) return parsed;
  const { store } = services;
  const { org, user } = caller;
  const now = currentOrgNow(store, org);
  const built = buildTestRun({
    request: parsed.request, synchronous: options.synchronous, units: apexUnits(store, org.id), suites: apexSuites(store, org.id),
    policy: services.deploys.testPolicy(org.id), userId: user.id, now,
  });
  if (!built.ok) return built;
  const tests = built.run.classes.flatMap((c) => c.results.map((r) => ({ className: c.className, methodName: r.methodName, outcome: r.outcome })));
  const log = testRunLog(tests, parsed.request.skipCodeCoverage ? 'skipped' : 'declared', { user, at: now, apiVersion: options.apiVersion });
  const run = { ...built.run, apexLogId: log.summary.id };
  store.transaction(() => {
    store.apexLogs.insert(org.id, log.summary, log.body);
    store.apexTestRuns.insert(org.id, run);
  });
  const topics = orgTopics(store);
  topics.publish(org.id, LOGGING_CHANNEL, recordEvent(log.summary.id, run.endTime));
  topics.publish(org.id, TEST_RESULT_CHANNEL, recordEvent(run.jobId, run.endTime));
  return { ok: true, run };
}
