import type { DeployPlan } from '../deployPlanner';
import type { Store } from '../../store/store';
import { simulateTestRun, selectTests, type SimulatedTestRun } from './simulatedTestRun';
import { findTestClasses } from './testClassScanner';
import type { TestOutcomePolicy } from './testOutcomePolicy';

const APEX_CLASS = 'ApexClass';

/**
 * The Apex classes of an org as a deploy would leave it: the stored ones, less those it deletes,
 * with the ones it deploys in place of their stored versions. Ids are the stored ones ('' when new).
 */
function classesAfter(store: Store, orgId: string, plan: DeployPlan): { name: string; body: string; id: string }[] {
  const classes = new Map<string, { name: string; body: string; id: string }>();
  const bodyOf = (files: Map<string, Buffer> | undefined, name: string) => files?.get(`classes/${name}.cls`)?.toString('utf8') ?? '';
  for (const c of store.components.list(orgId, APEX_CLASS)) classes.set(c.fullName.toLowerCase(), { name: c.fullName, body: bodyOf(c.files, c.fullName), id: c.id });
  for (const d of [...plan.preDeletions, ...plan.postDeletions]) if (d.existing.type === APEX_CLASS) classes.delete(d.fullName.toLowerCase());
  for (const a of plan.additions) {
    if (a.handler.definition.xmlName !== APEX_CLASS) continue;
    const key = a.input.fullName.toLowerCase();
    classes.set(key, { name: a.input.fullName, body: bodyOf(a.input.files, a.input.fullName), id: classes.get(key)?.id ?? '' });
  }
  return [...classes.values()];
}

/**
 * The tests a deploy's test level asks for, run under the org's outcome policy: Localforce runs no
 * Apex, so it finds the test classes and methods and reports each with its declared outcome.
 */
export function runDeployTests(
  store: Store, orgId: string, plan: DeployPlan, testLevel: string | undefined, runTests: string[], policy: TestOutcomePolicy,
): { ok: true; run?: SimulatedTestRun } | { ok: false; problem: string } {
  if (!testLevel || testLevel === 'NoTestRun') return { ok: true };
  const classes = classesAfter(store, orgId, plan);
  const selection = selectTests(testLevel, runTests, findTestClasses(classes));
  if (!selection.ok) return selection;
  const ids = new Map(classes.map((c) => [c.name.toLowerCase(), c.id]));
  return { ok: true, run: simulateTestRun(selection.run, policy, (name) => ids.get(name.toLowerCase()) ?? '') };
}
