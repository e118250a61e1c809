/*
 * Builds a test run from what the request asks for, the org's Apex and its test outcome policy. The tests
 * are found as a deploy finds them (src/deploy/apexTests/) and each method ends as the policy declares;
 * coverage is declared by the same policy (coverage.ts). Nothing is executed.
 */
import { findTestClasses } from '../deploy/apexTests/testClassScanner';
import { selectTests, simulateTestRun } from '../deploy/apexTests/simulatedTestRun';
import { coverageFor, type TestOutcomePolicy } from '../deploy/apexTests/testOutcomePolicy';
import { IdPrefix, newId, sameId } from '../ids';
import { declaredLines, unitsUnderTest, type ApexUnit } from './coverage';
import { NOTHING_TO_RUN, type RunRequest } from './runRequest';
import type { CoverageRecord, DeclaredTestResult, QueuedTestClass, TestRun } from './testRun';

/** A test suite of the org: its name, id and the classes it names. */
export interface ApexSuite {
  id: string;
  name: string;
  classNames: string[];
}

export interface RunInput {
  request: RunRequest;
  synchronous: boolean;
  /** The org's Apex classes and triggers. */
  units: ApexUnit[];
  suites: ApexSuite[];
  policy: TestOutcomePolicy;
  userId: string;
  now: Date;
}

export type RunAnswer = { ok: true; run: TestRun } | { ok: false; errorCode: string; message: string };

const refused = (message: string): RunAnswer => ({ ok: false, errorCode: 'INVALID_INPUT', message });

/** Passing methods say so too: the sf CLI shows each test's message beside its outcome. */
export const DECLARED_PASS = 'Pass declared by Localforce\'s test outcome policy: the test was not run.';

/** The classes and methods a request names, as the entries a deploy's runTests lists (`Class` or `Class.method`). */
function runTestsOf(input: RunInput): { ok: true; entries: string[] } | { ok: false; answer: RunAnswer } {
  const entries: string[] = [];
  const classes = input.units.filter((u) => u.kind === 'ApexClass');
  for (const requested of input.request.classes) {
    let name = requested.className;
    if (name === undefined) {
      const found = classes.find((c) => sameId(c.id, requested.classId!));
      // Localforce's words, after the real ones for a class name that is not a test class.
      if (!found) return { ok: false, answer: refused(`This class ID's value is invalid: ${requested.classId}. Provide the ID of an Apex class that has test methods.`) };
      name = found.name;
    }
    if (requested.methods) entries.push(...requested.methods.map((m) => `${name}.${m}`));
    else entries.push(name);
  }
  for (const wanted of input.request.suites) {
    const suite = input.suites.find((s) => (wanted.id ? sameId(s.id, wanted.id) : s.name.toLowerCase() === wanted.name!.toLowerCase()));
    if (!suite) return { ok: false, answer: refused(`No test suite ${wanted.id ? 'with the ID' : 'named'} ${wanted.id ?? wanted.name} exists in this org (deploy it as ApexTestSuite).`) };
    entries.push(...suite.classNames);
  }
  return { ok: true, entries };
}

export function buildTestRun(input: RunInput): RunAnswer {
  const { request, policy } = input;
  const specified = request.testLevel === 'RunSpecifiedTests';
  const wanted = specified ? runTestsOf(input) : { ok: true as const, entries: [] };
  if (!wanted.ok) return wanted.answer;
  if (specified && wanted.entries.length === 0) return refused(NOTHING_TO_RUN);

  const classes = input.units.filter((u) => u.kind === 'ApexClass');
  const testClasses = findTestClasses(classes);
  const selection = selectTests(request.testLevel, wanted.entries, testClasses);
  if (!selection.ok) return refused(selection.problem);
  if (selection.run.length === 0) return refused(NOTHING_TO_RUN);
  if (input.synchronous && selection.run.length > 1) {
    // The sf CLI's words for it, which it says before asking.
    return refused('Synchronous test runs can include test methods from only one Apex class. Use runTestsAsynchronous to run more.');
  }

  const idOf = new Map(classes.map((c) => [c.name.toLowerCase(), c.id]));
  const classId = (name: string) => idOf.get(name.toLowerCase()) ?? '';
  const simulated = simulateTestRun(selection.run, policy, classId).runTestResult;
  const results = new Map<string, DeclaredTestResult[]>();
  const add = (className: string, result: Omit<DeclaredTestResult, 'id'>) => {
    const key = className.toLowerCase();
    results.set(key, [...(results.get(key) ?? []), { id: newId(IdPrefix.apexTestResult), ...result }]);
  };
  for (const s of simulated.successes) add(s.name, { methodName: s.methodName, outcome: 'Pass', message: DECLARED_PASS, stackTrace: null });
  for (const f of simulated.failures) add(f.name, { methodName: f.methodName ?? '', outcome: 'Fail', message: f.message, stackTrace: f.stackTrace });
  const queued: QueuedTestClass[] = selection.run.map(({ className }) => ({
    queueItemId: newId(IdPrefix.apexTestQueueItem), classId: classId(className), className,
    results: results.get(className.toLowerCase()) ?? [],
  }));

  const coverage: CoverageRecord[] = [];
  if (!request.skipCodeCoverage) {
    const testNames = new Set(testClasses.map((c) => c.name.toLowerCase()));
    const lines = new Map<string, ReturnType<typeof declaredLines>>();
    const linesOf = (unit: ApexUnit) => lines.get(unit.id) ?? lines.set(unit.id, declaredLines(unit.body, coverageFor(policy, unit.name))).get(unit.id)!;
    for (const q of queued) {
      const test = classes.find((c) => c.name.toLowerCase() === q.className.toLowerCase())!;
      const covered = unitsUnderTest(test.body, input.units, testNames);
      for (const result of q.results) {
        for (const unit of covered) {
          coverage.push({
            id: newId(IdPrefix.apexCodeCoverage), testClassId: q.classId, testMethodName: result.methodName,
            coveredId: unit.id, coveredName: unit.name, coveredType: unit.kind, ...linesOf(unit),
          });
        }
      }
    }
  }

  const at = input.now.toISOString();
  return {
    ok: true,
    run: {
      jobId: newId(IdPrefix.asyncApexJob), runResultId: newId(IdPrefix.apexTestRunResult), userId: input.userId,
      testLevel: request.testLevel, synchronous: input.synchronous, skipCodeCoverage: request.skipCodeCoverage,
      startTime: at, endTime: at, apexLogId: null, classes: queued, coverage,
    },
  };
}
