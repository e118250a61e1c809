import { invalidCharacterAt } from './xmlBounds';
import { scanXml, XmlSyntaxError, type ScanOptions, type XmlElement } from './xmlScanner';
import { METADATA_NS, metadataSchema, type FieldDef, type WsdlSchema } from '../soap/wsdlSchema';

/** Where and why a metadata XML file is wrong, in the words of the real service's XML parser. */
export interface XmlProblem {
  problem: string;
  lineNumber: number;
  columnNumber: number;
}

export type { XmlElement } from './xmlScanner';

export interface XmlPosition { lineNumber: number; columnNumber: number }

/** On success: the typed values, and where the root and each top-level field stand (for later rule errors). */
export type ParsedXml =
  | { ok: true; value: Record<string, unknown>; rootAt: XmlPosition; fieldsAt: Record<string, XmlPosition> }
  | { ok: false; error: XmlProblem };

const fail = (problem: string, line = 1, column = 1): { ok: false; error: XmlProblem } =>
  ({ ok: false, error: { problem: `Error parsing file: ${problem}`, lineNumber: line, columnNumber: column } });

/** The namespace some tools write Apex and Aura meta files in; the real service accepts it too. */
export const TOOLING_METADATA_NS = 'urn:metadata.tooling.soap.sforce.com';

/** The local name of an element, without its prefix. */
export const localName = (qname: string) => qname.slice(qname.lastIndexOf(':') + 1);

/**
 * Checks that a document is well formed and that its root is in the metadata namespace (one of `namespaces`;
 * null takes any), and (unless `anyRootName`) is one of `roots`, as the real service's parser does before
 * anything else; the first problem has its position. With `onTopLevel`, the root's children are passed on as
 * they end instead of kept (xmlScanner.ts).
 */
export function readMetadataRoot(text: string, roots: string[], namespaces: string[] | null = [METADATA_NS], anyRootName = false, onTopLevel?: ScanOptions['onTopLevel']):
  { ok: true; root: XmlElement } | { ok: false; error: XmlProblem } {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const start = text.slice(bom, bom + 4096).search(/\S/) + bom;
  if (start < bom) return text.trim() === '' ? fail('Premature end of file.') : fail('Content is not allowed in prolog.');
  if (text[start] !== '<' || (start > bom && text.startsWith('<?xml', start))) return fail('Content is not allowed in prolog.');
  const invalid = invalidCharacterAt(text);
  if (invalid) return fail(invalid.problem, invalid.line, invalid.column);
  let root: XmlElement;
  try {
    // A document that declares no namespace is read as in the type's: the sf CLI writes a scratch org
    // definition's settings files without xmlns, and real orgs deploy them (docs/deploy-checks.md).
    root = scanXml(text, namespaces?.[0] ?? METADATA_NS, { onTopLevel });
  } catch (err) {
    if (err instanceof XmlSyntaxError) return fail(err.problem, err.line, err.column);
    throw err;
  }
  if ((!anyRootName && !roots.includes(root.local)) || (namespaces && !namespaces.includes(root.ns ?? ''))) {
    return fail(`Cannot find the declaration of element '${root.name}'. Expected {${METADATA_NS}}${roots[0]}.`, root.line, root.column);
  }
  return { ok: true, root };
}

/**
 * Reads a metadata XML document (package.xml, a `-meta.xml` file) as the real service's validating
 * parser does: well-formed, the expected root in the metadata namespace, only the type's elements,
 * each in WSDL order and at most once unless repeatable, with values of the declared simple type.
 * `skip` names inherited fields that a file must not carry (fullName comes from the file name).
 * `lenient`: the root's children in any order, and those the type does not have passed over.
 */
export function parseMetadataXml(text: string, type: string, skip: string[] = [], options: { lenient?: boolean } = {}, schema: WsdlSchema = metadataSchema()): ParsedXml {
  const scanned = readMetadataRoot(text, [type]);
  if (!scanned.ok) return scanned;
  const { root } = scanned;
  const fields = schema.fieldsOf(type).filter((f) => !skip.includes(f.name));
  const read = readComplex(root, type, fields, schema, options.lenient);
  if ('error' in read) return { ok: false, error: read.error };
  const fieldsAt: Record<string, XmlPosition> = {};
  for (const c of root.children) fieldsAt[c.local] ??= { lineNumber: c.line, columnNumber: c.column };
  return { ok: true, value: read.value, rootAt: { lineNumber: root.line, columnNumber: root.column }, fieldsAt };
}

type Read = { value: Record<string, unknown> } | { error: XmlProblem };

function readComplex(el: XmlElement, type: string, fields: FieldDef[], schema: WsdlSchema, lenient = false): Read {
  const value: Record<string, unknown> = {};
  let position = -1;
  for (const child of el.children) {
    const name = child.local;
    const index = fields.findIndex((f) => f.name === name);
    const field = fields[index];
    if (lenient && (!field || (!field.many && name in value))) continue; // unknown, or a second singleton
    const outOfPlace = !field || child.ns !== METADATA_NS || (!lenient && (index < position || (index === position && !field.many)));
    if (outOfPlace) {
      const qualified = child.ns === undefined ? name : `{${child.ns}}${name}`;
      return { error: { problem: `Error parsing file: Element ${qualified} invalid at this location in type ${type}`, lineNumber: child.line, columnNumber: child.column } };
    }
    position = index;
    const parsed = readValue(child, field, schema, lenient);
    if ('error' in parsed) return parsed;
    if (field.many) ((value[name] ??= []) as unknown[]).push(parsed.value);
    else value[name] = parsed.value;
  }
  return { value };
}

function readValue(el: XmlElement, field: FieldDef, schema: WsdlSchema, lenient: boolean): { value: unknown } | { error: XmlProblem } {
  if (el.attributes['xsi:nil'] === 'true') return { value: null };
  if (field.complex) return readComplex(el, field.type, schema.fieldsOf(field.type), schema, lenient);
  const at = { lineNumber: el.line, columnNumber: el.column };
  if (el.children.length) {
    return { error: { problem: `Error parsing file: Element {${METADATA_NS}}${field.name} must have no element children`, ...at } };
  }
  const text = el.text.trim();
  const bad = (what: string) => ({ error: { problem: `Error parsing file: '${text}' is not a valid value for the type ${what}`, ...at } });
  const allowed = schema.enumValues(field.type);
  if (allowed && !allowed.includes(text)) return bad(field.type);
  switch (field.type) {
    case 'boolean':
      // xsd:boolean also allows 1 and 0, but metadata files write true or false; 1 is a typo for a flag more often than a choice.
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return bad('xsd:boolean');
    case 'int':
      return /^[+-]?\d+$/.test(text) && Number(text) >= -(2 ** 31) && Number(text) < 2 ** 31 ? { value: Number(text) } : bad('xsd:int');
    case 'double':
      return text !== '' && Number.isFinite(Number(text)) ? { value: Number(text) } : bad('xsd:double');
    case 'dateTime':
      return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)) ? { value: text } : bad('xsd:dateTime');
    default:
      return { value: el.text };
  }
}
