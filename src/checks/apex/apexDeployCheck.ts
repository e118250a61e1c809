import { key, type DeployPlan, type PlannedAddition, type PlannerContext } from '../../deploy/deployPlanner';
import { META } from '../../metadata/layout/componentPaths';
import { failEach, type Problem } from '../failEach';
import { deletedKeys, orgAfterDeploy, type OrgHas } from '../orgAfterDeploy';
import { analyseApex, type ApexAnalysis } from './apexAnalysis';
import { isPlatformType } from './apexLibrary';
import type { ApexUnitKind } from './apexSyntax';
import type { ApexTypeUse } from './apexTypeReferences';

const APEX_UNITS: Record<string, ApexUnitKind> = { ApexClass: 'class', ApexTrigger: 'trigger' };

/** A class's or trigger's source file (its path in the component, its text), or undefined for other types. */
function apexSource(a: PlannedAddition): { path: string; source: string; kind: ApexUnitKind } | undefined {
  const kind = APEX_UNITS[a.handler.definition.xmlName];
  const file = kind && [...a.input.files].find(([path]) => !path.endsWith(META));
  return file && { path: file[0], source: file[1].toString('utf8'), kind };
}

const storedSource = (files: Map<string, Buffer> | undefined) => {
  const file = [...(files ?? [])].find(([path]) => !path.endsWith(META));
  return file?.[1].toString('utf8');
};

/**
 * Apex compiled as the org compiles a deploy: syntax first, then the names each class and trigger uses, resolved
 * against the org after the deploy and the platform's library. A class that fails makes those naming it fail in
 * turn, round after round (a chain of classes), as the org's compile of dependent classes does.
 */
export async function checkApex(plan: DeployPlan, ctx: PlannerContext): Promise<void> {
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
    const org = new ApexOrg(plan, ctx, failedClasses);
    await failEach(plan, ctx, (a) => apexNameProblems(a, org), remember);
  }
}

/** A class this deploy failed to compile, and the first problem it failed with. */
interface FailedClass { fullName: string; problem: string }

/**
 * The custom objects, custom fields, types and variables a class or trigger names that the org will not have:
 * one row per name, where it is first used.
 */
function apexNameProblems(a: PlannedAddition, org: ApexOrg): Problem[] {
  const unit = apexSource(a);
  if (!unit) return [];
  const analysis = analyseApex(unit.source, unit.kind);
  const { types, fields, typeNames, declared, variables } = analysis;
  const at = (use: Pick<ApexTypeUse, 'lineNumber' | 'columnNumber'>, problem: string) => ({ path: unit.path, problem, lineNumber: use.lineNumber, columnNumber: use.columnNumber });
  const own = new Set([a.input.fullName, ...declared].map((n) => n.toLowerCase()));
  const inherited = org.inheritedNames(analysis);
  // A name used both as a type and as a value is reported once, where it is first used.
  const named = [...typeNames.map((use) => ({ use, missing: `Invalid type: ${use.name}` })),
    ...(inherited ? variables.undeclared.filter((use) => !inherited.has(use.name.toLowerCase())).map((use) => ({ use, missing: `Variable does not exist: ${use.name}` })) : [])]
    .filter(({ use }) => !own.has(use.name.toLowerCase()))
    .sort((x, y) => x.use.lineNumber - y.use.lineNumber || x.use.columnNumber - y.use.columnNumber);
  const reported = new Set<string>();
  return [
    ...types.filter((use) => !org.has('CustomObject', use.name)).map((use) => at(use, `Invalid type: ${use.name}`)),
    // A field of a missing object is not reported again: its type already is.
    ...fields.filter((use) => org.has('CustomObject', use.object) && !org.has('CustomField', `${use.object}.${use.field}`))
      .map((use) => at(use, `Variable does not exist: ${use.field}`)),
    ...named.flatMap(({ use, missing }) => {
      const name = use.name.toLowerCase();
      const problem = reported.has(name) ? undefined : org.resolve(use.name, missing);
      reported.add(name);
      return problem ? [at(use, problem)] : [];
    }),
  ];
}

/**
 * The org's Apex once the deploy is done, as the names of a class resolve against it: the platform's library,
 * the org's classes and the types nested in them, the fields classes inherit. A class this deploy failed to
 * compile is missing when it is new, and makes its users invalid dependents when the org has an earlier version
 * of it (the words of real orgs for both). Nested types are looked for only when a name is otherwise unknown,
 * which a deploy that compiles never needs.
 */
class ApexOrg {
  readonly has: OrgHas;
  private nested: Set<string> | undefined;
  private readonly added: Map<string, string>;
  private readonly declaredBy = new Map<string, Set<string> | null>();

  constructor(private readonly plan: DeployPlan, private readonly ctx: PlannerContext, private readonly failedClasses: Map<string, FailedClass>) {
    this.has = orgAfterDeploy(plan, ctx);
    this.added = new Map(plan.additions.flatMap((a) => {
      const unit = apexSource(a);
      return unit?.kind === 'class' ? [[a.input.fullName.toLowerCase(), unit.source] as const] : [];
    }));
  }

  /** The org's words for a name that resolves to nothing (`missing`, or an invalid dependent), else undefined. */
  resolve(name: string, missing: string): string | undefined {
    const failed = this.failedClasses.get(name.toLowerCase());
    if (failed) {
      return this.ctx.store.components.get(this.ctx.org.id, 'ApexClass', failed.fullName)
        ? `Dependent class is invalid and needs recompilation:\n Class ${failed.fullName} : ${failed.problem}` : missing;
    }
    if (isPlatformType(name) || this.has('ApexClass', name)) return undefined;
    this.nested ??= this.nestedTypes();
    return this.nested.has(name.toLowerCase()) ? undefined : missing;
  }

  /**
   * The names a class inherits from the org's classes it extends, up their chain; null when one of them cannot
   * be read here (a managed package's, or one missing), and its variables are then not checked.
   */
  inheritedNames(analysis: ApexAnalysis, depth = 0): Set<string> | null {
    const names = new Set<string>();
    for (const base of analysis.variables.extended) {
      if (analysis.declared.some((d) => d.toLowerCase() === base.toLowerCase()) || isPlatformType(base)) continue;
      const declared = base.includes('.') || depth > 10 ? null : this.declaredByClass(base, depth);
      if (!declared) return null;
      declared.forEach((n) => names.add(n));
    }
    return names;
  }

  private declaredByClass(name: string, depth: number): Set<string> | null {
    const k = name.toLowerCase();
    if (!this.declaredBy.has(k)) {
      const source = this.added.get(k) ?? (this.has('ApexClass', name) ? storedSource(this.ctx.store.components.get(this.ctx.org.id, 'ApexClass', name)?.files) : undefined);
      const analysis = source === undefined ? undefined : analyseApex(source, 'class');
      const inherited = analysis && !analysis.syntax.length ? this.inheritedNames(analysis, depth + 1) : null;
      this.declaredBy.set(k, inherited && analysis ? new Set([...inherited, ...analysis.variables.declared]) : null);
    }
    return this.declaredBy.get(k)!;
  }

  /** The types declared inside the org's classes once the deploy is done (lower case); a wider set than Apex lets a class see. */
  private nestedTypes(): Set<string> {
    const names = new Set<string>();
    const add = (source: string) => analyseApex(source, 'class').declared.forEach((n) => names.add(n.toLowerCase()));
    this.added.forEach(add);
    const deleted = deletedKeys(this.plan);
    for (const stored of this.ctx.store.components.list(this.ctx.org.id, 'ApexClass')) {
      if (this.added.has(stored.fullName.toLowerCase()) || deleted.has(key('ApexClass', stored.fullName))) continue;
      const source = storedSource(stored.files);
      if (source !== undefined) add(source);
    }
    return names;
  }
}
