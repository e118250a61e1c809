import { failureMessage } from '../deploy/deployMessages';
import { key, type DeployPlan, type PlannedAddition, type PlannerContext } from '../deploy/deployPlanner';
import { META } from '../metadata/layout/componentPaths';
import { analyseApex } from './apex/apexAnalysis';
import { isPlatformType } from './apex/apexLibrary';
import type { ApexTypeUse } from './apex/apexTypeReferences';
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
  if (ctx.checks.has('apex')) await checkApex(plan, ctx);
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

/**
 * Runs a per-component check over the additions, in slices of the event loop, and fails those it finds problems in;
 * `failed` hears of each with its problems.
 */
async function failEach(plan: DeployPlan, ctx: PlannerContext, problemsOf: (a: PlannedAddition) => Problem[],
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

const APEX_UNITS: Record<string, ApexUnitKind> = { ApexClass: 'class', ApexTrigger: 'trigger' };

/** A class's or trigger's source file (its path in the component, its text), or undefined for other types. */
function apexSource(a: PlannedAddition): { path: string; source: string; kind: ApexUnitKind } | undefined {
  const kind = APEX_UNITS[a.handler.definition.xmlName];
  const file = kind && [...a.input.files].find(([path]) => !path.endsWith(META));
  return file && { path: file[0], source: file[1].toString('utf8'), kind };
}

/**
 * Apex compiled as the org compiles a deploy: syntax first, then the names each class and trigger uses, resolved
 * against the org after the deploy and the platform's library. A class that fails makes those naming it fail in
 * turn, round after round (a chain of classes), as the org's compile of dependent classes does.
 */
async function checkApex(plan: DeployPlan, ctx: PlannerContext): Promise<void> {
  const failedClasses = new Map<string, FailedClass>();
  const remember = (a: PlannedAddition, problems: Problem[]) => {
    if (a.handler.definition.xmlName === 'ApexClass') failedClasses.set(a.input.fullName.toLowerCase(), { fullName: a.input.fullName, problem: problems[0]!.problem });
  };
  await failEach(plan, ctx, (a) => {
    const unit = apexSource(a);
    return unit ? analyseApex(unit.source, unit.kind).syntax.map((p) => ({ ...p, path: unit.path })) : [];
  }, remember);
  for (let known = -1; known < failedClasses.size;) {
    known = failedClasses.size;
    const resolve = apexNameResolver(plan, ctx, failedClasses);
    await failEach(plan, ctx, (a) => apexNameProblems(a, orgAfterDeploy(plan, ctx), resolve), remember);
  }
}

/** A class this deploy failed to compile, and the first problem it failed with. */
interface FailedClass { fullName: string; problem: string }

/** The custom objects, custom fields and other types a class or trigger names that the org will not have. */
function apexNameProblems(a: PlannedAddition, has: (type: string, name: string) => boolean, resolve: ApexNameResolver): Problem[] {
  const unit = apexSource(a);
  if (!unit) return [];
  const { types, fields, typeNames, declared } = analyseApex(unit.source, unit.kind);
  const at = (use: Pick<ApexTypeUse, 'lineNumber' | 'columnNumber'>, problem: string) => ({ path: unit.path, problem, lineNumber: use.lineNumber, columnNumber: use.columnNumber });
  const own = new Set([a.input.fullName, ...declared].map((n) => n.toLowerCase()));
  return [
    ...types.filter((use) => !has('CustomObject', use.name)).map((use) => at(use, `Invalid type: ${use.name}`)),
    // A field of a missing object is not reported again: its type already is.
    ...fields.filter((use) => has('CustomObject', use.object) && !has('CustomField', `${use.object}.${use.field}`))
      .map((use) => at(use, `Variable does not exist: ${use.field}`)),
    ...typeNames.flatMap((use) => {
      const problem = own.has(use.name.toLowerCase()) ? undefined : resolve(use.name);
      return problem ? [at(use, problem)] : [];
    }),
  ];
}

/** The org's words for a bare type name that resolves to nothing, or undefined when it resolves. */
type ApexNameResolver = (name: string) => string | undefined;

/**
 * Resolves bare type names against the platform's library and the org's Apex once the deploy is done. A class this
 * deploy failed to compile is `Invalid type` when it is new, and makes its users invalid dependents when the org
 * has an earlier version of it (the words of real orgs for both). Types nested in classes are looked for only
 * when a name is otherwise unknown, which a deploy that compiles never needs.
 */
function apexNameResolver(plan: DeployPlan, ctx: PlannerContext, failedClasses: Map<string, FailedClass>): ApexNameResolver {
  const has = orgAfterDeploy(plan, ctx);
  let nested: Set<string> | undefined;
  return (name) => {
    const failed = failedClasses.get(name.toLowerCase());
    if (failed) {
      return ctx.store.components.get(ctx.org.id, 'ApexClass', failed.fullName)
        ? `Dependent class is invalid and needs recompilation:\n Class ${failed.fullName} : ${failed.problem}` : `Invalid type: ${name}`;
    }
    if (isPlatformType(name) || has('ApexClass', name)) return undefined;
    nested ??= nestedApexTypes(plan, ctx);
    return nested.has(name.toLowerCase()) ? undefined : `Invalid type: ${name}`;
  };
}

/** The types declared inside the org's classes once the deploy is done (lower case); a wider set than Apex lets a class see. */
function nestedApexTypes(plan: DeployPlan, ctx: PlannerContext): Set<string> {
  const deployed = new Set<string>();
  const names = new Set<string>();
  const add = (source: string) => analyseApex(source, 'class').declared.forEach((n) => names.add(n.toLowerCase()));
  for (const a of plan.additions) {
    const unit = apexSource(a);
    if (unit?.kind === 'class') { add(unit.source); deployed.add(a.input.fullName.toLowerCase()); }
  }
  const deleted = deletedKeys(plan);
  for (const stored of ctx.store.components.list(ctx.org.id, 'ApexClass')) {
    if (deployed.has(stored.fullName.toLowerCase()) || deleted.has(key('ApexClass', stored.fullName))) continue;
    const file = [...(stored.files ?? [])].find(([path]) => !path.endsWith(META));
    if (file) add(file[1].toString('utf8'));
  }
  return names;
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
