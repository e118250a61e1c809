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

/**
 * Writes values as the metadata namespace's unprefixed elements, in the WSDL's sequence order.
 * Fields absent from the value are left out; `null` on a nillable field becomes xsi:nil.
 */
export class XmlWriter {
  constructor(private readonly schema: WsdlSchema) {}

  element(name: string, value: unknown, field: FieldDef): string {
    if (field.many && Array.isArray(value)) {
      let out = '';
      for (const item of value) out += this.one(name, item, field);
      return out;
    }
    return this.one(name, value, field);
  }

  private one(name: string, value: unknown, field: FieldDef): string {
    if (value === undefined) return '';
    if (value === null) return field.nillable ? `<${name} xsi:nil="true"/>` : '';
    if (field.builtin || !this.schema.isComplex(field.type)) {
      return `<${name}>${escapeXml(simpleText(value, field))}</${name}>`;
    }
    const actual = (value as { [XSI_TYPE]?: string })[XSI_TYPE] ?? field.type;
    const typeAttr = actual !== field.type ? ` xsi:type="${actual}"` : '';
    const body = (value as { [XML_BODY]?: XmlNode[] })[XML_BODY];
    if (body) return `<${name}${typeAttr}>${writeCompact(body)}</${name}>`;
    return `<${name}${typeAttr}>${this.children(value as Record<string, unknown>, actual)}</${name}>`;
  }

  children(value: Record<string, unknown>, type: string): string {
    let out = '';
    for (const f of this.schema.fieldsOf(type)) out += this.element(f.name, value[f.name], f);
    return out;
  }

  /** `<fooResponse><result>…</result></fooResponse>`, the result typed by the response element. */
  response(operation: string, result: unknown): string {
    const fields = this.schema.elementFields(`${operation}Response`);
    if (!fields) throw new Error(`No ${operation}Response element in metadata.wsdl`);
    const values = { result } as Record<string, unknown>;
    return `<${operation}Response>${fields.map((f) => this.element(f.name, values[f.name], f)).join('')}</${operation}Response>`;
  }
}
