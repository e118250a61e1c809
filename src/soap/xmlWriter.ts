import { PartedBytes, partsOf } from './partedBytes';
import { writeCompact, type XmlNode } from '../package/xmlTree';
import type { FieldDef, WsdlSchema } from './wsdlSchema';

/** Marks a value whose runtime type is a subtype of the declared one (ReadResult records). */
export const XSI_TYPE = Symbol('xsi:type');

/**
 * Marks a record of a type our WSDL does not declare (every type but Certificate): its fields as
 * ordered XML nodes (package/xmlTree.ts), written and read as they are.
 */
export const XML_BODY = Symbol('xml body');

const SPECIAL = /[&<>"]/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  // Most values (ids, dates, names) need no escaping: test once rather than replace four times.
  return SPECIAL.test(text) ? text.replace(/[&<>"]/g, (c) => ENTITIES[c]!) : text;
}

/**
 * XML already written for one complex field of a value (every element of it, repeated ones included), kept
 * as bytes: what the store holds of a finished job's per-component results (store/jobs.ts), which
 * would otherwise be parsed and written again on every poll.
 */
export class WrittenXml {
  constructor(readonly bytes: Buffer) {}
}

/** Where serialized XML goes: a string being built, or a response being written (http/responseSink.ts). */
export interface XmlSink {
  write(text: string): void;
  /** Bytes as base64, written in slices: a retrieve's zip need not become one large string. */
  writeBase64(bytes: Buffer | PartedBytes): void;
  /** UTF-8 XML already written (WrittenXml), as it is. */
  writeBytes(bytes: Buffer): void;
}

/** A sink that builds a string. */
export class StringSink implements XmlSink {
  text = '';
  write(text: string): void { this.text += text; }
  writeBase64(bytes: Buffer | PartedBytes): void {
    for (const part of partsOf(bytes)) this.text += part.toString('base64');
  }
  writeBytes(bytes: Buffer): void { this.text += bytes.toString('utf8'); }
}

/**
 * Writes the fields of one value into `out`. Text not yet handed to `out` travels in `pending`
 * (the caller's open tag, for one) and comes back with this value's fields appended, so that a
 * record of simple fields reaches the sink in one write rather than one per element.
 */
type FieldsWriter = (out: XmlSink, value: Record<string, unknown>, pending: string) => string;

/** Pending text longer than this goes to the sink between the items of a repeated field. */
const PENDING_LIMIT = 16 * 1024;

/** What generated writers call: formatting of the WSDL's simple types, and the writing of complex values. */
interface Helpers {
  esc: (text: string) => string;
  double: (value: unknown) => string;
  /** Bytes the sink writes as base64 (a Buffer, or bytes kept in parts). */
  isBytes: (value: unknown) => value is Buffer | PartedBytes;
  /** A complex value: its element, xsi:type when it is of a subtype, and its fields; returns the pending text. */
  complex: (out: XmlSink, name: string, value: Record<string, unknown>, declared: string, pending: string) => string;
}

function doubleText(value: unknown): string {
  const n = Number(value);
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** A JavaScript expression giving the text of simple value `x` of `field`, escaped. */
function textExpression(field: FieldDef): string {
  switch (field.type) {
    case 'boolean':
      return "(x ? 'true' : 'false')";
    case 'int':
    case 'long':
      return 'String(Math.trunc(Number(x)))';
    case 'double':
      return 'double(x)';
    case 'dateTime':
      return '(x instanceof Date ? x.toISOString() : esc(String(x)))';
    case 'base64Binary':
      return 'esc(String(x))'; // bytes went to the sink before this text is reached (valueCode)
    default:
      return "esc(typeof x === 'string' ? x : String(x))";
  }
}

/**
 * Code that appends one present value `x` (neither undefined nor null) of `field` to `s`. Strings
 * are written as JSON literals, so that no name from the WSDL is ever read as code.
 */
function valueCode(field: FieldDef): string {
  const open = JSON.stringify(`<${field.name}>`);
  const close = JSON.stringify(`</${field.name}>`);
  if (field.complex) {
    return `if (x instanceof WrittenXml) { out.write(s); s = ''; out.writeBytes(x.bytes); } else { s = complex(out, ${JSON.stringify(field.name)}, x, ${JSON.stringify(field.type)}, s); }`;
  }
  const text = `s += ${open} + ${textExpression(field)} + ${close};`;
  if (field.type !== 'base64Binary') return text;
  // Bytes go to the sink as base64 in slices: a retrieve's zip is never one large string.
  return `if (isBytes(x)) { out.write(s + ${open}); out.writeBase64(x); s = ${close}; } else { ${text} }`;
}

/** Code that appends `x`, one item of `field` as it may come (absent, null, or a value). */
function itemCode(field: FieldDef): string {
  const nil = field.nillable ? `s += ${JSON.stringify(`<${field.name} xsi:nil="true"/>`)};` : '';
  return `if (x !== undefined) { if (x === null) { ${nil} } else { ${valueCode(field)} } }`;
}

/** Code that appends field `field` of value `v`: each item of an array when the field repeats, else the value. */
function fieldCode(field: FieldDef): string {
  const read = `x = v[${JSON.stringify(field.name)}];`;
  if (!field.many) return `${read} ${itemCode(field)}`;
  const flush = field.complex ? `if (s.length >= ${PENDING_LIMIT}) { out.write(s); s = ''; }` : '';
  return `${read} if (Array.isArray(x)) { const a = x; for (let i = 0; i < a.length; i++) { x = a[i]; ${itemCode(field)} ${flush} } } else { ${itemCode(field)} }`;
}

/** A function writing `fields` in their order, made once per type from the WSDL. */
function compileFields(fields: FieldDef[], helpers: Helpers): FieldsWriter {
  const body = fields.map(fieldCode).join('\n');
  const source = `'use strict';
const { esc, double, isBytes, complex } = h;
return function writeFields(out, v, s) {
  let x;
  ${body}
  return s;
};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the WSDL's field list only; see valueCode
  return new Function('h', 'WrittenXml', source)(helpers, WrittenXml) as FieldsWriter;
}

/**
 * Writes values as the metadata namespace's unprefixed elements, in the WSDL's sequence order,
 * straight into a sink. Fields absent from the value are left out; `null` on a nillable field
 * becomes xsi:nil.
 *
 * Each complex type gets a writer of its own, generated from its field list the first time a value
 * of it is written: a listing of a thousand components would otherwise walk the WSDL's field list,
 * test each field's kind and call the sink once per element, for every component of every answer.
 */
export class XmlWriter {
  private readonly typeWriters = new Map<string, FieldsWriter>();
  private readonly elementWriters = new Map<string, FieldsWriter>();
  private readonly fieldWriters = new WeakMap<FieldDef, FieldsWriter>();
  private readonly helpers: Helpers;

  constructor(private readonly schema: WsdlSchema) {
    this.helpers = {
      esc: escapeXml,
      double: doubleText,
      isBytes: (value: unknown): value is Buffer | PartedBytes => Buffer.isBuffer(value) || value instanceof PartedBytes,
      complex: (out, name, value, declared, pending) => this.complex(out, name, value, declared, pending),
    };
  }

  element(name: string, value: unknown, field: FieldDef): string {
    const sink = new StringSink();
    this.write(sink, name, value, field);
    return sink.text;
  }

  write(out: XmlSink, name: string, value: unknown, field: FieldDef): void {
    let writer = field.name === name ? this.fieldWriters.get(field) : undefined;
    if (!writer) {
      writer = compileFields([{ ...field, name }], this.helpers);
      if (field.name === name) this.fieldWriters.set(field, writer);
    }
    const rest = writer(out, { [name]: value }, '');
    if (rest) out.write(rest);
  }

  /** `<fooResponse><result>…</result></fooResponse>`, the result typed by the response element. */
  writeResponse(out: XmlSink, operation: string, result: unknown): void {
    const element = `${operation}Response`;
    let writer = this.elementWriters.get(element);
    if (!writer) {
      const fields = this.schema.elementFields(element);
      if (!fields) throw new Error(`No ${element} element in metadata.wsdl`);
      this.elementWriters.set(element, (writer = compileFields(fields, this.helpers)));
    }
    out.write(writer(out, { result }, `<${element}>`) + `</${element}>`);
  }

  /** The same, as a string. */
  response(operation: string, result: unknown): string {
    const sink = new StringSink();
    this.writeResponse(sink, operation, result);
    return sink.text;
  }

  private complex(out: XmlSink, name: string, value: Record<string, unknown>, declared: string, pending: string): string {
    const actual = (value as { [XSI_TYPE]?: string })[XSI_TYPE] ?? declared;
    const open = actual === declared ? `<${name}>` : `<${name} xsi:type="${actual}">`;
    const body = (value as { [XML_BODY]?: XmlNode[] })[XML_BODY];
    if (body) return `${pending}${open}${writeCompact(body)}</${name}>`;
    return `${this.fieldsWriter(actual)(out, value, pending + open)}</${name}>`;
  }

  private fieldsWriter(type: string): FieldsWriter {
    let writer = this.typeWriters.get(type);
    if (!writer) this.typeWriters.set(type, (writer = compileFields(this.schema.fieldsOf(type), this.helpers)));
    return writer;
  }
}
