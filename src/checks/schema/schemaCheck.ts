import { localName, type XmlElement, type XmlProblem } from '../../package/metadataXml';
import { MetadataSchema, type SchemaField } from './metadataSchema';
import { REQUIRED_FIELDS } from './requiredFields';
import { SchemaMessages as M } from './schemaMessages';

/**
 * How each XML Schema builtin's text is read, as the org's parser reads it. xsd:boolean allows 1
 * and 0 as well as true and false: a real org would accept them, so they are never refused here.
 */
const SIMPLE_VALUES: Record<string, (text: string) => boolean> = {
  'xsd:boolean': (t) => /^(true|false|1|0)$/.test(t),
  'xsd:int': (t) => /^[+-]?\d+$/.test(t) && Math.abs(Number(t)) <= 2 ** 31,
  'xsd:long': (t) => /^[+-]?\d+$/.test(t),
  'xsd:double': (t) => /^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/.test(t),
  'xsd:date': (t) => /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/.test(t),
  'xsd:dateTime': (t) => /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t),
  'xsd:time': (t) => /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t),
};

/** Types whose value is any XML (a CustomMetadata value, a bundle's target configurations): not checked inside. */
const OPAQUE = new Set(['xsd:anyType', 'xsd:base64Binary']);

/** A typed or nil element declares its own content (xsi:type="xsd:string", xsi:nil="true"). */
const declaresItself = (el: XmlElement) =>
  Object.keys(el.attributes).some((a) => a.includes(':') && !a.startsWith('xmlns:') && (localName(a) === 'type' || localName(a) === 'nil'));

export interface SchemaCheckOptions {
  /** The API version the file is read at: the package's. */
  apiVersion: number;
  schema?: MetadataSchema;
}

/**
 * Checks a metadata file's elements against the type's schema, the way a real org's parser reads it:
 * every element known to its parent's type and to the file's API version, singletons once, all copies of
 * a repeated element together, simple values of their declared type. The order of different elements is
 * not checked: the sf CLI writes them out of schema order and real orgs accept that. Answers the first
 * problem, as the org's parser stops at it; undefined for a type the schema does not have.
 */
export function checkAgainstSchema(root: XmlElement, type: string, options: SchemaCheckOptions): XmlProblem | undefined {
  const schema = options.schema ?? MetadataSchema.get();
  if (!schema.hasType(type)) return undefined;
  const version = options.apiVersion.toFixed(1);
  const problemAt = (el: XmlElement, problem: string): XmlProblem => ({ problem, lineNumber: el.line, columnNumber: el.column });

  const walkComplex = (el: XmlElement, typeName: string): XmlProblem | undefined => {
    const fields = schema.fieldsOf(typeName);
    const passed = new Set<string>();
    let previous = '';
    for (const child of el.children) {
      const name = child.local;
      const field = fields.get(name);
      if (!field || child.ns !== root.ns) return problemAt(child, M.invalidElement(child.ns ?? '', name, typeName));
      if ((field.since && options.apiVersion < field.since) || (field.until && options.apiVersion > field.until)) {
        return problemAt(child, M.notInVersion(name, version));
      }
      if (name === previous ? !field.many : passed.has(name)) return problemAt(child, M.duplicated(name, typeName));
      passed.add(name);
      previous = name;
      const problem = walkValue(child, field);
      if (problem) return problem;
    }
    return undefined;
  };

  const walkValue = (el: XmlElement, field: SchemaField): XmlProblem | undefined => {
    if (declaresItself(el) || OPAQUE.has(field.type)) return undefined;
    if (!field.type.startsWith('xsd:') && !schema.isEnum(field.type)) return walkComplex(el, field.type);
    const markup = el.children[0];
    if (markup) return problemAt(markup, M.elementInSimpleType(markup.ns ?? '', markup.local));
    const text = el.text.trim();
    // An empty value is read as no value: public projects that deploy to real orgs carry empty enumerations.
    if (text === '') return undefined;
    const values = schema.enumValues(field.type);
    if (values) return values.has(text) ? undefined : problemAt(el, M.badEnum(text, field.type));
    const valid = SIMPLE_VALUES[field.type];
    return !valid || valid(text) ? undefined : problemAt(el, M.badSimpleValue(text, field.type));
  };

  const problem = walkComplex(root, type);
  if (problem) return problem;
  for (const name of REQUIRED_FIELDS[type]?.fields ?? []) {
    if (!root.children.some((c) => c.local === name)) return problemAt(root, M.requiredMissing(name));
  }
  return undefined;
}
