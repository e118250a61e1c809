import { key, type PlannedAddition } from '../../deploy/deployPlanner';
import type { XmlElement } from '../../package/metadataXml';
import type { MetadataTypeDefinition } from '../../metadata/metadataType';
import type { ChildTypeFacts } from '../../metadata/typeFacts';
import { CHECKABLE, layoutObject, storedFieldName } from './customNames';
import { inField, REFERENCE_RULES, type ReferenceRule } from './referenceRules';

/** A name a component's file gives of another component, where the file gives it. */
export interface Reference {
  rule: ReferenceRule;
  /** The fullName of the component it must name. */
  name: string;
  lineNumber: number;
  columnNumber: number;
  /** Whether any missing name is refused, or only one this deploy failed to make (ReferenceRule.cascadeOnly, standard names). */
  checkable: boolean;
  /** The child component whose element holds it (`CustomField` `Account.Foo__c` in objects/Account.object). */
  owner?: { type: string; fullName: string };
  /** What else of the element the message says (ReferenceRule.detail). */
  detail?: string;
  /** Its name's key (deployPlanner.ts's key()) for each of the rule's targets, made once when first checked. */
  keys?: string[];
}

/**
 * One deploy's references that need no place of their own (no owner, no position: a profile's field
 * permissions), one per rule and name however many files make them: twelve profiles granting the same
 * 16,000 fields make 16,000 references, not 192,000, each judged and keyed once.
 */
export class SharedReferences {
  private readonly byRule = new Map<ReferenceRule, Map<string, Reference>>();

  get(rule: ReferenceRule, name: string, make: () => Reference): Reference {
    let names = this.byRule.get(rule);
    if (!names) this.byRule.set(rule, (names = new Map()));
    let reference = names.get(name);
    if (!reference) names.set(name, (reference = make()));
    return reference;
  }
}

const RULES_BY_TYPE = new Map<string, ReferenceRule[]>();
for (const rule of REFERENCE_RULES) RULES_BY_TYPE.set(rule.from, [...(RULES_BY_TYPE.get(rule.from) ?? []), rule]);

const TARGETS = new Map(REFERENCE_RULES.map((rule) => [rule, Array.isArray(rule.target) ? rule.target : [rule.target]]));
const targetsOf = (rule: ReferenceRule): string[] => TARGETS.get(rule)!;

/** The elements at `path` below `el`, depth first, added to `into`. */
function at(el: XmlElement, path: string[], depth: number, into: XmlElement[]): XmlElement[] {
  for (const child of el.children) {
    if (child.local !== path[depth]) continue;
    if (depth === path.length - 1) into.push(child);
    else at(child, path, depth + 1, into);
  }
  return into;
}

/** Gathers a file's references one child of its root at a time, as the reader passes them on. */
export interface ReferenceCollector {
  child(top: XmlElement): void;
  end(root: XmlElement): Reference[];
}

/**
 * The references a component's file makes, by the rules of its type. Names no real org could miss
 * (standard or of another namespace) are marked not checkable: they fail only when this deploy failed
 * to make them. Undefined for a type no rule reads.
 */
export function referenceCollector(type: MetadataTypeDefinition, fullName: string, shared?: SharedReferences): ReferenceCollector | undefined {
  const rules = RULES_BY_TYPE.get(type.xmlName);
  if (!rules) return undefined;
  // The rules by the root's child their path starts at, and the child component that child is, if any.
  const byTop = new Map<string, { rules: ReferenceRule[]; child: ChildTypeFacts | undefined }>();
  for (const rule of rules) {
    if (!rule.path.length) continue;
    const top = rule.path[0]!;
    const entry = byTop.get(top) ?? { rules: [], child: type.children.find((c) => c.element === top) };
    entry.rules.push(rule);
    byTop.set(top, entry);
  }
  const object = type.xmlName === 'Layout' ? layoutObject(fullName) : fullName;
  const found: Reference[] = [];
  const make = (rule: ReferenceRule, name: string, leaf: XmlElement, owner: Reference['owner']): Reference => {
    const checkable = !rule.cascadeOnly && targetsOf(rule).some((t) => CHECKABLE[t]?.(name));
    const reference: Reference = { rule, name, checkable, lineNumber: leaf.line, columnNumber: leaf.column, keys: undefined };
    if (owner) reference.owner = owner;
    const detail = rule.detail?.(leaf);
    if (detail !== undefined) reference.detail = detail;
    return reference;
  };
  const addName = (rule: ReferenceRule, one: string, leaf: XmlElement, owner: Reference['owner']) => {
    if (!one) return;
    const name = rule.qualify === 'object' ? `${object}.${one}` : one;
    const sharable = shared && !owner && !rule.positioned && !rule.detail;
    found.push(sharable ? shared.get(rule, name, () => make(rule, name, leaf, owner)) : make(rule, name, leaf, owner));
  };
  // The texts of the root's children that rules hold only for (ReferenceRule.onlyIf), as the reader passes them.
  const conditions = new Set(rules.flatMap((rule) => (rule.onlyIf ? [rule.onlyIf.element] : [])));
  const seen = new Map<string, string>();
  const holds = (rule: ReferenceRule) => !rule.onlyIf || seen.get(rule.onlyIf.element)?.toLowerCase() === rule.onlyIf.text.toLowerCase();
  const add = (rule: ReferenceRule, leaves: XmlElement[], owner?: Reference['owner']) => {
    for (const leaf of leaves) {
      const selected = rule.select ? rule.select(leaf, fullName) : leaf.text.trim();
      if (typeof selected === 'string') addName(rule, selected, leaf, owner);
      else for (const one of selected ?? []) addName(rule, one, leaf, owner);
    }
  };
  return {
    child(top) {
      if (conditions.has(top.local)) seen.set(top.local, top.text.trim());
      const entry = byTop.get(top.local);
      if (!entry) return;
      const { child } = entry;
      const id = child && top.children.find((e) => e.local === child.idElement)?.text.trim();
      const owner = child && id ? { type: child.name, fullName: child.ignoreParentName ? id : `${fullName}.${id}` } : undefined;
      for (const rule of entry.rules) add(rule, rule.path.length === 1 ? [top] : at(top, rule.path, 1, []), owner);
    },
    end(root) {
      // A rule of no path names a component by the referring one's own name (a layout's object).
      for (const rule of rules) if (!rule.path.length) add(rule, [root]);
      return conditions.size ? found.filter((ref) => holds(ref.rule)) : found;
    },
  };
}

/** The same over a whole tree. */
export function collectReferences(root: XmlElement, type: MetadataTypeDefinition, fullName: string): Reference[] {
  const collector = referenceCollector(type, fullName);
  if (!collector) return [];
  for (const top of root.children) collector.child(top);
  return collector.end(root);
}

const FLOW_VERSION = /^(.+)-\d+$/;

/** What the org holds before the deploy, less what the deploy deletes: of `names`, those it has (lower case). */
export type OrgLookup = (type: string, names: string[]) => Set<string>;

export interface ReferenceFailure {
  addition: PlannedAddition;
  problem: string;
  lineNumber?: number;
  columnNumber?: number;
}

/**
 * The additions whose references name nothing in the org after the deploy, each with the org's
 * words. A component that failed in this deploy (`failedBefore`: type and name, as key() writes them;
 * or here) is missing from the org after it unless the org had one, so what names it fails too, and a
 * child whose parent failed fails with the org's `Parent entity failed to deploy`.
 */
export function missingReferences(additions: PlannedAddition[], lookup: OrgLookup, failedBefore: ReadonlySet<string> = new Set()): ReferenceFailure[] {
  const byKey = new Map(additions.map((a) => [key(a.handler.definition.storedAs, a.input.fullName), a]));
  // A flow of the versioned layout (`Name-3`, as packaging orgs still write flows) is its flow `Name` too.
  for (const a of additions) {
    const version = a.handler.definition.xmlName === 'Flow' ? FLOW_VERSION.exec(a.input.fullName) : null;
    if (version && !byKey.has(key('Flow', version[1]!))) byKey.set(key('Flow', version[1]!), a);
  }
  const storedName = (type: string, name: string) => (type === 'CustomField' ? storedFieldName(name) : name);
  const keysOf = (ref: Reference) => (ref.keys ??= targetsOf(ref.rule).map((type) => key(type, storedName(type, ref.name))));
  // A name this deploy touches is looked up in the org once, a type at a time: any custom name it does not
  // add, and the names it adds or failed to add (standard-looking ones too: a failure may leave them missing).
  const wanted = new Map<string, Set<string>>();
  for (const a of additions) {
    for (const ref of a.input.references ?? []) {
      const keys = keysOf(ref);
      for (let t = 0; t < keys.length; t++) {
        const k = keys[t]!;
        if (ref.checkable === byKey.has(k) && !failedBefore.has(k)) continue;
        const type = targetsOf(ref.rule)[t]!;
        wanted.set(type, (wanted.get(type) ?? new Set()).add(storedName(type, ref.name)));
      }
    }
  }
  const inOrg = new Set<string>();
  for (const [type, names] of wanted) for (const lower of lookup(type, [...names])) inOrg.add(key(type, lower));
  const failed = new Map<PlannedAddition, ReferenceFailure>();
  const exists = (k: string, checkable: boolean) => {
    const added = byKey.get(k);
    if ((added && !failed.has(added)) || inOrg.has(k)) return true;
    return !checkable && !added && !failedBefore.has(k);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const a of additions) {
      if (failed.has(a)) continue;
      const parent = a.handler.definition.parent;
      const parentAddition = parent && byKey.get(key(parent.xmlName, a.input.fullName.slice(0, a.input.fullName.indexOf('.'))));
      if (parentAddition && failed.has(parentAddition)) {
        failed.set(a, { addition: a, problem: 'Parent entity failed to deploy' });
        changed = true;
      }
      for (const ref of a.input.references ?? []) {
        const owner = ref.owner ? byKey.get(key(ref.owner.type, ref.owner.fullName)) : a;
        if (!owner || failed.has(owner) || ref.keys!.some((k) => exists(k, ref.checkable))) continue;
        const field = ref.rule.field ?? ref.rule.path[ref.rule.path.length - 1]!;
        const problem = ref.rule.message ? ref.rule.message(ref.name, field, ref.detail) : inField(targetsOf(ref.rule)[0]!, ref.name, field);
        failed.set(owner, { addition: owner, problem, ...(ref.rule.positioned ? { lineNumber: ref.lineNumber, columnNumber: ref.columnNumber } : {}) });
        changed = true;
      }
    }
  }
  return [...failed.values()];
}
