import { XMLValidator } from 'fast-xml-parser';
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

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
}

const fail = (problem: string, line = 1, column = 1): ParsedXml =>
  ({ ok: false, error: { problem: `Error parsing file: ${problem}`, lineNumber: line, columnNumber: column } });

/**
 * Elements of an already well-formed document with their line and column. fast-xml-parser checks
 * well-formedness with positions but parses without them, and deploy messages need the position of
 * the element that breaks the schema, so this small scanner walks the text once more.
 */
function scan(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const advanceTo = (to: number) => {
    for (; i < to; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (stack.length) stack[stack.length - 1]!.text += decode(text.slice(i, lt));
    advanceTo(lt);
    const column = i - lineStart + 1;
    if (text.startsWith('<?', i)) { advanceTo(text.indexOf('?>', i) + 2); continue; }
    if (text.startsWith('<!--', i)) { advanceTo(text.indexOf('-->', i) + 3); continue; }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (stack.length) stack[stack.length - 1]!.text += text.slice(i + 9, end);
      advanceTo(end + 3);
      continue;
    }
    const gt = text.indexOf('>', i);
    const tag = text.slice(i + 1, gt);
    if (tag.startsWith('/')) { stack.pop(); advanceTo(gt + 1); continue; }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = body.match(/^[^\s/>]+/)![0];
    const attributes: Record<string, string> = {};
    for (const m of body.slice(name.length).matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      attributes[m[1]!] = decode(m[3] ?? m[4] ?? '');
    }
    const el: XmlElement = { name, attributes, children: [], text: '', line, column };
    if (stack.length) stack[stack.length - 1]!.children.push(el); else root = el;
    if (!selfClosing) stack.push(el);
    advanceTo(gt + 1);
  }
  return root!;
}

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

const localName = (qname: string) => qname.split(':').pop()!;

function namespaceOf(el: XmlElement, inherited: Record<string, string>): string | undefined {
  const prefix = el.name.includes(':') ? el.name.split(':')[0] : '';
  return prefix ? el.attributes[`xmlns:${prefix}`] ?? inherited[prefix] : el.attributes.xmlns ?? inherited[''];
}

/**
 * Reads a metadata XML document (package.xml, a `-meta.xml` file) as the real service's validating
 * parser does: well-formed, the expected root in the metadata namespace, only the type's elements,
 * each in WSDL order and at most once unless repeatable, with values of the declared simple type.
 * `skip` names inherited fields that a file must not carry (fullName comes from the file name).
 */
export function parseMetadataXml(text: string, type: string, skip: string[] = [], schema: WsdlSchema = metadataSchema()): ParsedXml {
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
  const check = XMLValidator.validate(body);
  if (check !== true) return fail(check.err.msg, check.err.line, check.err.col);
  const root = scan(body);
  const ns = namespaceOf(root, {});
  if (localName(root.name) !== type || ns !== METADATA_NS) {
    return fail(`Cannot find the declaration of element '${root.name}'. Expected {${METADATA_NS}}${type}.`, root.line, root.column);
  }
  const fields = schema.fieldsOf(type).filter((f) => !skip.includes(f.name));
  const read = readComplex(root, type, fields, schema, ns ? { '': ns } : {});
  if ('error' in read) return { ok: false, error: read.error };
  const fieldsAt: Record<string, XmlPosition> = {};
  for (const c of root.children) fieldsAt[localName(c.name)] ??= { lineNumber: c.line, columnNumber: c.column };
  return { ok: true, value: read.value, rootAt: { lineNumber: root.line, columnNumber: root.column }, fieldsAt };
}

type Read = { value: Record<string, unknown> } | { error: XmlProblem };

function readComplex(el: XmlElement, type: string, fields: FieldDef[], schema: WsdlSchema, nsScope: Record<string, string>): Read {
  const value: Record<string, unknown> = {};
  let position = -1;
  for (const child of el.children) {
    const name = localName(child.name);
    const index = fields.findIndex((f) => f.name === name);
    const field = fields[index];
    const outOfPlace = !field || namespaceOf(child, nsScope) !== METADATA_NS || index < position || (index === position && !field.many);
    if (outOfPlace) {
      return { error: { problem: `Error parsing file: Element {${METADATA_NS}}${name} invalid at this location in type ${type}`, lineNumber: child.line, columnNumber: child.column } };
    }
    position = index;
    const parsed = readValue(child, field, schema, nsScope);
    if ('error' in parsed) return parsed;
    if (field.many) ((value[name] ??= []) as unknown[]).push(parsed.value);
    else value[name] = parsed.value;
  }
  return { value };
}

function readValue(el: XmlElement, field: FieldDef, schema: WsdlSchema, nsScope: Record<string, string>): { value: unknown } | { error: XmlProblem } {
  if (el.attributes['xsi:nil'] === 'true') return { value: null };
  if (!field.builtin && schema.isComplex(field.type)) return readComplex(el, field.type, schema.fieldsOf(field.type), schema, nsScope);
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
      return text === 'true' || text === '1' ? { value: true } : text === 'false' || text === '0' ? { value: false } : bad('xsd:boolean');
    case 'int':
      return /^[+-]?\d+$/.test(text) && Math.abs(Number(text)) <= 2 ** 31 ? { value: Number(text) } : bad('xsd:int');
    case 'double':
      return text !== '' && Number.isFinite(Number(text)) ? { value: Number(text) } : bad('xsd:double');
    case 'dateTime':
      return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)) ? { value: text } : bad('xsd:dateTime');
    default:
      return { value: el.text };
  }
}
