import { failureMessage } from '../deploy/deployMessages';
import { key, type DeployPlan, type PlannedAddition, type PlannerContext } from '../deploy/deployPlanner';
import { META } from '../metadata/layout/componentPaths';
import { analyseApex } from './apex/apexAnalysis';
import type { ApexUnitKind } from './apex/apexSyntax';
import type { DeployChecks } from './deployChecks';
import { lwcBundleProblems, type LwcResolver } from './lwc/lwcBundle';
import { auraBundleProblems } from './references/auraMarkup';
import { storedFieldName } from './references/customNames';
import { existingPicklistValues } from './references/picklistValues';
import { missingReferences } from './references/referenceCheck';
import { eventLoopSlices, nextTurn } from '../eventLoopSlices';

/** A component's problems, as a family of checks finds them: file (in the package), words and position. */
interface Problem { path: string; problem: string; lineNumber?: number; columnNumber?: number }

/** How long the checks hold the event loop before they let other requests in (a status poll, a health check). */
const SLICE_MS = 20;

/**
 * The checks that need the whole deploy, run once it is planned and the schema checks have read every
 * file: Apex compiled, Lightning web components compiled and their imports resolved, then references
 * between components. Each family fails components before the next looks, so that what names a failed
 * component finds it missing, as on a real org. Failed components leave the plan; their rows join its problems.
 */
export async function checkDeployPlan(plan: DeployPlan, ctx: PlannerContext & { checks: DeployChecks }): Promise<void> {
  if (ctx.checks.has('apex')) {
    const has = orgAfterDeploy(plan, ctx);
    await failEach(plan, ctx, (a) => apexProblems(a, has));
  }
  if (ctx.checks.has('lwc')) {
    const resolver = lwcResolver(plan, ctx);
    await failEach(plan, ctx, (a) => (a.handler.definition.xmlName === 'LightningComponentBundle'
      ? lwcBundleProblems(a.input.fullName, a.input.files, resolver).map((p) => ({ ...p, path: p.fileName })) : []));
  }
  if (ctx.checks.has('references')) {
    const has = orgAfterDeploy(plan, ctx);
    const component = (name: string) => has('AuraDefinitionBundle', name) || has('LightningComponentBundle', name);
    await failEach(plan, ctx, (a) => (a.handler.definition.xmlName === 'AuraDefinitionBundle'
      ? auraBundleProblems(a.input.fullName, a.input.files, component).map((p) => ({ ...p, path: p.fileName })) : []));
    await nextTurn();
    refuseMissingReferences(plan, ctx);
  }
}

/** Runs a per-component check over the additions, in slices of the event loop, and fails those it finds problems in. */
async function failEach(plan: DeployPlan, ctx: PlannerContext, problemsOf: (a: PlannedAddition) => Problem[]): Promise<void> {
  const failed = new Set<PlannedAddition>();
  const slices = eventLoopSlices(SLICE_MS);
  for (const a of plan.additions) {
    for (const p of problemsOf(a)) {
      failed.add(a);
      plan.problems.push(failureMessage({ ...a.where, fileName: a.prefix + p.path, lineNumber: p.lineNumber, columnNumber: p.columnNumber }, p.problem, ctx.createdDate));
    }
    if (slices.due()) await slices.next();
  }
  if (failed.size) plan.additions = plan.additions.filter((a) => !failed.has(a));
}

const APEX_UNITS: Record<string, ApexUnitKind> = { ApexClass: 'class', ApexTrigger: 'trigger' };

/** A class's or trigger's syntax error, else the custom objects and fields it uses that the org will not have. */
function apexProblems(a: PlannedAddition, has: (type: string, name: string) => boolean): Problem[] {
  const kind = APEX_UNITS[a.handler.definition.xmlName];
  const source = kind && [...a.input.files].find(([path]) => !path.endsWith(META));
  if (!source) return [];
  const { syntax, types, fields } = analyseApex(source[1].toString('utf8'), kind);
  if (syntax.length) return syntax.map((p) => ({ ...p, path: source[0] }));
  const missingTypes = types.filter((use) => !has('CustomObject', use.name))
    .map((use) => ({ path: source[0], problem: `Invalid type: ${use.name}`, lineNumber: use.lineNumber, columnNumber: use.columnNumber }));
  // A field of a missing object is not reported again: its type already is.
  const missingFields = fields.filter((use) => has('CustomObject', use.object) && !has('CustomField', `${use.object}.${use.field}`))
    .map((use) => ({ path: source[0], problem: `Variable does not exist: ${use.field}`, lineNumber: use.lineNumber, columnNumber: use.columnNumber }));
  return [...missingTypes, ...missingFields];
}

/**
 * Whether the org holds a component once the deploy is done: this deploy's additions, else the stored ones
 * not deleted. A Task or Event field is looked for where it is kept, on Activity.
 */
function orgAfterDeploy(plan: DeployPlan, ctx: PlannerContext): (type: string, name: string) => boolean {
  const added = new Set(plan.additions.map((a) => key(a.handler.definition.storedAs, a.input.fullName)));
  const deleted = deletedKeys(plan);
  const stored = new Map<string, boolean>();
  return (type, asNamed) => {
    const name = type === 'CustomField' ? storedFieldName(asNamed) : asNamed;
    const k = key(type, name);
    if (added.has(k)) return true;
    if (deleted.has(k)) return false;
    let found = stored.get(k);
    if (found === undefined) stored.set(k, (found = !!ctx.store.components.get(ctx.org.id, type, name)));
    return found;
  };
}

function lwcResolver(plan: DeployPlan, ctx: PlannerContext): LwcResolver {
  const has = orgAfterDeploy(plan, ctx);
  return {
    apexClass: (name) => has('ApexClass', name),
    component: (name) => has('LightningComponentBundle', name),
    customLabel: (name) => has('CustomLabel', name),
    sobject: (name) => has('CustomObject', name),
    field: (object, field) => has('CustomField', `${object}.${field}`),
  };
}

/** What the deploy deletes, before or after its additions, by key(). */
const deletedKeys = (plan: DeployPlan) => new Set([...plan.preDeletions, ...plan.postDeletions].map((d) => key(d.existing.type, d.fullName)));

/** Fails the additions that name components the org will not have once the deploy is done. */
function refuseMissingReferences(plan: DeployPlan, ctx: PlannerContext): void {
  const deleted = deletedKeys(plan);
  const stored = (type: string, names: string[]) => ctx.store.components.getMany(ctx.org.id, type, names).filter((c) => !deleted.has(key(type, c.fullName)));
  const added = new Map(plan.additions.map((a) => [key(a.handler.definition.storedAs, a.input.fullName), a.input]));
  /** A child's XML (a field, a value set) in the org after the deploy: this deploy's, else the stored one. */
  const xmlOf = (type: string, name: string) => {
    const input = added.get(key(type, name));
    if (input) return (input.content ?? [...input.files.values()][0])?.toString('utf8');
    const [component] = stored(type, [name]);
    return (component?.content ?? [...(component?.files?.values() ?? [])][0])?.toString('utf8');
  };
  const lookup = (type: string, names: string[]) => (type === 'PicklistValue'
    ? existingPicklistValues(names, { field: (name) => xmlOf('CustomField', storedFieldName(name)), globalValueSet: (name) => xmlOf('GlobalValueSet', name) })
    : new Set(stored(type, names).map((c) => c.fullName.toLowerCase())));
  const failedBefore = new Set(plan.problems.filter((p) => p.problemType === 'Error' && p.componentType).map((p) => key(p.componentType, p.fullName)));
  const failures = missingReferences(plan.additions, lookup, failedBefore);
  if (!failures.length) return;
  const failed = new Set(failures.map((f) => f.addition));
  plan.additions = plan.additions.filter((a) => !failed.has(a));
  for (const { addition, problem, lineNumber, columnNumber } of failures) {
    plan.problems.push(failureMessage({ ...addition.where, ...(lineNumber ? { lineNumber, columnNumber } : {}) }, problem, ctx.createdDate));
  }
}
