import { MetadataRegistry } from '../metadata/registry';
import type { ComponentInput, MetadataTypeHandler, PlanContext } from '../metadata/metadataType';
import { parseManifest, type Manifest } from '../package/manifest';
import { parseMetadataXml } from '../package/metadataXml';
import type { DeployMessage, DeployOptions } from '../operations/resultTypes';
import type { StoredComponent } from '../store/components';
import type { Store } from '../store/store';
import { failureMessage, type MessageWhere } from './deployMessages';
import { findComponents, splitPackages, type ComponentFiles, type DestructiveKind, type PackageFolder } from './packageLayout';
import { PackageProblems as P } from './packageProblems';

export interface PlannedAddition {
  handler: MetadataTypeHandler;
  input: ComponentInput;
  existing?: StoredComponent;
  plan: unknown;
  created: boolean;
  changed: boolean;
  warning?: string;
  where: MessageWhere;
}

export interface PlannedDeletion {
  handler: MetadataTypeHandler;
  fullName: string;
  existing: StoredComponent;
  where: MessageWhere;
}

export interface DeployPlan {
  preDeletions: PlannedDeletion[];
  additions: PlannedAddition[];
  postDeletions: PlannedDeletion[];
  /** Problems found while planning: Errors, and Warnings (destructive names that do not exist…). */
  problems: DeployMessage[];
  manifestPaths: string[];
}

export interface PlannerContext extends PlanContext {
  store: Store;
  createdDate: string;
}

/**
 * Reads every package of a deploy and decides, component by component, what the deploy would do,
 * without changing anything: the zip is checked through its manifests, not its folders.
 */
export function planDeploy(files: Map<string, Buffer>, options: DeployOptions, ctx: PlannerContext): DeployPlan {
  const plan: DeployPlan = { preDeletions: [], additions: [], postDeletions: [], problems: [], manifestPaths: [] };
  // Names are unique regardless of case across the whole deploy: two files for one name cannot both be deployed.
  const seen = new Map<string, string>();
  for (const pkg of splitPackages(files, options.singlePackage)) planPackage(pkg, options, ctx, plan, seen);
  return plan;
}

function planPackage(pkg: PackageFolder, options: DeployOptions, ctx: PlannerContext, plan: DeployPlan, seen: Map<string, string>): void {
  const manifestPath = `${pkg.prefix}package.xml`;
  const fail = (where: MessageWhere, problem: string) => plan.problems.push(failureMessage(where, problem, ctx.createdDate));
  const atManifest = (fullName = 'package.xml', componentType = ''): MessageWhere => ({ fileName: manifestPath, fullName, componentType });
  if (!pkg.manifest) return void fail(atManifest(), P.noManifest);
  plan.manifestPaths.push(manifestPath);
  const read = parseManifest(pkg.manifest.toString('utf8'), true);
  if (!read.ok) return void fail({ ...atManifest(), lineNumber: read.error.lineNumber, columnNumber: read.error.columnNumber }, read.error.problem);
  const manifest = read.manifest;

  const deleted = new Set<string>();
  const key = (type: string, name: string) => `${type}:${name.toLowerCase()}`;
  const stored = (h: MetadataTypeHandler, name: string) =>
    deleted.has(key(h.definition.xmlName, name)) ? undefined : ctx.store.components.get(ctx.org.id, h.definition.xmlName, name);

  for (const kind of ['destructiveChangesPre.xml', 'destructiveChanges.xml'] as const) {
    for (const d of planDeletions(pkg, kind, manifest.version, ctx, plan, stored)) {
      plan.preDeletions.push(d);
      deleted.add(key(d.handler.definition.xmlName, d.fullName));
    }
  }

  const { components, stray } = findComponents(pkg);
  const listed = new Set<ComponentFiles>();
  for (const type of manifest.types) {
    const handler = MetadataRegistry.resolve(type.name, manifest.version);
    if (!handler) {
      if (MetadataRegistry.isKnownButNotEmulated(type.name)) {
        for (const member of type.members) fail(atManifest(member, type.name), MetadataRegistry.notEmulatedMessage(type.name));
      } else {
        fail(atManifest(), P.unknownType(type.name));
      }
      continue;
    }
    const ofType = components.filter((c) => c.handler === handler);
    for (const member of type.members) {
      if (member === '*') {
        ofType.forEach((c) => listed.add(c));
        continue;
      }
      const found = ofType.find((c) => c.fullName === member);
      if (found) listed.add(found);
      else if (!options.allowMissingFiles) fail(atManifest(member, type.name), P.listedButMissing(member, type.name));
    }
  }
  for (const c of components) {
    const where = { fileName: pkg.prefix + (c.contentPath ?? c.metaPath!), fullName: c.fullName, componentType: c.handler.definition.xmlName };
    if (!listed.has(c)) { fail(where, P.notInManifest); continue; }
    const twin = seen.get(key(c.handler.definition.xmlName, c.fullName));
    if (twin) { fail(where, P.sameNameTwice(c.handler.definition.xmlName, c.fullName, twin)); continue; }
    seen.set(key(c.handler.definition.xmlName, c.fullName), where.fileName);
    const addition = planAddition(c, pkg.prefix, where, ctx, stored(c.handler, c.fullName), options.ignoreWarnings);
    if ('handler' in addition) plan.additions.push(addition);
    else plan.problems.push(addition);
  }
  for (const rel of stray) fail({ fileName: pkg.prefix + rel, fullName: rel, componentType: '' }, P.notInManifest);

  const added = new Set(plan.additions.map((a) => key(a.handler.definition.xmlName, a.input.fullName)));
  const storedOrAdded = (h: MetadataTypeHandler, name: string) =>
    stored(h, name) ?? (added.has(key(h.definition.xmlName, name)) ? placeholder(h, name, ctx) : undefined);
  plan.postDeletions.push(...planDeletions(pkg, 'destructiveChangesPost.xml', manifest.version, ctx, plan, storedOrAdded));
}

/** A component that the same deploy adds, so that a post-destructive change of it is no Warning. */
function placeholder(h: MetadataTypeHandler, fullName: string, ctx: PlannerContext): StoredComponent {
  return { orgId: ctx.org.id, type: h.definition.xmlName, fullName, id: '', fields: {}, content: null, createdById: '', createdDate: '', lastModifiedById: '', lastModifiedDate: '' };
}

function planDeletions(
  pkg: PackageFolder, kind: DestructiveKind, version: number | undefined, ctx: PlannerContext, plan: DeployPlan,
  lookup: (h: MetadataTypeHandler, name: string) => StoredComponent | undefined,
): PlannedDeletion[] {
  const bytes = pkg.destructive[kind];
  if (!bytes) return [];
  const fileName = pkg.prefix + kind;
  const fail = (where: MessageWhere, problem: string, type: 'Error' | 'Warning' = 'Error') =>
    plan.problems.push(failureMessage(where, problem, ctx.createdDate, type));
  const read = parseManifest(bytes.toString('utf8'), false);
  if (!read.ok) {
    fail({ fileName, fullName: kind, componentType: '', lineNumber: read.error.lineNumber, columnNumber: read.error.columnNumber }, read.error.problem);
    return [];
  }
  const out: PlannedDeletion[] = [];
  for (const type of (read.manifest as Manifest).types) {
    const handler = MetadataRegistry.resolve(type.name, read.manifest.version ?? version);
    if (!handler) {
      fail({ fileName, fullName: kind, componentType: '' }, MetadataRegistry.isKnownButNotEmulated(type.name) ? MetadataRegistry.notEmulatedMessage(type.name) : P.unknownType(type.name, kind));
      continue;
    }
    for (const member of type.members) {
      const where = { fileName, fullName: member, componentType: type.name };
      if (member === '*') { fail(where, P.wildcardInDestructive(kind)); continue; }
      const existing = lookup(handler, member);
      if (!existing) fail({ fileName, fullName: kind, componentType: type.name }, P.noSuchComponent(type.name, member), 'Warning');
      else out.push({ handler, fullName: existing.fullName || member, existing, where });
    }
  }
  return out;
}

function planAddition(
  c: ComponentFiles, prefix: string, where: MessageWhere, ctx: PlannerContext, existing: StoredComponent | undefined, ignoreWarnings: boolean,
): PlannedAddition | DeployMessage {
  const problem = (text: string, at?: { lineNumber?: number; columnNumber?: number }, fileName = where.fileName) =>
    failureMessage({ ...where, fileName, ...at }, text, ctx.createdDate);
  const nameProblem = c.handler.validateName(c.fullName);
  if (nameProblem) return problem(nameProblem);
  const { directoryName, suffix, xmlName } = c.handler.definition;
  if (!c.meta) return problem(P.missingMetaFile(xmlName, c.fullName, `${prefix}${directoryName}/${c.fullName}.${suffix}-meta.xml`));
  if (!c.content) return problem(P.missingContentFile(xmlName, c.fullName, `${prefix}${directoryName}/${c.fullName}.${suffix}`));
  const metaFile = prefix + c.metaPath!;
  const parsed = parseMetadataXml(c.meta.toString('utf8'), xmlName, c.handler.skippedMetaFields);
  if (!parsed.ok) return problem(parsed.error.problem, parsed.error, metaFile);
  const input: ComponentInput = { fullName: c.fullName, fields: parsed.value, content: c.content };
  const result = c.handler.plan(input, existing, ctx);
  if (!result.ok) {
    const at = result.field ? parsed.fieldsAt[result.field] ?? (result.field === 'content' ? undefined : parsed.rootAt) : undefined;
    return problem(result.problem, at, at ? metaFile : where.fileName);
  }
  // A Warning fails the deploy unless ignoreWarnings; then the component deploys and its message carries it.
  if (result.warning && !ignoreWarnings) return failureMessage(where, result.warning, ctx.createdDate, 'Warning');
  return { handler: c.handler, input, existing, plan: result.plan, created: result.created, changed: result.changed, warning: result.warning, where };
}
