/** How simulated Apex tests end (src/deploy/apexTests/testOutcomePolicy.ts reads and applies it). */
export type TestOutcome = 'pass' | 'fail';

/**
 * The code coverage test runs report, declared rather than measured: a percentage of each class's and
 * trigger's code lines, by name, else the default.
 */
export interface DeclaredCoverage {
  default: number;
  /** Per class or trigger, keyed by name as given (looked up case-insensitively). */
  classes: Record<string, number>;
}

export interface TestOutcomePolicy {
  default: TestOutcome;
  /** Per-class overrides, keyed by class name as given (looked up case-insensitively). */
  classes: Record<string, TestOutcome>;
  /** Declared coverage; absent, every class under test is covered DEFAULT_COVERAGE percent. */
  coverage?: DeclaredCoverage;
}

/** The coverage declared when a policy declares none: the share a production deploy asks of every class. */
export const DEFAULT_COVERAGE = 75;
