import { localName, type XmlElement, type XmlProblem } from '../../package/metadataXml';
import { MetadataSchema, OLDEST_KNOWN_VERSION, type SchemaField } from './metadataSchema';
import { REQUIRED_FIELDS } from './requiredFields';
import { SchemaMessages as M } from './schemaMessages';

/**
 * How each XML Schema builtin's text is read, as the org's parser reads it. xsd:boolean allows 1
 * and 0 as well as true and false: a real org would accept them, so they are never refused here.
 */
const SIMPLE_VALUES: Record<string, (text: string) => boolean> = {
  'xsd:boolean': (t) => t === 'true' || t === 'false' || t === '1' || t === '0',
  'xsd:int': (t) => /^[+-]?\d+$/.test(t) && Math.abs(Number(t)) <= 2 ** 31,
  'xsd:long': (t) => /^[+-]?\d+$/.test(t),
  'xsd:double': (t) => /^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/.test(t),
  'xsd:date': (t) => /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/.test(t),
  'xsd:dateTime': (t) => /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t),
  'xsd:time': (t) => /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t),
};

/** A typed or nil element declares its own content (xsi:type="xsd:string", xsi:nil="true"). */
function declaresItself(el: XmlElement): boolean {
  for (const a in el.attributes) {
    if (a.includes(':') && !a.startsWith('xmlns:') && (localName(a) === 'type' || localName(a) === 'nil')) return true;
  }
  return false;
}

/** Whether one of the first `count` elements is named `name`. */
function passedAmong(elements: XmlElement[], count: number, name: string): boolean {
  for (let k = 0; k < count; k++) if (elements[k]!.local === name) return true;
  return false;
}

export interface SchemaCheckOptions {
  /** The API version the file is read at: the package's. */
  apiVersion: number;
  schema?: MetadataSchema;
}

/** Checks a file's root element one child at a time, as the reader passes them on; `end` gives the first problem. */
export interface SchemaChecker {
  child(el: XmlElement, root: XmlElement): void;
  end(root: XmlElement): XmlProblem | undefined;
}

/**
 * Checks a metadata file's elements against the type's schema, the way a real org's parser reads it:
 * every element known to its parent's type and to the file's API version, singletons once, all copies of
 * a repeated element together, simple values of their declared type. The order of different elements is
 * not checked: the sf CLI writes them out of schema order and real orgs accept that. Keeps the first
 * problem, as the org's parser stops at it; undefined for a type the schema does not have.
 */
export function schemaChecker(type: string, options: SchemaCheckOptions): SchemaChecker | undefined {
  const schema = options.schema ?? MetadataSchema.get();
  if (!schema.hasType(type)) return undefined;
  const version = options.apiVersion.toFixed(1);
  // A file older than the oldest schema known here may hold elements and values its version had and later ones dropped
  // (purealoe's objects, at 44.0, carry enableChangeDataCapture): what the history cannot say is accepted.
  const beforeHistory = options.apiVersion < OLDEST_KNOWN_VERSION;
  const problemAt = (el: XmlElement, problem: string): XmlProblem => ({ problem, lineNumber: el.line, columnNumber: el.column });
  let ns: string | undefined;

  /** One element among its siblings: known to its parent's type and version, repeated only together and when it may be, and its value. */
  const checkChild = (child: XmlElement, typeName: string, fields: Map<string, SchemaField>, repeat: boolean, seenBefore: boolean) => {
    const name = child.local;
    const field = fields.get(name);
    if (!field && beforeHistory && child.ns === ns) return undefined;
    if (!field || child.ns !== ns) return problemAt(child, M.invalidElement(child.ns ?? '', name, typeName));
    // Only a property newer than the file is refused: one the WSDL dropped in a later version is still taken by
    // real orgs (IssueBox's Security settings, pushed at 53.0, keep isTLSv12Required, which left the WSDL at 51.0).
    if (field.since && options.apiVersion < field.since) {
      return problemAt(child, M.notInVersion(name, version));
    }
    if (repeat ? !field.many : seenBefore) return problemAt(child, M.duplicated(name, typeName));
    return walkValue(child, field);
  };

  const walkComplex = (el: XmlElement, typeName: string): XmlProblem | undefined => {
    const fields = schema.fieldsOf(typeName);
    const children = el.children;
    // The names already passed: looked up among the earlier siblings while there are few (most
    // elements have a handful of children), in a set beyond that.
    let passed: Set<string> | undefined;
    for (let index = 0; index < children.length; index++) {
      const child = children[index]!;
      const repeat = index > 0 && child.local === children[index - 1]!.local;
      if (!passed && index >= 16) passed = new Set(children.slice(0, index).map((c) => c.local));
      const seenBefore = !repeat && index > 0 && (passed ? passed.has(child.local) : passedAmong(children, index, child.local));
      const problem = checkChild(child, typeName, fields, repeat, seenBefore);
      if (problem) return problem;
      passed?.add(child.local);
    }
    return undefined;
  };

  const walkValue = (el: XmlElement, field: SchemaField): XmlProblem | undefined => {
    if (field.kind === 'opaque' || declaresItself(el)) return undefined;
    if (field.kind === 'complex') return walkComplex(el, field.type);
    const markup = el.children[0];
    if (markup) return problemAt(markup, M.elementInSimpleType(markup.ns ?? '', markup.local));
    const text = el.text.trim();
    // An empty value is read as no value: public projects that deploy to real orgs carry empty enumerations.
    if (text === '') return undefined;
    if (field.kind === 'enum') return beforeHistory || schema.isEnumValue(field.type, text) ? undefined : problemAt(el, M.badEnum(text, field.type));
    const valid = SIMPLE_VALUES[field.type];
    return !valid || valid(text) ? undefined : problemAt(el, M.badSimpleValue(text, field.type));
  };

  const rootFields = schema.fieldsOf(type);
  const passed = new Set<string>();
  let previous = '';
  let first: XmlProblem | undefined;
  return {
    child(el, root) {
      if (first) return;
      ns = root.ns;
      const repeat = el.local === previous;
      first = checkChild(el, type, rootFields, repeat, !repeat && passed.has(el.local));
      passed.add(el.local);
      previous = el.local;
    },
    end(root) {
      if (first) return first;
      const missing = REQUIRED_FIELDS[type]?.fields.find((name) => !passed.has(name));
      return missing ? problemAt(root, M.requiredMissing(missing)) : undefined;
    },
  };
}

/** The same check over a whole tree. */
export function checkAgainstSchema(root: XmlElement, type: string, options: SchemaCheckOptions): XmlProblem | undefined {
  const checker = schemaChecker(type, options);
  if (!checker) return undefined;
  for (const child of root.children) checker.child(child, root);
  return checker.end(root);
}
