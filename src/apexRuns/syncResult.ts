/*
 * The answer of runTestsSynchronous, in the shape the Tooling API gives it. Its codeCoverage lists the
 * declared coverage of each class under test, and its one coverage warning says that outcomes and
 * coverage are declared, not run.
 */
import type { TestRun } from './testRun';

export const DECLARED_WARNING =
  'Localforce runs no Apex: these test outcomes and this code coverage are declared by the org\'s test outcome policy, not measured.';

export function syncResult(run: TestRun) {
  const successes = [];
  const failures = [];
  for (const c of run.classes) {
    for (const r of c.results) {
      const common = { id: c.classId, methodName: r.methodName, name: c.className, namespace: null, seeAllData: false, time: 0 };
      if (r.outcome === 'Pass') successes.push(common);
      else failures.push({ ...common, message: r.message ?? '', stackTrace: r.stackTrace, type: 'Class' });
    }
  }
  const covered = new Map<string, TestRun['coverage'][number]>();
  for (const record of run.coverage) covered.set(record.coveredId, record);
  const codeCoverage = [...covered.values()].map((r) => ({
    id: r.coveredId, name: r.coveredName, namespace: null, type: r.coveredType === 'ApexClass' ? 'Class' : 'Trigger',
    numLocations: r.coveredLines.length + r.uncoveredLines.length, numLocationsNotCovered: r.uncoveredLines.length,
    locationsNotCovered: r.uncoveredLines.map((line) => ({ column: 0, line, numExecutions: 0, time: -1 })),
  }));
  return {
    apexLogId: run.apexLogId, numTestsRun: successes.length + failures.length, numFailures: failures.length, totalTime: 0,
    successes, failures, codeCoverage, codeCoverageWarnings: [{ id: '', message: DECLARED_WARNING, name: null, namespace: null }],
  };
}
