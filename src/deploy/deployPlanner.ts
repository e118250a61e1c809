import { newestApiVersion } from '../apiVersions';
import type { DeployChecks } from '../checks/deployChecks';
import { SharedReferences } from '../checks/references/referenceCheck';
import { locateComponents } from '../metadata/layout/locateComponents';
import { MetadataRegistry } from '../metadata/registry';
import {
  isFileProblem, type ChildInput, type ComponentInput, type LocatedComponent, type MetadataTypeHandler, type PlanContext, type ReadOptions,
} from '../metadata/metadataType';
import { certificateInUseMessage, REFERRING_TYPES, usesOf, type ComponentFiles } from '../metadata/certificate/certificateReferences';
import { parentNameOf } from '../metadata/stored/parentFile';
import { parseManifest, type Manifest } from '../package/manifest';
import type { DeployMessage, DeployOptions } from '../model/resultTypes';
import type { StoredComponent } from '../store/components';
import type { Store } from '../store/store';
import { failureMessage, type MessageWhere } from './deployMessages';
import { splitPackages, type DestructiveKind, type PackageFolder } from './packageLayout';
import { PackageProblems as P } from './packageProblems';
import { eventLoopSlices, nextTurn } from '../eventLoopSlices';

export interface PlannedAddition {
  handler: MetadataTypeHandler;
  input: ComponentInput;
  existing?: StoredComponent;
  plan: unknown;
  created: boolean;
  changed: boolean;
  warning?: string;
  where: MessageWhere;
  /** The named package (package.xml `<fullName>`) it is deployed in. */
  packageName?: string;
  /** Its package's folder in the zip (`''` for a single package): its files' paths are relative to it. */
  prefix: string;
  /**
   * Made only so that its listed children have a parent (`Account` for `Account.Field__c`):
   * not a component the manifest named, so not reported or counted.
   */
  implicit?: boolean;
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
  /** The deploy's checks (src/checks/deployChecks.ts); none when not given. */
  checks?: DeployChecks;
}

export const key = (type: string, name: string) => `${type}:${name.toLowerCase()}`;

function pushTo<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value); else map.set(k, [value]);
}

/**
 * Reads every package of a deploy and decides, component by component, what the deploy would do,
 * without changing anything: the zip is checked through its manifests, not its folders.
 */
export async function planDeploy(files: Map<string, Buffer>, options: DeployOptions, ctx: PlannerContext): Promise<DeployPlan> {
  const plan: DeployPlan = { preDeletions: [], additions: [], postDeletions: [], problems: [], manifestPaths: [] };
  // Names are unique regardless of case across the whole deploy: two files for one name cannot both be deployed.
  const seen = new Map<string, string>();
  for (const pkg of splitPackages(files, options.singlePackage)) await new PackagePlanner(pkg, options, ctx, plan, seen).run();
  return plan;
}

/** How long reading a package's files holds the event loop before other requests are let in. */
const READ_SLICE_MS = 20;

/** What a package's manifest lists of one located component: all of it, or some of the children its file holds. */
type Listing = { whole: true } | { whole: false; children: Set<string> };

class PackagePlanner {
  private readonly manifestPath: string;
  private readonly deleted = new Set<string>();
  private readonly reads = new Map<LocatedComponent, ComponentInput | ReturnType<MetadataTypeHandler['read']>>();
  private packageName?: string;
  /** Files are read at the package's API version (the newest the server answers when it names none). */
  private readOptions?: ReadOptions;

  constructor(
    private readonly pkg: PackageFolder, private readonly options: DeployOptions, private readonly ctx: PlannerContext,
    private readonly plan: DeployPlan, private readonly seen: Map<string, string>,
  ) {
    this.manifestPath = `${pkg.prefix}package.xml`;
  }

  private fail(where: MessageWhere, problem: string, type: 'Error' | 'Warning' = 'Error'): void {
    this.plan.problems.push(failureMessage(where, problem, this.ctx.createdDate, type));
  }

  private atManifest(fullName = 'package.xml', componentType = ''): MessageWhere {
    return { fileName: this.manifestPath, fullName, componentType };
  }

  /** Stored components read ahead, by type and name (null: known not to exist). */
  private readonly prefetched = new Map<string, StoredComponent | null>();

  private stored(type: string, name: string): StoredComponent | undefined {
    if (this.deleted.has(key(type, name))) return undefined;
    const known = this.prefetched.get(key(type, name));
    if (known !== undefined) return known ?? undefined;
    return this.ctx.store.components.get(this.ctx.org.id, type, name);
  }

  /** Reads the stored components of many names at once, for stored() to answer from. */
  private prefetch(type: string, names: string[]): void {
    const wanted = names.filter((n) => !this.prefetched.has(key(type, n)));
    for (const n of wanted) this.prefetched.set(key(type, n), null);
    for (const c of this.ctx.store.components.getMany(this.ctx.org.id, type, wanted)) this.prefetched.set(key(type, c.fullName), c);
  }

  private read(c: LocatedComponent) {
    let read = this.reads.get(c);
    if (!read) this.reads.set(c, (read = MetadataRegistry.get(c.type.xmlName)!.read(c, this.readOptions)));
    return read;
  }

  async run(): Promise<void> {
    const firstPre = this.plan.preDeletions.length;
    const firstPost = this.plan.postDeletions.length;
    await this.planPackage();
    this.refuseCertificatesInUse(firstPre, firstPost);
  }

  private async planPackage(): Promise<void> {
    const { pkg } = this;
    if (!pkg.manifest) return this.fail(this.atManifest(), P.noManifest);
    this.plan.manifestPaths.push(this.manifestPath);
    const read = parseManifest(pkg.manifest.toString('utf8'), true);
    if (!read.ok) return this.fail({ ...this.atManifest(), lineNumber: read.error.lineNumber, columnNumber: read.error.columnNumber }, read.error.problem);
    const manifest = read.manifest;
    this.packageName = manifest.fullName;
    this.readOptions = { apiVersion: manifest.version ?? newestApiVersion(), checks: this.ctx.checks ?? new Set(), sharedReferences: new SharedReferences() };

    for (const kind of ['destructiveChangesPre.xml', 'destructiveChanges.xml'] as const) {
      for (const d of this.deletions(kind, manifest.version, (type, name) => this.stored(type, name))) {
        this.plan.preDeletions.push(d);
        this.deleted.add(key(d.existing.type, d.fullName));
      }
    }

    const { components, stray } = locateComponents(pkg.files);
    // Every file is read (and schema-checked) first, in slices of the event loop: on a large package this
    // is most of the planning, and the steps below then find each read done.
    const slices = eventLoopSlices(READ_SLICE_MS);
    for (const c of components) {
      this.read(c);
      if (slices.due()) await slices.next();
    }
    await nextTurn();
    const namesByType = new Map<string, string[]>();
    for (const c of components) pushTo(namesByType, c.type.storedAs, c.fullName);
    for (const [type, names] of namesByType) this.prefetch(type, names);
    const listings = this.listings(manifest, components);
    for (const c of components) {
      const listing = listings.get(c);
      // A component the manifest does not list, of a type it names or not, is refused, as real orgs refuse it;
      // but for a parent file with nothing in it, which carries nothing to deploy.
      if (listing) this.addComponent(c, listing);
      else if (!isEmptyParent(c)) this.fail({ fileName: pkg.prefix + c.mainPath, fullName: c.fullName, componentType: c.type.xmlName }, P.notInManifest);
    }
    // A file in a type's folder that is no component of it is refused; one outside every type's folder
    // (`.DS_Store`, `.git/HEAD`, a README beside the manifest: the sf CLI zips a metadata folder whole) is passed over.
    for (const rel of stray.filter(inTypeFolder)) this.fail({ fileName: pkg.prefix + rel, fullName: rel, componentType: '' }, P.notInManifest);

    const added = new Set(this.plan.additions.map((a) => key(a.handler.definition.storedAs, a.input.fullName)));
    this.plan.postDeletions.push(...this.deletions('destructiveChangesPost.xml', manifest.version,
      (type, name) => this.stored(type, name) ?? (added.has(key(type, name)) ? placeholder(type, name, this.ctx) : undefined)));
  }

  /**
   * A certificate that another component uses cannot be deleted. Pre-deletions happen before the
   * deploy's additions, so they see the stored components; post-deletions see the components as the
   * additions leave them. Deleting the users in the same deploy frees the certificate.
   */
  private refuseCertificatesInUse(firstPre: number, firstPost: number): void {
    const certificates = (list: PlannedDeletion[], from: number) => list.slice(from).filter((d) => d.existing.type === 'Certificate' && d.existing.id);
    const pre = certificates(this.plan.preDeletions, firstPre);
    const post = certificates(this.plan.postDeletions, firstPost);
    if (!pre.length && !post.length) return;
    const referring = new Set<string>(REFERRING_TYPES);
    const preDeleted = new Set(this.plan.preDeletions.map((d) => key(d.existing.type, d.fullName)));
    const deleted = new Set([...preDeleted, ...this.plan.postDeletions.map((d) => key(d.existing.type, d.fullName))]);
    const stored: ComponentFiles[] = REFERRING_TYPES.flatMap((t) => this.ctx.store.components.list(this.ctx.org.id, t))
      .filter((c) => !preDeleted.has(key(c.type, c.fullName)));
    const added: ComponentFiles[] = this.plan.additions.filter((a) => referring.has(a.handler.definition.storedAs))
      .map((a) => ({ type: a.handler.definition.storedAs, fullName: a.input.fullName, files: a.input.files }));
    const replaced = new Set(added.map((a) => key(a.type, a.fullName)));
    const afterAdditions = [...stored.filter((c) => !replaced.has(key(c.type, c.fullName))), ...added].filter((c) => !deleted.has(key(c.type, c.fullName)));
    const refuse = (list: PlannedDeletion[], d: PlannedDeletion, components: ComponentFiles[]) => {
      const uses = usesOf({ fullName: d.existing.fullName, id: d.existing.id }, components);
      if (!uses.length) return;
      this.fail(d.where, certificateInUseMessage(d.existing.fullName, uses));
      list.splice(list.indexOf(d), 1);
    };
    for (const d of pre) refuse(this.plan.preDeletions, d, stored);
    for (const d of post) refuse(this.plan.postDeletions, d, afterAdditions);
  }

  /** What the manifest lists, matched against the package's components; problems for names it lists that are not there. */
  private listings(manifest: Manifest, components: LocatedComponent[]) {
    const listings = new Map<LocatedComponent, Listing>();
    const byType = new Map<string, LocatedComponent[]>();
    const byName = new Map<string, LocatedComponent>();
    for (const c of components) {
      pushTo(byType, c.type.storedAs, c);
      // Manifest members name components regardless of case, as the real service matches them.
      const k = `${c.type.storedAs}:${c.fullName.toLowerCase()}`;
      if (!byName.has(k)) byName.set(k, c);
    }
    const ofType = (type: string) => byType.get(type) ?? [];
    const missing = (member: string, type: string) => {
      if (!this.options.allowMissingFiles) this.fail(this.atManifest(member, type), P.listedButMissing(member, type));
    };
    for (const type of manifest.types) {
      const handler = MetadataRegistry.resolve(type.name, manifest.version);
      if (!handler) { this.fail(this.atManifest(), P.unknownType(type.name)); continue; }
      const def = handler.definition;
      if (def.partOf) {
        // A piece names its whole component (`site/S.sfdc_cms__view/home` is in `site/S`): the component deploys whole.
        for (const member of type.members) {
          const found = ofType(def.storedAs).filter((c) => member === '*' || sameName(c.fullName, member.split('.')[0]!));
          if (!found.length && member !== '*') missing(member, type.name);
          for (const c of found) listings.set(c, { whole: true });
        }
        continue;
      }
      if (def.parent) {
        for (const member of type.members) this.listChild(handler, member, ofType(def.parent.xmlName), listings, missing);
        continue;
      }
      const candidates = ofType(def.storedAs);
      // An in-folder type's manifest entry lists its folders too (`Report: Sales` and `Report: Sales/Q1`).
      const folderType = def.folderType && MetadataRegistry.get(def.folderType)!.definition.storedAs;
      for (const member of type.members) {
        if (member === '*') { candidates.forEach((c) => listings.set(c, { whole: true })); continue; }
        const name = member.replace(/\/$/, '');
        const lower = name.toLowerCase();
        const found = byName.get(`${def.storedAs}:${lower}`)
          ?? (def.layout === 'document' ? byName.get(`${def.storedAs}:${withoutExtension(lower)}`) : undefined)
          ?? (folderType ? byName.get(`${folderType}:${lower}`) : undefined);
        if (found) listings.set(found, { whole: true });
        else missing(member, type.name);
      }
    }
    return listings;
  }

  private listChild(
    handler: MetadataTypeHandler, member: string, parents: LocatedComponent[], listings: Map<LocatedComponent, Listing>,
    missing: (member: string, type: string) => void,
  ): void {
    const def = handler.definition;
    let found = false;
    for (const parent of parents) {
      const read = this.read(parent);
      const children = isFileProblem(read) ? [] : (read.children ?? []).filter((c) => c.type.xmlName === def.xmlName);
      const matches = member === '*' ? children : children.filter((c) => sameName(c.fullName, member));
      // A parent file that cannot be read is reported once, when it is planned: list it so that it is.
      if (!matches.length && !(isFileProblem(read) && (member === '*' || sameName(parentNameOf(def, member), parent.fullName)))) continue;
      found = true;
      const listing = listings.get(parent) ?? { whole: false, children: new Set<string>() };
      if (!listing.whole) matches.forEach((c) => listing.children.add(c.fullName));
      listings.set(parent, listing);
    }
    if (!found && member !== '*') missing(member, def.xmlName);
  }

  /** Plans a located component: all of it, or only the listed children its file holds. */
  private addComponent(c: LocatedComponent, listing: Listing): void {
    const where: MessageWhere = { fileName: this.pkg.prefix + c.mainPath, fullName: c.fullName, componentType: c.type.xmlName };
    const handler = MetadataRegistry.get(c.type.xmlName)!;
    const nameProblem = handler.validateName(c.fullName);
    if (nameProblem) return this.fail(where, nameProblem);
    const input = this.read(c);
    if (isFileProblem(input)) {
      const { problem, fileName, lineNumber, columnNumber } = input;
      return this.fail({ ...where, fileName: this.pkg.prefix + fileName, lineNumber, columnNumber }, problem);
    }
    const children = (input.children ?? []).filter((child) => listing.whole || listing.children.has(child.fullName));
    // A child in the file that the manifest does not list is refused too (a labels file holding one label more, forcedotcom/cli#2002).
    for (const child of input.children ?? []) {
      if (!listing.whole && !listing.children.has(child.fullName)) this.fail({ ...where, fullName: child.fullName, componentType: child.type.xmlName }, P.notInManifest);
    }
    const childNames = new Map<string, string[]>();
    for (const child of children) pushTo(childNames, child.type.storedAs, child.fullName);
    for (const [type, names] of childNames) this.prefetch(type, names);
    // The parent is planned without its children, which are planned apart: their XML, slices of the file's
    // text, would otherwise keep the whole text until the deploy ends.
    const own = { ...input, children: undefined };
    if (listing.whole) this.addInput(handler, own, where);
    // Children need their parent: a standard object (Account) exists in every org, so it is made with them.
    else if (!this.stored(c.type.storedAs, c.fullName)) this.addInput(handler, own, where, true);
    for (const child of children) this.addChild(child, where);
  }

  private addChild(child: ChildInput, parentWhere: MessageWhere): void {
    const handler = MetadataRegistry.get(child.type.xmlName)!;
    const where: MessageWhere = { fileName: parentWhere.fileName, fullName: child.fullName, componentType: child.type.xmlName };
    const nameProblem = handler.validateName(child.fullName);
    if (nameProblem) return this.fail({ ...where, lineNumber: child.lineNumber, columnNumber: child.columnNumber }, nameProblem);
    this.addInput(handler, { fullName: child.fullName, fields: {}, content: Buffer.from(child.xml), files: new Map() }, where);
  }

  private addInput(handler: MetadataTypeHandler, input: ComponentInput, where: MessageWhere, implicit = false): void {
    const type = handler.definition.storedAs;
    if (!implicit) {
      const twin = this.seen.get(key(type, input.fullName));
      if (twin) return this.fail(where, P.sameNameTwice(type, input.fullName, twin));
      this.seen.set(key(type, input.fullName), where.fileName);
    }
    const existing = this.stored(type, input.fullName);
    const result = handler.plan(input, existing, this.ctx);
    if (!result.ok) {
      const at = result.field ? input.fieldsAt?.[result.field] ?? (result.field === 'content' ? undefined : input.rootAt) : undefined;
      const fileName = at && input.metaPath ? this.pkg.prefix + input.metaPath : where.fileName;
      return this.fail({ ...where, fileName, ...at }, result.problem);
    }
    // A Warning fails the deploy unless ignoreWarnings; then the component deploys and its message carries it.
    if (result.warning && !this.options.ignoreWarnings) return this.fail(where, result.warning, 'Warning');
    this.plan.additions.push({
      handler, input, existing, plan: result.plan, created: result.created, changed: result.changed, warning: result.warning, where,
      packageName: this.packageName, prefix: this.pkg.prefix, implicit,
    });
  }

  private deletions(kind: DestructiveKind, version: number | undefined, lookup: (type: string, name: string) => StoredComponent | undefined): PlannedDeletion[] {
    const bytes = this.pkg.destructive[kind];
    if (!bytes) return [];
    const fileName = this.pkg.prefix + kind;
    const read = parseManifest(bytes.toString('utf8'), false);
    if (!read.ok) {
      this.fail({ fileName, fullName: kind, componentType: '', lineNumber: read.error.lineNumber, columnNumber: read.error.columnNumber }, read.error.problem);
      return [];
    }
    const out: PlannedDeletion[] = [];
    for (const type of read.manifest.types) {
      const handler = MetadataRegistry.resolve(type.name, read.manifest.version ?? version);
      if (!handler) { this.fail({ fileName, fullName: kind, componentType: '' }, P.unknownType(type.name, kind)); continue; }
      for (const member of type.members) {
        const where = { fileName, fullName: member, componentType: type.name };
        if (member === '*') { this.fail(where, P.wildcardInDestructive(kind)); continue; }
        const existing = lookup(handler.definition.storedAs, member.replace(/\/$/, ''));
        if (!existing) this.fail({ fileName, fullName: kind, componentType: type.name }, P.noSuchComponent(type.name, member), 'Warning');
        else out.push({ handler, fullName: existing.fullName || member, existing, where });
      }
    }
    return out;
  }
}

/** Whether a path lies in a folder some type's components live in (`classes/x`), not at the root or in another folder. */
const inTypeFolder = (rel: string) => rel.includes('/') && MetadataRegistry.inDirectory(rel.slice(0, rel.indexOf('/'))).length > 0;

/** Manifest members name components regardless of case, as the real service matches them. */
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const withoutExtension = (name: string) => (name.lastIndexOf('.') > name.lastIndexOf('/') ? name.slice(0, name.lastIndexOf('.')) : name);

/** A component that the same deploy adds, so that a post-destructive change of it is no Warning. */
function placeholder(type: string, fullName: string, ctx: PlannerContext): StoredComponent {
  return { orgId: ctx.org.id, type, fullName, id: '', fields: {}, content: null, createdById: '', createdDate: '', lastModifiedById: '', lastModifiedDate: '' };
}

/** An XML document that is a root element with no content: `<CustomObject xmlns="…"/>`, or open and closed with blank space between. */
const EMPTY_ROOT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?<([\w:.-]+)[^>]*?(?:\/>|>\s*<\/\1\s*>)\s*$/;

/**
 * A parent file (a type with children: an object, a workflow, labels) whose root is empty. The sf CLI leaves an
 * empty parent out of its manifest (SDR's component set) yet sends its file, as Volunteers-for-Salesforce's
 * `Site.object` and `OpportunityCompetitor.object` are sent; it deploys nothing, and is not refused.
 */
function isEmptyParent(c: LocatedComponent): boolean {
  if (!c.type.children.length) return false;
  const main = c.files.get(c.mainPath);
  return !!main && main.length < 4096 && EMPTY_ROOT.test(main.toString('utf8'));
}
