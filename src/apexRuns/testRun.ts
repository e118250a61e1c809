/*
 * A test run as Localforce keeps it: every record the sf CLI polls for (the run summary, a queue item per
 * class, a result per method, coverage per method and class covered) is made when the run is asked for
 * and never changes after, since Localforce runs no Apex: outcomes and coverage are declared by the org's
 * test outcome policy. src/apexRuns/testRunTables.ts shows them as the Tooling API's objects.
 */

/** How a test method ended: only the two outcomes a policy can declare. */
export type DeclaredOutcome = 'Pass' | 'Fail';

/** One ApexTestResult. */
export interface DeclaredTestResult {
  /** 07M… */
  id: string;
  methodName: string;
  outcome: DeclaredOutcome;
  message: string | null;
  stackTrace: string | null;
}

/** One ApexTestQueueItem: a test class of the run, with its methods' results. */
export interface QueuedTestClass {
  /** 709… */
  queueItemId: string;
  /** The stored ApexClass component's id (01p…). */
  classId: string;
  className: string;
  results: DeclaredTestResult[];
}

/** One ApexCodeCoverage: the lines one test method covers of one class or trigger. */
export interface CoverageRecord {
  /** 714… */
  id: string;
  testClassId: string;
  testMethodName: string;
  coveredId: string;
  coveredName: string;
  coveredType: 'ApexClass' | 'ApexTrigger';
  coveredLines: number[];
  uncoveredLines: number[];
}

export interface TestRun {
  /** The AsyncApexJob id (707…) the run is known by. */
  jobId: string;
  /** The ApexTestRunResult's own id (05m…). */
  runResultId: string;
  userId: string;
  testLevel: string;
  synchronous: boolean;
  skipCodeCoverage: boolean;
  /** ISO times on the org clock; a declared run takes no time, so both are the same instant. */
  startTime: string;
  endTime: string;
  /** The ApexLog written for the run (07L…). */
  apexLogId: string | null;
  classes: QueuedTestClass[];
  coverage: CoverageRecord[];
}
