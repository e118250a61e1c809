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

function simpleText(value: unknown, field: FieldDef): string {
  switch (field.type) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'int':
    case 'long':
      return String(Math.trunc(Number(value)));
    case 'double': {
      const n = Number(value);
      return Number.isInteger(n) ? n.toFixed(1) : String(n);
    }
    case 'dateTime':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'base64Binary':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default:
      return String(value);
  }
}

/** Where serialized XML goes: a string being built, or a response being written (http/responseSink.ts). */
export interface XmlSink {
  write(text: string): void;
  /** Bytes as base64, written in slices: a retrieve's zip need not become one large string. */
  writeBase64(bytes: Buffer): void;
}

/** A sink that builds a string. */
export class StringSink implements XmlSink {
  text = '';
  write(text: string): void { this.text += text; }
  writeBase64(bytes: Buffer): void { this.text += bytes.toString('base64'); }
}

/**
 * Writes values as the metadata namespace's unprefixed elements, in the WSDL's sequence order,
 * straight into a sink. Fields absent from the value are left out; `null` on a nillable field
 * becomes xsi:nil.
 */
export class XmlWriter {
  constructor(private readonly schema: WsdlSchema) {}

  element(name: string, value: unknown, field: FieldDef): string {
    const sink = new StringSink();
    this.write(sink, name, value, field);
    return sink.text;
  }

  write(out: XmlSink, name: string, value: unknown, field: FieldDef): void {
    if (field.many && Array.isArray(value)) {
      for (const item of value) this.one(out, name, item, field);
      return;
    }
    this.one(out, name, value, field);
  }

  private one(out: XmlSink, name: string, value: unknown, field: FieldDef): void {
    if (value === undefined) return;
    if (value === null) {
      if (field.nillable) out.write(`<${name} xsi:nil="true"/>`);
      return;
    }
    if (!field.complex) {
      if (Buffer.isBuffer(value) && field.type === 'base64Binary') {
        out.write(`<${name}>`);
        out.writeBase64(value);
        out.write(`</${name}>`);
        return;
      }
      out.write(`<${name}>${escapeXml(simpleText(value, field))}</${name}>`);
      return;
    }
    const actual = (value as { [XSI_TYPE]?: string })[XSI_TYPE] ?? field.type;
    const typeAttr = actual !== field.type ? ` xsi:type="${actual}"` : '';
    const body = (value as { [XML_BODY]?: XmlNode[] })[XML_BODY];
    if (body) {
      out.write(`<${name}${typeAttr}>${writeCompact(body)}</${name}>`);
      return;
    }
    out.write(`<${name}${typeAttr}>`);
    this.children(out, value as Record<string, unknown>, actual);
    out.write(`</${name}>`);
  }

  private children(out: XmlSink, value: Record<string, unknown>, type: string): void {
    for (const f of this.schema.fieldsOf(type)) this.write(out, f.name, value[f.name], f);
  }

  /** `<fooResponse><result>…</result></fooResponse>`, the result typed by the response element. */
  writeResponse(out: XmlSink, operation: string, result: unknown): void {
    const fields = this.schema.elementFields(`${operation}Response`);
    if (!fields) throw new Error(`No ${operation}Response element in metadata.wsdl`);
    const values = { result } as Record<string, unknown>;
    out.write(`<${operation}Response>`);
    for (const f of fields) this.write(out, f.name, values[f.name], f);
    out.write(`</${operation}Response>`);
  }

  /** The same, as a string. */
  response(operation: string, result: unknown): string {
    const sink = new StringSink();
    this.writeResponse(sink, operation, result);
    return sink.text;
  }
}
