import { key, type DeployPlan, type PlannedAddition, type PlannerContext } from '../../deploy/deployPlanner';
import { META } from '../../metadata/layout/componentPaths';
import { failEach, type Problem } from '../failEach';
import { CHECKABLE } from '../references/customNames';
import { deletedKeys, orgAfterDeploy, type OrgHas } from '../orgAfterDeploy';
import { analyseApex, type ApexAnalysis } from './apexAnalysis';
import { isPlatformType, platformMethods } from './apexLibrary';
import type { ApexMemberRead, ApexStaticCall } from './apexMethods';
import type { ApexQueryField } from './apexQueryFields';
import type { ApexUnitKind } from './apexSyntax';
import type { ApexTypeUse } from './apexTypeReferences';

const APEX_UNITS: Record<string, ApexUnitKind> = { ApexClass: 'class', ApexTrigger: 'trigger' };

/** A class's or trigger's source among its files (the one that is not its -meta.xml): its path and text. */
function sourceFile(files: Map<string, Buffer> | undefined): { path: string; source: string } | undefined {
  const file = [...(files ?? [])].find(([path]) => !path.endsWith(META));
  return file && { path: file[0], source: file[1].toString('utf8') };
}

/** A class's or trigger's source file in this deploy, and its kind, or undefined for other types. */
function apexSource(a: PlannedAddition): { path: string; source: string; kind: ApexUnitKind } | undefined {
  const kind = APEX_UNITS[a.handler.definition.xmlName];
  const file = kind && sourceFile(a.input.files);
  return file && { ...file, kind };
}

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

/** Where a name is used, and what the org says when it is missing. */
type Finding = { at: Pick<ApexTypeUse, 'lineNumber' | 'columnNumber'>; problem: string };

/**
 * The custom objects, custom fields, types, variables and static methods a class or trigger names that the org
 * will not have: one row per name, where it is first used.
 */
function apexNameProblems(a: PlannedAddition, org: ApexOrg): Problem[] {
  const unit = apexSource(a);
  return unit ? unitFindings(a.input.fullName, analyseApex(unit.source, unit.kind), org)
    .map(({ at, problem }) => ({ path: unit.path, problem, lineNumber: at.lineNumber, columnNumber: at.columnNumber })) : [];
}

/** What a class or trigger names that the org will not have, as findings. */
function unitFindings(fullName: string, analysis: ApexAnalysis, org: ApexOrg): Finding[] {
  const own = new Set([fullName, ...analysis.declared].map((n) => n.toLowerCase()));
  const inherited = org.inheritedNames(analysis);
  const bare = bareNameFindings(analysis, own, inherited, org);
  const missing = new Set(bare.map((f) => f.name));
  // A call or read on a class already reported missing is not reported again.
  const onKnown = (use: { type: string }) => !missing.has(use.type.toLowerCase()) && !inherited?.has(use.type.toLowerCase());
  const calls = analysis.staticCalls.filter(onKnown).flatMap((call): Finding[] => {
    const problem = org.missingMethod(call, analysis, own, inherited);
    return problem ? [{ at: call, problem }] : [];
  });
  const reads = analysis.memberReads.filter(onKnown).flatMap((read): Finding[] => {
    const problem = org.missingMember(read, analysis, own, inherited);
    return problem ? [{ at: read, problem }] : [];
  });
  return [...customNameFindings(analysis, org), ...bare, ...calls, ...reads];
}

/** The org's own custom objects and fields a class names, in code and in its queries, that the org will not have. */
function customNameFindings({ types, fields, queryFields }: ApexAnalysis, org: ApexOrg): Finding[] {
  // A standard object's custom fields are looked for, and a custom object's when the org has it; not those of an object
  // no deploy makes (Data Cloud's `__dlm` and `__dll`, which its data kits make) nor another namespace's.
  const knownObject = (object: string) => !object.includes('__') || (CHECKABLE.CustomObject!(object) && org.has('CustomObject', object));
  return [
    ...types.filter((use) => !org.has('CustomObject', use.name)).map((use) => ({ at: use, problem: `Invalid type: ${use.name}` })),
    // A field of a missing object is not reported again: its type already is.
    ...fields.filter((use) => org.has('CustomObject', use.object) && !org.has('CustomField', `${use.object}.${use.field}`))
      .map((use) => ({ at: use, problem: `Variable does not exist: ${use.field}` })),
    // The first missing field of each query, on an object the org has: the engine stops at the first.
    ...queryFields.flatMap((query) => {
      const missing = query.find((use) => knownObject(use.object) && !org.has('CustomField', `${use.object}.${use.field}`));
      return missing ? [{ at: missing, problem: noSuchColumn(missing) }] : [];
    }),
  ];
}

/** How real orgs word a class naming one that does not compile (the chained form of a captured deploy). */
const invalidDependent = (fullName: string, problem: string) => `Dependent class is invalid and needs recompilation:\n Class ${fullName} : ${problem}`;

/** The query engine's words for a missing field, as a deploy of Apex shows them: the query, a caret, the place, the reason. */
const noSuchColumn = (use: ApexQueryField) => `${use.query}\n${' '.repeat(use.column - 1)}^\nERROR at Row:1:Column:${use.column}\n` +
  `No such column '${use.field}' on entity '${use.object}'. If you are attempting to use a custom field, be sure to append the '__c' after ` +
  'the custom field name. Please reference your WSDL or the describe call for the appropriate names.';

/**
 * The types and values a class names by a bare name that resolve to nothing, with their names (lower case). A name
 * used both as a type and as a value is reported once, where it is first used. Values and types are not checked
 * when the class inherits from one that cannot be read (`inherited` null), but for the classes it extends.
 */
function bareNameFindings(analysis: ApexAnalysis, own: Set<string>, inherited: Set<string> | null, org: ApexOrg): (Finding & { name: string })[] {
  const values = inherited ? analysis.variables.undeclared.filter((use) => !inherited.has(use.name.toLowerCase())) : [];
  // Nor are types, but for the classes extended: a class extending one that cannot be read may name the types it
  // nests by their bare names (EDA's `DmlWrapper`, in classes extending `hed.TDTM_Runnable`).
  const bases = new Set(analysis.variables.extended.map((name) => name.toLowerCase()));
  const types = inherited ? analysis.typeNames : analysis.typeNames.filter((use) => bases.has(use.name.toLowerCase()));
  const uses = [...types.map((use) => ({ use, missing: `Invalid type: ${use.name}` })),
    ...values.map((use) => ({ use, missing: `Variable does not exist: ${use.name}` }))]
    .filter(({ use }) => !own.has(use.name.toLowerCase()))
    .sort((x, y) => x.use.lineNumber - y.use.lineNumber || x.use.columnNumber - y.use.columnNumber);
  const seen = new Set<string>();
  return uses.flatMap(({ use, missing }) => {
    const name = use.name.toLowerCase();
    if (seen.has(name)) return [];
    seen.add(name);
    const problem = org.resolve(use.name, missing);
    return problem ? [{ at: use, problem, name }] : [];
  });
}

/**
 * The org's Apex once the deploy is done, as the names of a class resolve against it: the platform's library,
 * the org's classes and the types nested in them, the fields classes inherit. A class this deploy failed to
 * compile is missing when it is new, and makes its users invalid dependents when the org has an earlier version
 * of it; so does a class of the org that this deploy breaks (a class it changed, a field or class it deleted),
 * as real orgs word both. Nested types are looked for only when a name is otherwise unknown, which a deploy that
 * compiles never needs.
 */
class ApexOrg {
  readonly has: OrgHas;
  private nested: Set<string> | undefined;
  private readonly added: Map<string, string>;
  private readonly declaredBy = new Map<string, Set<string> | null>();
  /** The org's classes this deploy does not carry, checked again: their first problem, or null when they still compile. */
  private readonly storedProblems = new Map<string, string | null>();
  private readonly storedSources = new Map<string, string | null>();
  private touched: RegExp | undefined;

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
      return this.ctx.store.components.get(this.ctx.org.id, 'ApexClass', failed.fullName) ? invalidDependent(failed.fullName, failed.problem) : missing;
    }
    if (isPlatformType(name)) return undefined;
    if (this.has('ApexClass', name)) {
      const broken = this.added.has(name.toLowerCase()) ? null : this.storedClassProblem(name);
      return broken ? invalidDependent(broken.fullName, broken.problem) : undefined;
    }
    this.nested ??= this.nestedTypes();
    return this.nested.has(name.toLowerCase()) ? undefined : missing;
  }

  /**
   * A class of the org that this deploy does not carry, checked again when its source names something the deploy
   * changes (a class it carries or deletes, an object or field it deletes): it compiled when it was deployed, and
   * only those can break it. Its first problem, or null.
   */
  private storedClassProblem(name: string): FailedClass | null {
    const k = name.toLowerCase();
    if (!this.storedProblems.has(k)) {
      this.storedProblems.set(k, null); // a class naming itself, or a cycle, is not broken by it
      const source = this.storedSource(name);
      if (source !== null && this.touchedBy().test(source)) {
        const [first] = unitFindings(name, analyseApex(source, 'class'), this);
        this.storedProblems.set(k, first ? first.problem : null);
      }
    }
    const problem = this.storedProblems.get(k);
    return problem ? { fullName: name, problem } : null;
  }

  /** The names this deploy changes, as one pattern: the classes it carries, and what it deletes. */
  private touchedBy(): RegExp {
    if (!this.touched) {
      const names = [...this.added.keys(), ...this.failedClasses.keys(),
        ...[...this.plan.preDeletions, ...this.plan.postDeletions].map((d) => d.fullName.split('.').pop()!)];
      const escaped = [...new Set(names)].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.touched = escaped.length ? new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'i') : /$^/;
    }
    return this.touched;
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

  /**
   * The org's words for a call to a method its type does not have, else undefined: a method the org's class does
   * not declare, or one no platform type of that name has (by the stubs' table, apexLibrary.ts). Not checked: a
   * class that extends another (its methods may be inherited), one that cannot be read here, a platform type the
   * table cannot speak for, and a platform type's name that something of the org or of the caller may shadow
   * (a class, a nested type, a variable it declares or may inherit).
   */
  missingMethod(call: ApexStaticCall, caller: ApexAnalysis, callerTypes: Set<string>, inherited: Set<string> | null): string | undefined {
    if (this.receiverUncertain(call, caller, callerTypes)) return undefined;
    const methods = isPlatformType(call.type) ? this.platformMethods(call, callerTypes, inherited) : this.orgClassMethods(call, caller, callerTypes);
    if (!methods || methods.has(call.method.toLowerCase())) return undefined;
    return `Method does not exist or incorrect signature: void ${call.method}(${call.argumentTypes.join(', ')}) from the type ${call.type}`;
  }

  /**
   * The org's words for a member read on an org class, by its name or through a variable of its type, that the
   * class declares nowhere (nor inherits, nor nests as a type): `Variable does not exist: total`, else undefined.
   * The platform's types' fields are not checked, nor a class that cannot be read here, nor a receiver's name that
   * something else may mean (as for calls).
   */
  missingMember(read: ApexMemberRead, caller: ApexAnalysis, callerTypes: Set<string>, inherited: Set<string> | null): string | undefined {
    const type = read.type.toLowerCase();
    if (isPlatformType(read.type) || (!read.onVariable && inherited === null) || this.receiverUncertain(read, caller, callerTypes)) return undefined;
    const names = callerTypes.has(type) ? inherited && new Set([...inherited, ...caller.variables.declared, ...caller.declared.map((n) => n.toLowerCase())])
      : this.declaredByClass(read.type, 0);
    return names && !names.has(read.member.toLowerCase()) ? `Variable does not exist: ${read.member}` : undefined;
  }

  /**
   * Whether what a call or read is made on may be something other than its type: a class this deploy failed, a bare
   * name the caller also declares as a variable, or a variable whose name is also a type's (variables are typed
   * file-wide: `Test.startTest()` in one method, with `String test` declared in another, is the type's call).
   */
  private receiverUncertain(use: ApexStaticCall | ApexMemberRead, caller: ApexAnalysis, callerTypes: Set<string>): boolean {
    const type = use.type.toLowerCase();
    if (this.failedClasses.has(type)) return true;
    return use.onVariable ? this.namesAType(use.receiver, callerTypes) : caller.variables.declared.includes(type);
  }

  /** Whether the org or the caller declares a type of this name (which a platform type's name then means): a class, a nested type, the caller's own. */
  private declaresType(name: string, callerTypes: Set<string>): boolean {
    this.nested ??= this.nestedTypes();
    const k = name.toLowerCase();
    return callerTypes.has(k) || this.nested.has(k) || this.has('ApexClass', name);
  }

  private namesAType(name: string, callerTypes: Set<string>): boolean {
    return isPlatformType(name) || this.declaresType(name, callerTypes);
  }

  private orgClassMethods(call: ApexStaticCall, caller: ApexAnalysis, callerTypes: Set<string>): Set<string> | undefined {
    const type = call.type.toLowerCase();
    const callee = callerTypes.has(type) ? caller : this.classAnalysis(call.type);
    return callee && !callee.syntax.length && !callee.variables.extended.length ? new Set(callee.methods) : undefined;
  }

  private platformMethods(call: ApexStaticCall, callerTypes: Set<string>, inherited: Set<string> | null): Set<string> | undefined {
    if ((!call.onVariable && inherited === null) || this.declaresType(call.type, callerTypes)) return undefined;
    return platformMethods(call.type);
  }

  /** A class of the org after the deploy, analysed: this deploy's version, else the stored one. */
  private classAnalysis(name: string): ApexAnalysis | undefined {
    const source = this.added.get(name.toLowerCase()) ?? (this.has('ApexClass', name) ? this.storedSource(name) : null);
    return source === null ? undefined : analyseApex(source, 'class');
  }

  /** A class's source as the org stores it, or null: read once a round, however many classes call it. */
  private storedSource(name: string): string | null {
    const k = name.toLowerCase();
    if (!this.storedSources.has(k)) {
      this.storedSources.set(k, sourceFile(this.ctx.store.components.get(this.ctx.org.id, 'ApexClass', name)?.files)?.source ?? null);
    }
    return this.storedSources.get(k)!;
  }

  private declaredByClass(name: string, depth: number): Set<string> | null {
    const k = name.toLowerCase();
    if (!this.declaredBy.has(k)) {
      const analysis = this.classAnalysis(name);
      const inherited = analysis && !analysis.syntax.length ? this.inheritedNames(analysis, depth + 1) : null;
      const types = analysis?.declared.map((n) => n.toLowerCase()) ?? [];
      this.declaredBy.set(k, inherited && analysis ? new Set([...inherited, ...analysis.variables.declared, ...types]) : null);
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
      const file = sourceFile(stored.files);
      if (file) add(file.source);
    }
    return names;
  }
}
