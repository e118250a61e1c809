/** How simulated Apex tests end (src/deploy/apexTests/testOutcomePolicy.ts reads and applies it). */
export type TestOutcome = 'pass' | 'fail';

export interface TestOutcomePolicy {
  default: TestOutcome;
  /** Per-class overrides, keyed by class name as given (looked up case-insensitively). */
  classes: Record<string, TestOutcome>;
}
