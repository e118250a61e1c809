import { Faults } from '../errors';
import { invalidCharacterAt } from '../package/xmlBounds';
import { scanXml, XmlSyntaxError, type XmlElement } from '../package/xmlScanner';
import { element, type XmlNode } from '../package/xmlTree';
import { METADATA_NS, type FieldDef, type WsdlSchema } from './wsdlSchema';
import type { DecodedPayload } from './zipFileAside';
import { XML_BODY, XSI_TYPE } from './xmlWriter';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A Metadata API request as the operations take it: typed by the WSDL, whatever order its children came in. */
export interface MetadataRequest {
  operation: string;
  /** Header elements the WSDL declares (SessionHeader, CallOptions, AllOrNoneHeader…), typed; others are skipped. */
  headers: Record<string, Record<string, unknown>>;
  input: Record<string, unknown>;
}

/** An attribute by its local name, whatever its prefix (`xsi:nil`, `xsi:type`). */
function attribute(el: XmlElement, name: string): string | undefined {
  for (const qname in el.attributes) if (qname.slice(qname.indexOf(':') + 1) === name) return el.attributes[qname];
  return undefined;
}

const isNil = (el: XmlElement) => attribute(el, 'nil') === 'true';
const malformedAt = (problem: string, line: number, column: number) => Faults.malformedRequest(`${problem} at [row,col]: [${line},${column}]`);
const invalidValue = (value: string, type: string) => Faults.malformedRequest(`'${value}' is not a valid value for the type xsd:${type}`);
const unexpectedElement = (name: string) => Faults.malformedRequest(`Unexpected element {${METADATA_NS}}${name} during simple type deserialization`);
const notAnEnvelope = () => Faults.malformedRequest(`The message is not a SOAP envelope: expected {${SOAP_ENV}}Envelope`);
const notOneOperation = () => Faults.malformedRequest('The SOAP Body must hold exactly one operation element');

/**
 * Reads a Metadata API SOAP request: the message is scanned once into elements (package/xmlScanner.ts,
 * which checks it is well formed and bounds its nesting and attributes, so no message costs more than
 * its length, and reads long text such as a record's base64 content with native searches), and each
 * element is decoded by the WSDL (booleans, numbers, enums and arrays where the schema says so).
 * Unknown elements and bad values are refused with the fault the real service's SOAP stack gives;
 * `aliasesOf` names the variant child names some clients send (jsforce's `request` for
 * `retrieveRequest`). Elements are matched by their local name, whatever namespace a client puts them in.
 * A deploy's ZipFile arrives decoded apart (zipFileAside.ts).
 */
export class RequestReader {
  constructor(private readonly schema: WsdlSchema, private readonly aliasesOf: (operation: string) => Record<string, string> | undefined = () => undefined) {}

  /** `zipFile`: a deploy's ZipFile taken out of the message as it arrived, its placeholder in `xml`. */
  read(xml: string, zipFile?: DecodedPayload): MetadataRequest {
    const envelope = scanMessage(xml);
    if (envelope.local !== 'Envelope') throw notAnEnvelope();
    const headers: Record<string, Record<string, unknown>> = {};
    let operation: XmlElement | undefined;
    for (const part of envelope.children) {
      if (part.local === 'Header') {
        for (const header of part.children) {
          const fields = this.schema.elementFields(header.local);
          // A header the WSDL does not declare is skipped, and so are a declared one's unknown children, as SOAP stacks do.
          if (fields) headers[header.local] = this.complex(header, fields, header.local, zipFile, undefined, true);
        }
      } else if (part.local === 'Body') {
        if (operation || part.children.length > 1) throw notOneOperation();
        operation = part.children[0];
      }
    }
    if (!operation) throw notOneOperation();
    const name = operation.local;
    const fields = this.schema.elementFields(name);
    if (!fields) throw Faults.noSuchOperation(name);
    return { operation: name, headers, input: this.complex(operation, fields, name, zipFile, this.aliasesOf(name)) };
  }

  /** A value of a complex type: each child by the field it names, arrays where the field is many. */
  private complex(el: XmlElement, fields: FieldDef[], owner: string, zipFile?: DecodedPayload, aliases?: Record<string, string>, lenient = false): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    for (const f of fields) if (f.many) value[f.name] = [];
    for (const child of el.children) {
      const name = child.local;
      const fieldName = aliases?.[name] ?? name;
      const field = fields.find((f) => f.name === fieldName);
      if (!field) {
        if (lenient) continue;
        throw unexpectedElement(name);
      }
      if (!field.many && Object.prototype.hasOwnProperty.call(value, field.name)) {
        throw Faults.malformedRequest(`Element {${METADATA_NS}}${name} may occur only once in ${owner}`);
      }
      const v = this.fieldValue(child, field, zipFile);
      if (field.many) { if (v !== null) (value[field.name] as unknown[]).push(v); } else value[field.name] = v;
    }
    const text = el.text.trim();
    if (text !== '') throw Faults.malformedRequest(`Unexpected text '${text.slice(0, 40)}' in element ${owner}`);
    return value;
  }

  /** The value of an element standing for `field`: null for xsi:nil. */
  private fieldValue(el: XmlElement, field: FieldDef, zipFile?: DecodedPayload): unknown {
    if (isNil(el)) return null;
    if (!field.complex) {
      if (el.children.length) throw unexpectedElement(el.children[0]!.local);
      return this.simple(el.text.trim(), field, zipFile);
    }
    // xsi:type names a subtype (`Certificate` for `Metadata`); its prefix, if any, is the metadata namespace.
    const declared = attribute(el, 'type')?.split(':').pop();
    // A metadata type our WSDL does not declare: kept as its XML, for the operation to read by the type's registry entry.
    if (declared && field.type === 'Metadata' && !this.schema.isComplex(declared)) return genericRecord(nodesOf(el), declared);
    if (declared && (!this.schema.isComplex(declared) || !this.schema.isSubtypeOf(declared, field.type))) {
      throw Faults.invalidType(`Unable to find type {${METADATA_NS}}${declared}, or it is not a kind of ${field.type}`);
    }
    const type = declared ?? field.type;
    const value = this.complex(el, this.schema.fieldsOf(type), type, zipFile);
    if (declared) Object.defineProperty(value, XSI_TYPE, { value: declared, enumerable: false });
    return value;
  }

  private simple(text: string, field: FieldDef, zipFile?: DecodedPayload): unknown {
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
        if (zipFile && text === zipFile.marker) {
          if (!zipFile.zip) throw invalidValue(zipFile.head, 'base64Binary');
          return zipFile.zip;
        }
        // Checked without a regular expression: a deploy's zip is up to 50 MB of it.
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 47 && c <= 57) || c === 43 || c === 61 || c === 32 || c === 9 || c === 10 || c === 13;
          if (!ok) throw invalidValue(text.slice(0, 20), 'base64Binary');
        }
        return text;
      default:
        return text;
    }
  }
}

/**
 * The message's elements, or the client's fault: the first character XML excludes, or the first way it
 * is not well formed, in the JDK parser's words (the real service's) with its row and column.
 */
function scanMessage(xml: string): XmlElement {
  const invalid = invalidCharacterAt(xml);
  if (invalid) throw malformedAt(invalid.problem, invalid.line, invalid.column);
  try {
    return scanXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw malformedAt(err.problem, err.line, err.column);
    throw err;
  }
}

/** An element of a generic record as ordered nodes: its child elements (a nil one left out: it is how clients clear a field), or its trimmed text. */
function nodesOf(el: XmlElement): XmlNode[] {
  if (el.children.length) return el.children.filter((c) => !isNil(c)).map((c) => element(c.local, nodesOf(c)));
  const text = el.text.trim();
  return text === '' ? [] : [{ '#text': text } as unknown as XmlNode];
}

const textOfNode = (node: XmlNode | undefined, name: string): string | undefined => {
  if (!node) return undefined;
  const children = node[name] as XmlNode[];
  return children.map((c) => String(c['#text'] ?? '')).join('').trim();
};

/** A record of a type the WSDL does not declare: fullName and content as values, every field as XML. */
function genericRecord(body: XmlNode[], xsiType: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const fullName = textOfNode(body.find((n) => 'fullName' in n), 'fullName');
  const content = textOfNode(body.find((n) => 'content' in n), 'content');
  if (fullName !== undefined) record.fullName = fullName;
  if (content !== undefined) record.content = content;
  Object.defineProperty(record, XSI_TYPE, { value: xsiType, enumerable: false });
  Object.defineProperty(record, XML_BODY, { value: body, enumerable: false });
  return record;
}
