/*
 * Which tests a deploy's testLevel runs, and their simulated results. Localforce runs no Apex:
 * each selected test method passes or fails as the test outcome policy declares, takes no time,
 * and measures no coverage; the result says so in a code coverage warning.
 */
import type { CodeCoverageWarning, RunTestFailure, RunTestsResult, RunTestSuccess } from '../../model/resultTypes';
import type { TestClass } from './testClassScanner';
import { outcomeFor, type TestOutcomePolicy } from './testOutcomePolicy';

/** The test methods to run in one class. */
export interface SelectedTestClass {
  className: string;
  methods: string[];
}

export type TestSelection = { ok: true; run: SelectedTestClass[] } | { ok: false; problem: string };

export interface SimulatedTestRun {
  runTestResult: RunTestsResult;
  numberTestsTotal: number;
  numberTestErrors: number;
}

export const SIMULATION_WARNING =
  'Localforce runs no Apex: these test outcomes are simulated by its test outcome policy, and no code coverage is measured.';

/**
 * The tests a deploy runs for `level`, among the org's test classes as the deploy leaves them.
 * Classes come sorted by name; a class's methods keep their source order.
 */
export function selectTests(level: string | undefined, runTests: string[], testClasses: TestClass[]): TestSelection {
  switch (level) {
    case undefined:
    case '':
    case 'NoTestRun':
      return { ok: true, run: [] };
    case 'RunLocalTests':
    case 'RunAllTestsInOrg':
    // RunRelevantTests runs the tests the service judges relevant to the deployed components.
    // Localforce has no dependency analysis of Apex, so it runs every local test, which is
    // the superset the relevant tests are drawn from.
    case 'RunRelevantTests':
      return { ok: true, run: sortByClassName(testClasses.map((c) => ({ className: c.name, methods: [...c.methods] }))) };
    case 'RunSpecifiedTests':
      return selectSpecified(runTests, testClasses);
    default:
      // Localforce's own wording: the real service rejects an unknown enum value before this.
      return {
        ok: false,
        problem: `Unknown testLevel: ${level}. Use NoTestRun, RunSpecifiedTests, RunLocalTests, RunAllTestsInOrg or RunRelevantTests.`,
      };
  }
}

function selectSpecified(runTests: string[], testClasses: TestClass[]): TestSelection {
  const entries = runTests.map((t) => t.trim()).filter((t) => t !== '');
  if (entries.length === 0) {
    return { ok: false, problem: 'INVALID_OPERATION: runTests must not be empty when a testLevel of RunSpecifiedTests is used' };
  }
  const byName = new Map(testClasses.map((c) => [c.name.toLowerCase(), c]));
  // Per class: undefined = every method, else the named methods (lower-cased).
  const wanted = new Map<TestClass, Set<string> | undefined>();
  for (const entry of entries) {
    const dot = entry.indexOf('.');
    const classPart = (dot < 0 ? entry : entry.slice(0, dot)).trim();
    const methodPart = dot < 0 ? undefined : entry.slice(dot + 1).trim();
    const testClass = byName.get(classPart.toLowerCase());
    if (testClass === undefined) {
      // The real Apex test runner's wording for a class that does not exist or has no tests.
      return {
        ok: false,
        problem: `This class name's value is invalid: ${classPart}. Provide the name of an Apex class that has test methods.`,
      };
    }
    if (methodPart === undefined) {
      wanted.set(testClass, undefined);
      continue;
    }
    if (!testClass.methods.some((m) => m.toLowerCase() === methodPart.toLowerCase())) {
      // Localforce's own wording: no real message for a missing test method is known.
      return {
        ok: false,
        problem: `Method does not exist: ${testClass.name}.${methodPart}. Provide the name of a test method of class ${testClass.name}.`,
      };
    }
    if (!wanted.has(testClass)) wanted.set(testClass, new Set());
    wanted.get(testClass)?.add(methodPart.toLowerCase());
  }
  const run = [...wanted].map(([testClass, methods]) => ({
    className: testClass.name,
    methods: testClass.methods.filter((m) => methods === undefined || methods.has(m.toLowerCase())),
  }));
  return { ok: true, run: sortByClassName(run) };
}

/**
 * The simulated result of running `run` under `policy`: every method of a class gets the
 * class's outcome. `ids` gives each class's record id. Classes and methods come sorted.
 */
export function simulateTestRun(
  run: SelectedTestClass[], policy: TestOutcomePolicy, ids: (className: string) => string,
): SimulatedTestRun {
  const successes: RunTestSuccess[] = [];
  const failures: RunTestFailure[] = [];
  for (const { className, methods } of sortByClassName(run)) {
    const id = ids(className);
    const outcome = outcomeFor(policy, className);
    for (const methodName of [...methods].sort(compareNames)) {
      if (outcome === 'pass') {
        successes.push({ id, methodName, name: className, namespace: null, seeAllData: false, time: 0 });
      } else {
        failures.push({
          id,
          message: `System.AssertException: Assertion Failed: the outcome of ${className}.${methodName} is set to fail by Localforce's test outcome policy`,
          methodName,
          name: className,
          namespace: null,
          packageName: className,
          seeAllData: false,
          stackTrace: `Class.${className}.${methodName}: line 1, column 1`,
          time: 0,
          type: 'Class',
        });
      }
    }
  }
  const numTestsRun = successes.length + failures.length;
  const codeCoverageWarnings: CodeCoverageWarning[] =
    numTestsRun > 0 ? [{ id: '', message: SIMULATION_WARNING, name: null, namespace: null }] : [];
  return {
    runTestResult: {
      codeCoverage: [], codeCoverageWarnings, failures, flowCoverage: [], flowCoverageWarnings: [],
      numFailures: failures.length, numTestsRun, successes, totalTime: 0,
    },
    numberTestsTotal: numTestsRun,
    numberTestErrors: failures.length,
  };
}

function sortByClassName<T extends { className: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => compareNames(a.className, b.className));
}

/** Case-insensitive, with a code-point tie-break so the order is total and deterministic. */
function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
