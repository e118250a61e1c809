import { XMLValidator } from 'fast-xml-parser';
import { checkXmlBounds } from './xmlBounds';
import { METADATA_NS, metadataSchema, type FieldDef, type WsdlSchema } from '../soap/wsdlSchema';

/** Where and why a metadata XML file is wrong, in the words of the real service's XML parser. */
export interface XmlProblem {
  problem: string;
  lineNumber: number;
  columnNumber: number;
}

export interface XmlPosition { lineNumber: number; columnNumber: number }

/** On success: the typed values, and where the root and each top-level field stand (for later rule errors). */
export type ParsedXml =
  | { ok: true; value: Record<string, unknown>; rootAt: XmlPosition; fieldsAt: Record<string, XmlPosition> }
  | { ok: false; error: XmlProblem };

export interface XmlElement {
  name: string;
  /** The namespace its prefix (or the default namespace) is bound to where it stands. */
  ns: string | undefined;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
}

const fail = (problem: string, line = 1, column = 1): { ok: false; error: XmlProblem } =>
  ({ ok: false, error: { problem: `Error parsing file: ${problem}`, lineNumber: line, columnNumber: column } });

class ScanError extends Error {
  constructor(readonly problem: string, readonly line: number, readonly column: number) {
    super(problem);
  }
}

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// XML 1.0 Char production: what a character reference may stand for.
const isXmlChar = (c: number) =>
  c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/**
 * Elements of a document fast-xml-parser found well-formed, with their line, column and namespace.
 * fast-xml-parser checks well-formedness with positions but parses without them, and deploy
 * messages need the position of the element that breaks the schema, so this small scanner walks the
 * text once more. It also refuses what that validator lets through: a second root element or text
 * after the root, entity references that are not declared (no DOCTYPE, so only the five predefined
 * ones), character references to non-characters, and unbound namespace prefixes.
 */
/** `defaultNs`: the namespace of unprefixed elements where no xmlns says otherwise. */
function scan(text: string, defaultNs?: string): XmlElement {
  const stack: { el: XmlElement; scope: Record<string, string> }[] = [];
  let root: XmlElement | undefined;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const advanceTo = (to: number) => {
    for (; i < to; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  };
  /** Line and column of `index`, at or after the scanner's position. */
  const positionOf = (index: number): [number, number] => {
    let l = line;
    let start = lineStart;
    for (let j = i; j < index; j++) if (text.charCodeAt(j) === 10) { l++; start = j + 1; }
    return [l, index - start + 1];
  };
  const decodeAt = (raw: string, offset: number): string =>
    raw.replace(/&([^;<&\s]*)(;?)/g, (match, ref: string, semi: string, at: number) => {
      const where = () => positionOf(offset + at);
      if (!semi || ref === '') throw new ScanError("The entity name must immediately follow the '&' in the entity reference.", ...where());
      if (ref in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[ref]!;
      const numeric = ref.match(/^#(?:x([0-9a-fA-F]+)|([0-9]+))$/);
      if (!numeric) {
        if (ref.startsWith('#')) throw new ScanError(`A decimal or hexadecimal character reference is malformed: ${match}`, ...where());
        throw new ScanError(`The entity "${ref}" was referenced, but not declared.`, ...where());
      }
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
      if (!isXmlChar(code)) throw new ScanError(`Character reference "&${ref}" is an invalid XML character.`, ...where());
      return String.fromCodePoint(code);
    });

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const segmentEnd = lt < 0 ? text.length : lt;
    const segment = text.slice(i, segmentEnd);
    if (stack.length) {
      stack[stack.length - 1]!.el.text += segment.includes('&') ? decodeAt(segment, i) : segment;
    } else if (segment.trim() !== '') {
      const [l, c] = positionOf(i + segment.search(/\S/));
      throw new ScanError(root ? 'Content is not allowed in trailing section.' : 'Content is not allowed in prolog.', l, c);
    }
    if (lt < 0) break;
    advanceTo(lt);
    const column = i - lineStart + 1;
    if (text.startsWith('<?', i)) { advanceTo(text.indexOf('?>', i) + 2); continue; }
    if (text.startsWith('<!--', i)) { advanceTo(text.indexOf('-->', i) + 3); continue; }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (stack.length) stack[stack.length - 1]!.el.text += text.slice(i + 9, end);
      advanceTo(end + 3);
      continue;
    }
    const gt = tagEnd(text, i);
    const tag = text.slice(i + 1, gt);
    if (tag.startsWith('/')) { stack.pop(); advanceTo(gt + 1); continue; }
    if (!stack.length && root) throw new ScanError('The markup in the document following the root element must be well-formed.', line, column);
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = body.match(/^[^\s/>]+/)![0];
    const attributes: Record<string, string> = {};
    const attributeText = body.slice(name.length);
    const attributesAt = i + 1 + name.length;
    for (const m of attributeText.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      attributes[m[1]!] = decodeAt(m[3] ?? m[4] ?? '', attributesAt + m.index! + m[0].indexOf(m[2]!) + 1);
    }
    // An element shares its parent's namespace bindings unless it declares its own (most never do).
    let scope = stack[stack.length - 1]?.scope ?? (defaultNs ? { '': defaultNs } : {});
    for (const [k, v] of Object.entries(attributes)) {
      if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
      if (scope === stack[stack.length - 1]?.scope || !stack.length) scope = { ...scope };
      scope[k === 'xmlns' ? '' : k.slice(6)] = v;
    }
    const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
    if (prefix && !(prefix in scope)) throw new ScanError(`The prefix "${prefix}" for element "${name}" is not bound.`, line, column);
    const el: XmlElement = { name, ns: scope[prefix] || undefined, attributes, children: [], text: '', line, column };
    if (stack.length) stack[stack.length - 1]!.el.children.push(el); else root = el;
    if (!selfClosing) stack.push({ el, scope });
    advanceTo(gt + 1);
  }
  return root!;
}

/** The `>` that ends the tag starting at `from`, skipping quoted attribute values (which may hold `>`). */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let j = from + 1; j < text.length; j++) {
    const ch = text[j]!;
    if (quote) { if (ch === quote) quote = ''; } else if (ch === '"' || ch === "'") quote = ch; else if (ch === '>') return j;
  }
  return text.length;
}

/** The namespace some tools write Apex and Aura meta files in; the real service accepts it too. */
export const TOOLING_METADATA_NS = 'urn:metadata.tooling.soap.sforce.com';

/** The local name of an element, without its prefix. */
export const localName = (qname: string) => qname.slice(qname.lastIndexOf(':') + 1);

/**
 * Checks that a document is well formed and that its root is in the metadata namespace, and (unless
 * `anyRootName`) is one of `roots`, as the real service's parser does before anything else; the first
 * problem has its position.
 */
export function readMetadataRoot(text: string, roots: string[], namespaces = [METADATA_NS], anyRootName = false):
  { ok: true; root: XmlElement } | { ok: false; error: XmlProblem } {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  if (start < 0) return fail('Premature end of file.');
  if (body[start] !== '<' || (start > 0 && body.startsWith('<?xml', start))) return fail('Content is not allowed in prolog.');
  const doctype = body.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    const before = body.slice(0, doctype).split('\n');
    return fail('DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.',
      before.length, before[before.length - 1]!.length + 1);
  }
  const outOfBounds = checkXmlBounds(body);
  if (outOfBounds) return fail(outOfBounds.problem, outOfBounds.line, outOfBounds.column);
  const check = XMLValidator.validate(body);
  if (check !== true) return fail(inParserWords(check.err.msg), check.err.line, check.err.col);
  let root: XmlElement;
  try {
    // A document that declares no namespace is read as in the type's: the sf CLI writes a scratch org
    // definition's settings files without xmlns, and real orgs deploy them (docs/deploy-checks.md).
    root = scan(body, namespaces[0]);
  } catch (err) {
    if (err instanceof ScanError) return fail(err.problem, err.line, err.column);
    throw err;
  }
  if ((!anyRootName && !roots.includes(localName(root.name))) || !namespaces.includes(root.ns ?? '')) {
    return fail(`Cannot find the declaration of element '${root.name}'. Expected {${METADATA_NS}}${roots[0]}.`, root.line, root.column);
  }
  return { ok: true, root };
}

/**
 * Reads a metadata XML document (package.xml, a `-meta.xml` file) as the real service's validating
 * parser does: well-formed, the expected root in the metadata namespace, only the type's elements,
 * each in WSDL order and at most once unless repeatable, with values of the declared simple type.
 * `skip` names inherited fields that a file must not carry (fullName comes from the file name).
 */
export function parseMetadataXml(text: string, type: string, skip: string[] = [], schema: WsdlSchema = metadataSchema()): ParsedXml {
  const scanned = readMetadataRoot(text, [type]);
  if (!scanned.ok) return scanned;
  const { root } = scanned;
  const fields = schema.fieldsOf(type).filter((f) => !skip.includes(f.name));
  const read = readComplex(root, type, fields, schema);
  if ('error' in read) return { ok: false, error: read.error };
  const fieldsAt: Record<string, XmlPosition> = {};
  for (const c of root.children) fieldsAt[localName(c.name)] ??= { lineNumber: c.line, columnNumber: c.column };
  return { ok: true, value: read.value, rootAt: { lineNumber: root.line, columnNumber: root.column }, fieldsAt };
}

type Read = { value: Record<string, unknown> } | { error: XmlProblem };

function readComplex(el: XmlElement, type: string, fields: FieldDef[], schema: WsdlSchema): Read {
  const value: Record<string, unknown> = {};
  let position = -1;
  for (const child of el.children) {
    const name = localName(child.name);
    const index = fields.findIndex((f) => f.name === name);
    const field = fields[index];
    const outOfPlace = !field || child.ns !== METADATA_NS || index < position || (index === position && !field.many);
    if (outOfPlace) {
      const qualified = child.ns === undefined ? name : `{${child.ns}}${name}`;
      return { error: { problem: `Error parsing file: Element ${qualified} invalid at this location in type ${type}`, lineNumber: child.line, columnNumber: child.column } };
    }
    position = index;
    const parsed = readValue(child, field, schema);
    if ('error' in parsed) return parsed;
    if (field.many) ((value[name] ??= []) as unknown[]).push(parsed.value);
    else value[name] = parsed.value;
  }
  return { value };
}

function readValue(el: XmlElement, field: FieldDef, schema: WsdlSchema): { value: unknown } | { error: XmlProblem } {
  if (el.attributes['xsi:nil'] === 'true') return { value: null };
  if (field.complex) return readComplex(el, field.type, schema.fieldsOf(field.type), schema);
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

/**
 * fast-xml-parser's well-formedness messages in the words of the Xerces parser the real service
 * uses, so that users see what they would see from an org. Messages without a match pass through.
 */
const XERCES_WORDING: [RegExp, (...m: string[]) => string][] = [
  [/^Closing tag '(.+?)' (?:doesn't have proper closing|can't have attributes or invalid starting)\.$/,
    (_, tag) => `The end-tag for element type "${tag}" must end with a '>' delimiter.`],
  [/^Expected closing tag '(.+?)' \(opened in line \d+, col \d+\) instead of closing tag '.+?'\.$/,
    (_, tag) => `The element type "${tag}" must be terminated by the matching end-tag "</${tag}>".`],
  [/^Closing tag '.+?' has not been opened\.$/, () => 'The markup in the document following the root element must be well-formed.'],
  [/^Unclosed tag '.+?'\.$/, () => 'XML document structures must start and end within the same entity.'],
  [/^Extra text at the end$/, () => 'Content is not allowed in trailing section.'],
  [/^Tag '.+?' is an invalid name\.$/, () => 'The content of elements must consist of well-formed character data or markup.'],
  [/^char '&' is not expected\.$/, () => "The entity name must immediately follow the '&' in the entity reference."],
];

function inParserWords(message: string): string {
  for (const [pattern, words] of XERCES_WORDING) {
    const m = pattern.exec(message);
    if (m) return words(...m);
  }
  return message;
}
