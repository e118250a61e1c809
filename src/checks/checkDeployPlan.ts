import { failureMessage } from '../deploy/deployMessages';
import { key, type DeployPlan, type PlannerContext } from '../deploy/deployPlanner';
import { nextTurn } from '../eventLoopSlices';
import { checkApex } from './apex/apexDeployCheck';
import type { DeployChecks } from './deployChecks';
import { failEach } from './failEach';
import { lwcBundleProblems, type LwcResolver } from './lwc/lwcBundle';
import { deletedKeys, orgAfterDeploy } from './orgAfterDeploy';
import { auraBundleProblems } from './references/auraMarkup';
import { storedFieldName } from './references/customNames';
import { existingPicklistValues } from './references/picklistValues';
import { missingReferences } from './references/referenceCheck';
import { visualforceProblems } from './references/visualforceMarkup';

const VISUALFORCE = new Set(['ApexPage', 'ApexComponent']);

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
    await failEach(plan, ctx, (a) => (VISUALFORCE.has(a.handler.definition.xmlName)
      ? visualforceProblems(a.input.files, has).map((p) => ({ ...p, path: p.fileName })) : []));
    await nextTurn();
    refuseMissingReferences(plan, ctx);
  }
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
  const storedNames = (type: string, names: string[]) => new Set(stored(type, names).map((c) => c.fullName.toLowerCase()));
  /** A flow the org keeps in the versioned layout (`Name-3`, as packaging orgs still write flows) is its flow `Name`. */
  const flows = (names: string[]) => {
    const found = storedNames('Flow', names);
    const isVersionOf = (name: string, c: { fullName: string }) => /^-\d+$/.test(c.fullName.slice(name.length)) && !deleted.has(key('Flow', c.fullName));
    for (const name of names.filter((n) => !found.has(n.toLowerCase()))) {
      if (ctx.store.components.withPrefix(ctx.org.id, 'Flow', `${name}-`).some((c) => isVersionOf(name, c))) found.add(name.toLowerCase());
    }
    return found;
  };
  const lookup = (type: string, names: string[]) => (type === 'PicklistValue'
    ? existingPicklistValues(names, { field: (name) => xmlOf('CustomField', storedFieldName(name)), globalValueSet: (name) => xmlOf('GlobalValueSet', name) })
    : type === 'Flow' ? flows(names) : storedNames(type, names));
  const failedBefore = new Set(plan.problems.filter((p) => p.problemType === 'Error' && p.componentType).map((p) => key(p.componentType, p.fullName)));
  const failures = missingReferences(plan.additions, lookup, failedBefore);
  if (!failures.length) return;
  const failed = new Set(failures.map((f) => f.addition));
  plan.additions = plan.additions.filter((a) => !failed.has(a));
  for (const { addition, problem, lineNumber, columnNumber } of failures) {
    plan.problems.push(failureMessage({ ...addition.where, ...(lineNumber ? { lineNumber, columnNumber } : {}) }, problem, ctx.createdDate));
  }
}
