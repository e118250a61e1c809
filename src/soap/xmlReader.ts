import { Faults } from '../errors';
import { METADATA_NS, type FieldDef, type WsdlSchema } from './wsdlSchema';
import { element, type XmlNode } from '../package/xmlTree';
import { XML_BODY, XSI_TYPE } from './xmlWriter';

/** A parsed XML element as fast-xml-parser gives it: text, or children keyed by local name. */
export type XmlValue = string | { [key: string]: XmlValue | XmlValue[] };

const attr = (node: XmlValue, name: string): string | undefined =>
  typeof node === 'object' ? (node[`@_${name}`] as string | undefined) : undefined;

const textOf = (node: XmlValue): string =>
  typeof node === 'string' ? node : typeof node['#text'] === 'string' ? (node['#text'] as string) : String(node['#text'] ?? '');

const invalidValue = (value: string, type: string) =>
  Faults.malformedRequest(`'${value}' is not a valid value for the type xsd:${type}`);

/**
 * Turns request XML into typed values using the WSDL: booleans, numbers and arrays where the schema
 * says so, whatever order the children came in (clients send their own key order). Unknown elements
 * and bad values are refused with the fault the SOAP stack of the real service gives.
 */
export class XmlReader {
  constructor(private readonly schema: WsdlSchema) {}

  /** Children of a top-level element (an operation or a header); `aliases` maps accepted variant names. */
  element(name: string, node: XmlValue, aliases: Record<string, string> = {}): Record<string, unknown> {
    const fields = this.schema.elementFields(name);
    if (!fields) throw Faults.noSuchOperation(name);
    return this.children(node, fields, name, aliases);
  }

  private children(node: XmlValue, fields: FieldDef[], owner: string, aliases: Record<string, string> = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) if (f.many) out[f.name] = [];
    if (typeof node === 'string') {
      if (node.trim() !== '') throw Faults.malformedRequest(`Unexpected text '${node.trim().slice(0, 40)}' in element ${owner}`);
      return out;
    }
    for (const [key, raw] of Object.entries(node)) {
      if (key.startsWith('@_') || key === '#text') continue;
      const name = aliases[key] ?? key;
      const field = fields.find((f) => f.name === name);
      if (!field) throw Faults.malformedRequest(`Unexpected element {${METADATA_NS}}${key} during simple type deserialization`);
      const items = Array.isArray(raw) ? raw : [raw];
      if (!field.many && items.length > 1) {
        throw Faults.malformedRequest(`Element {${METADATA_NS}}${key} may occur only once in ${owner}`);
      }
      const values = items.map((item) => this.value(item, field));
      out[field.name] = field.many ? values.filter((v) => v !== null) : values[0];
    }
    return out;
  }

  private value(node: XmlValue, field: FieldDef): unknown {
    if (attr(node, 'nil') === 'true') return null;
    if (!field.builtin && this.schema.isComplex(field.type)) {
      // xsi:type names a subtype (`Certificate` for `Metadata`); its prefix, if any, is the metadata namespace.
      const declared = attr(node, 'type')?.split(':').pop();
      const type = declared ?? field.type;
      // A metadata type our WSDL does not declare: kept as its XML, for the operation to read by the type's registry entry.
      if (declared && field.type === 'Metadata' && !this.schema.isComplex(declared)) return genericRecord(declared, node);
      if (declared && (!this.schema.isComplex(declared) || !this.schema.isSubtypeOf(declared, field.type))) {
        throw Faults.invalidType(`Unable to find type {${METADATA_NS}}${declared}, or it is not a kind of ${field.type}`);
      }
      const value = this.children(node, this.schema.fieldsOf(type), type);
      if (declared) Object.defineProperty(value, XSI_TYPE, { value: declared, enumerable: false });
      return value;
    }
    const text = textOf(node).trim();
    const enumValues = this.schema.enumValues(field.type);
    if (enumValues) {
      if (!enumValues.includes(text)) throw Faults.malformedRequest(`'${text}' is not a valid value for the enum '${field.type}'`);
      return text;
    }
    switch (field.type) {
      case 'boolean':
        if (text === 'true' || text === '1') return true;
        if (text === 'false' || text === '0') return false;
        throw invalidValue(text, 'boolean');
      case 'int':
        if (!/^[+-]?\d+$/.test(text)) throw invalidValue(text, 'int');
        return Number(text);
      case 'double':
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw invalidValue(text, 'double');
        return Number(text);
      case 'dateTime':
        if (Number.isNaN(Date.parse(text))) throw invalidValue(text, 'dateTime');
        return new Date(text).toISOString();
      case 'base64Binary':
        if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw invalidValue(text.slice(0, 20), 'base64Binary');
        return text;
      default:
        return textOf(node);
    }
  }
}

/** fast-xml-parser's keyed form of an element's children as ordered nodes (same-name siblings stay together). */
function toNodes(node: XmlValue): XmlNode[] {
  if (typeof node !== 'object') return node === '' ? [] : [{ '#text': node } as unknown as XmlNode];
  const out: XmlNode[] = [];
  for (const [key, raw] of Object.entries(node)) {
    if (key.startsWith('@_')) continue;
    if (key === '#text') { out.push({ '#text': String(raw) } as unknown as XmlNode); continue; }
    // xsi:nil is how clients clear a field: a nil field is left out, as if never set.
    for (const item of Array.isArray(raw) ? raw : [raw]) if (attr(item, 'nil') !== 'true') out.push(element(key, toNodes(item)));
  }
  return out;
}

/** A record of a type the WSDL does not declare: fullName and content as values, every field as XML. */
function genericRecord(type: string, node: XmlValue): Record<string, unknown> {
  const body = toNodes(node);
  const record: Record<string, unknown> = {};
  if (typeof node === 'object') {
    if (node.fullName !== undefined) record.fullName = textOf(node.fullName as XmlValue);
    if (node.content !== undefined) record.content = textOf(node.content as XmlValue).trim();
  }
  Object.defineProperty(record, XSI_TYPE, { value: type, enumerable: false });
  Object.defineProperty(record, XML_BODY, { value: body, enumerable: false });
  return record;
}
