import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Faults } from '../errors';
import { invalidCharacterIn, XmlLimits } from '../package/xmlBounds';
import { element, type XmlNode } from '../package/xmlTree';
import { METADATA_NS, type FieldDef, type WsdlSchema } from './wsdlSchema';
import { setAsideLargeText } from './largeText';
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

/**
 * One open element: a complex value being filled, a simple value's text, or a node of an undeclared
 * type's record. Every frame has every field, set in the same order, so that the reader's accesses
 * see one shape (objects of varying shapes made this the costliest part of a small read).
 */
class Frame {
  /** The field it fills in its parent (absent for the operation and headers). */
  field: FieldDef | undefined = undefined;
  /** Complex: the fields of its type, the type's name for messages, and the value being built. */
  fields: FieldDef[] | undefined = undefined;
  owner: string | undefined = undefined;
  value: Record<string, unknown> | undefined = undefined;
  aliases: Record<string, string> | undefined = undefined;
  xsiType: string | undefined = undefined;
  /** A record of a type the WSDL does not declare: its child nodes, kept as XML (package/xmlTree.ts). */
  nodes: XmlNode[] | undefined = undefined;
  /** Simple, or generic: its text so far. */
  text = '';
  nil = false;
  /** An unknown header, or an element under xsi:nil: read and dropped. */
  skip = false;
  /** A header: children it does not declare are skipped, as SOAP stacks do with headers. */
  lenient = false;

  constructor(readonly name: string) {}

  static skipped(name: string): Frame {
    const frame = new Frame(name);
    frame.skip = true;
    return frame;
  }
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  for (const qname in tag.attributes) if (localName(qname) === name) return tag.attributes[qname];
  return undefined;
}

const invalidValue = (value: string, type: string) => Faults.malformedRequest(`'${value}' is not a valid value for the type xsd:${type}`);

/**
 * Reads a Metadata API SOAP request in one pass: saxes checks the XML as it streams through, and
 * each element is decoded by the WSDL as it closes (booleans, numbers, enums and arrays where the
 * schema says so), with no tree built in between. Unknown elements and bad values are refused with
 * the fault the real service's SOAP stack gives; `aliasesOf` names the variant child names some
 * clients send (jsforce's `request` for `retrieveRequest`). Nesting and attributes per element are
 * bounded as in metadata files (package/xmlBounds.ts), so no message costs more than its length, and
 * a deploy's large base64 ZipFile goes around the parser (largeText.ts).
 */
export class RequestReader {
  constructor(private readonly schema: WsdlSchema, private readonly aliasesOf: (operation: string) => Record<string, string> | undefined = () => undefined) {}

  /** `zipFile`: a deploy's ZipFile taken out of the message as it arrived, its placeholder in `xml`. */
  read(xml: string, zipFile?: DecodedPayload): MetadataRequest {
    const parser = new SaxesParser({ xmlns: false, position: true });
    const stack: Frame[] = [];
    const headers: Record<string, Record<string, unknown>> = {};
    let operation: string | undefined;
    let input: Record<string, unknown> | undefined;
    let root = false;
    let inHeader = false;
    let inBody = false;

    parser.on('error', (err) => {
      // A character XML excludes is named as the JDK's parser (the real service's) names it.
      const bad = /disallowed character/.test(err.message) ? invalidCharacterIn(xml) : undefined;
      throw Faults.malformedRequest(`${bad ?? err.message.replace(/^\d+:\d+: /, '')} at [row,col]: [${parser.line},${parser.column}]`);
    });
    parser.on('doctype', () => { throw Faults.malformedRequest('DOCTYPE is not allowed in a SOAP message'); });
    let depth = 0;
    let attributes = 0;
    let opening = '';
    const outOfBounds = (problem: string) => Faults.malformedRequest(`${problem} at [row,col]: [${parser.line},${parser.column}]`);
    parser.on('opentagstart', (tag) => { attributes = 0; opening = tag.name; });
    parser.on('attribute', () => {
      if (++attributes > XmlLimits.maxAttributes) {
        throw outOfBounds(`Element "${opening}" has more than "${XmlLimits.maxAttributes}" attributes, "${XmlLimits.maxAttributes}" is the limit imposed by Localforce.`);
      }
    });
    parser.on('opentag', (tag) => {
      if (!tag.isSelfClosing && ++depth > XmlLimits.maxDepth) {
        throw outOfBounds(`The element "${tag.name}" has a depth of "${depth}" that exceeds the limit "${XmlLimits.maxDepth}" imposed by Localforce.`);
      }
      const name = localName(tag.name);
      const top = stack[stack.length - 1];
      if (top) return stack.push(this.child(top, name, tag));
      if (!root) {
        if (name !== 'Envelope') throw Faults.malformedRequest(`The message is not a SOAP envelope: expected {${SOAP_ENV}}Envelope`);
        root = true;
        return;
      }
      if (!inHeader && !inBody) {
        if (name === 'Header') inHeader = true;
        else if (name === 'Body') inBody = true;
        return;
      }
      if (inBody) {
        if (operation !== undefined) throw Faults.malformedRequest('The SOAP Body must hold exactly one operation element');
        operation = name;
        const fields = this.schema.elementFields(name);
        if (!fields) throw Faults.noSuchOperation(name);
        return stack.push(this.complex(name, fields, name, undefined, this.aliasesOf(name)));
      }
      const fields = this.schema.elementFields(name);
      const header = fields ? this.complex(name, fields, name) : Frame.skipped(name);
      header.lenient = true;
      stack.push(header);
    });
    const aside = setAsideLargeText(xml);
    parser.on('text', (text) => { if (stack.length) stack[stack.length - 1]!.text += aside.text(text); });
    parser.on('cdata', (text) => { if (stack.length) stack[stack.length - 1]!.text += text; });
    parser.on('closetag', (tag) => {
      if (!tag.isSelfClosing) depth--;
      const frame = stack.pop();
      if (!frame) {
        if (inHeader) inHeader = false;
        else if (inBody) inBody = false;
        return;
      }
      const value = this.finish(frame, zipFile);
      const parent = stack[stack.length - 1];
      if (parent) return this.assign(parent, frame, value);
      if (frame.skip) return;
      if (inBody) input = value as Record<string, unknown>;
      else headers[frame.name] = value as Record<string, unknown>;
    });
    parser.write(aside.xml).close();
    if (!root) throw Faults.malformedRequest(`The message is not a SOAP envelope: expected {${SOAP_ENV}}Envelope`);
    if (operation === undefined || !input) throw Faults.malformedRequest('The SOAP Body must hold exactly one operation element');
    return { operation, headers, input };
  }

  private complex(name: string, fields: FieldDef[], owner: string, field?: FieldDef, aliases?: Record<string, string>): Frame {
    const value: Record<string, unknown> = {};
    for (const f of fields) if (f.many) value[f.name] = [];
    const frame = new Frame(name);
    frame.field = field;
    frame.fields = fields;
    frame.owner = owner;
    frame.value = value;
    frame.aliases = aliases;
    return frame;
  }

  /** A frame without fields of its own: a simple value, or (with `nodes`) an element kept as XML. */
  private simpleFrame(name: string, field: FieldDef | undefined, nil: boolean, nodes?: XmlNode[], xsiType?: string): Frame {
    const frame = new Frame(name);
    frame.field = field;
    frame.nil = nil;
    frame.nodes = nodes;
    frame.xsiType = xsiType;
    return frame;
  }

  /** The frame of an element opened inside `parent`. */
  private child(parent: Frame, name: string, tag: SaxesTagPlain): Frame {
    if (parent.skip || parent.nil) return Frame.skipped(name);
    if (parent.nodes) return this.simpleFrame(name, undefined, attribute(tag, 'nil') === 'true', []);
    if (!parent.fields) throw Faults.malformedRequest(`Unexpected element {${METADATA_NS}}${name} during simple type deserialization`);
    const fieldName = parent.aliases?.[name] ?? name;
    const field = parent.fields.find((f) => f.name === fieldName);
    if (!field && parent.lenient) return Frame.skipped(name);
    if (!field) throw Faults.malformedRequest(`Unexpected element {${METADATA_NS}}${name} during simple type deserialization`);
    if (!field.many && Object.prototype.hasOwnProperty.call(parent.value, field.name)) {
      throw Faults.malformedRequest(`Element {${METADATA_NS}}${name} may occur only once in ${parent.owner}`);
    }
    const nil = attribute(tag, 'nil') === 'true';
    if (nil || !field.complex) return this.simpleFrame(name, field, nil);
    // xsi:type names a subtype (`Certificate` for `Metadata`); its prefix, if any, is the metadata namespace.
    const declared = attribute(tag, 'type')?.split(':').pop();
    // A metadata type our WSDL does not declare: kept as its XML, for the operation to read by the type's registry entry.
    if (declared && field.type === 'Metadata' && !this.schema.isComplex(declared)) return this.simpleFrame(name, field, nil, [], declared);
    if (declared && (!this.schema.isComplex(declared) || !this.schema.isSubtypeOf(declared, field.type))) {
      throw Faults.invalidType(`Unable to find type {${METADATA_NS}}${declared}, or it is not a kind of ${field.type}`);
    }
    const type = declared ?? field.type;
    const frame = this.complex(name, this.schema.fieldsOf(type), type, field);
    frame.xsiType = declared;
    return frame;
  }

  /** A closed element's value. */
  private finish(frame: Frame, zipFile?: DecodedPayload): unknown {
    if (frame.skip) return undefined;
    if (frame.nil) return null;
    if (frame.nodes) return frame.field ? genericRecord(frame) : frame;
    if (frame.value) {
      const text = frame.text.trim();
      if (text !== '') throw Faults.malformedRequest(`Unexpected text '${text.slice(0, 40)}' in element ${frame.owner}`);
      if (frame.xsiType) Object.defineProperty(frame.value, XSI_TYPE, { value: frame.xsiType, enumerable: false });
      return frame.value;
    }
    return this.simple(frame.text.trim(), frame.field!, zipFile);
  }

  private assign(parent: Frame, frame: Frame, value: unknown): void {
    if (frame.skip || parent.skip || parent.nil) return;
    if (parent.nodes) {
      // Inside a generic record: xsi:nil is how clients clear a field, so a nil field is left out.
      if (!frame.nil) parent.nodes.push(element(frame.name, nodesOf(frame)));
      return;
    }
    const field = frame.field!;
    if (field.many) { if (value !== null) (parent.value![field.name] as unknown[]).push(value); } else parent.value![field.name] = value;
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
          if (!zipFile.bytes) throw invalidValue(zipFile.head, 'base64Binary');
          return zipFile.bytes;
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

/** A generic element's children as ordered nodes: its child elements, or its (trimmed) text. */
function nodesOf(frame: Frame): XmlNode[] {
  if (frame.nodes!.length) return frame.nodes!;
  const text = frame.text.trim();
  return text === '' ? [] : [{ '#text': text } as unknown as XmlNode];
}

const textOfNode = (node: XmlNode | undefined, name: string): string | undefined => {
  if (!node) return undefined;
  const children = node[name] as XmlNode[];
  return children.map((c) => String(c['#text'] ?? '')).join('').trim();
};

/** A record of a type the WSDL does not declare: fullName and content as values, every field as XML. */
function genericRecord(frame: Frame): Record<string, unknown> {
  const body = frame.nodes!;
  const record: Record<string, unknown> = {};
  const fullName = textOfNode(body.find((n) => 'fullName' in n), 'fullName');
  const content = textOfNode(body.find((n) => 'content' in n), 'content');
  if (fullName !== undefined) record.fullName = fullName;
  if (content !== undefined) record.content = content;
  Object.defineProperty(record, XSI_TYPE, { value: frame.xsiType, enumerable: false });
  Object.defineProperty(record, XML_BODY, { value: body, enumerable: false });
  return record;
}
