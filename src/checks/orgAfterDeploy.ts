import { key, type DeployPlan, type PlannerContext } from '../deploy/deployPlanner';
import { isDeveloperEditionField, storedFieldName } from './references/customNames';

/** Whether the org holds a component of a type, by name. */
export type OrgHas = (type: string, name: string) => boolean;

/**
 * Whether the org holds a component once the deploy is done: this deploy's additions, else the stored ones
 * not deleted, and the fields a Developer Edition org is made with. A Task or Event field is looked for where
 * it is kept, on Activity.
 */
export function orgAfterDeploy(plan: DeployPlan, ctx: PlannerContext): OrgHas {
  const added = new Set(plan.additions.map((a) => key(a.handler.definition.storedAs, a.input.fullName)));
  const deleted = deletedKeys(plan);
  const stored = new Map<string, boolean>();
  return (type, asNamed) => {
    const name = type === 'CustomField' ? storedFieldName(asNamed) : asNamed;
    const k = key(type, name);
    if (added.has(k)) return true;
    if (deleted.has(k)) return false;
    if (type === 'CustomField' && isDeveloperEditionField(asNamed)) return true;
    let found = stored.get(k);
    if (found === undefined) stored.set(k, (found = !!ctx.store.components.get(ctx.org.id, type, name)));
    return found;
  };
}

/** What the deploy deletes, before or after its additions, by key(). */
export const deletedKeys = (plan: DeployPlan) => new Set([...plan.preDeletions, ...plan.postDeletions].map((d) => key(d.existing.type, d.fullName)));

