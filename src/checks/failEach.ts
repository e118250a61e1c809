import { failureMessage } from '../deploy/deployMessages';
import type { DeployPlan, PlannedAddition, PlannerContext } from '../deploy/deployPlanner';
import { eventLoopSlices } from '../eventLoopSlices';

/** A component's problems, as a family of checks finds them: file (in the package), words and position. */
export interface Problem { path: string; problem: string; lineNumber?: number; columnNumber?: number }

/** How long the checks hold the event loop before they let other requests in (a status poll, a health check). */
const SLICE_MS = 20;

/**
 * Runs a per-component check over the additions, in slices of the event loop, and fails those it finds problems in;
 * `failed` hears of each with its problems.
 */
export async function failEach(plan: DeployPlan, ctx: PlannerContext, problemsOf: (a: PlannedAddition) => Problem[],
  failedWith?: (a: PlannedAddition, problems: Problem[]) => void): Promise<void> {
  const failed = new Set<PlannedAddition>();
  const slices = eventLoopSlices(SLICE_MS);
  for (const a of plan.additions) {
    const problems = problemsOf(a);
    for (const p of problems) {
      failed.add(a);
      plan.problems.push(failureMessage({ ...a.where, fileName: a.prefix + p.path, lineNumber: p.lineNumber, columnNumber: p.columnNumber }, p.problem, ctx.createdDate));
    }
    if (problems.length) failedWith?.(a, problems);
    if (slices.due()) await slices.next();
  }
  if (failed.size) plan.additions = plan.additions.filter((a) => !failed.has(a));
}

