import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/** One element of an xsd:sequence. */
export interface FieldDef {
  name: string;
  /** Local type name: `string`, `boolean`… when `builtin`, else a type declared in the WSDL. */
  type: string;
  builtin: boolean;
  /** Of a complex type the WSDL declares (an element with children); false for builtins and enumerations. */
  complex: boolean;
  optional: boolean;
  many: boolean;
  nillable: boolean;
}

interface ComplexTypeDef {
  name: string;
  base?: string;
  fields: FieldDef[];
}

type XmlNode = Record<string, unknown>;

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The model of wsdl/metadata.wsdl that the codec works from: field order and types of every
 * complex type and top-level element, and the values of every enumeration. The WSDL is the single
 * source of truth for what goes on the wire; nothing here repeats a field list.
 */
export class WsdlSchema {
  private readonly complexTypes = new Map<string, ComplexTypeDef>();
  private readonly enums = new Map<string, string[]>();
  private readonly elements = new Map<string, FieldDef[]>();
  private readonly allFieldsCache = new Map<string, FieldDef[]>();
  readonly operations: string[] = [];

  constructor(readonly text: string) {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      removeNSPrefix: true,
      isArray: (name) => ['complexType', 'simpleType', 'element', 'enumeration', 'operation', 'message'].includes(name),
    });
    const defs = (parser.parse(text) as XmlNode).definitions as XmlNode;
    const schema = (defs.types as XmlNode).schema as XmlNode;
    for (const ct of asArray(schema.complexType as XmlNode[])) {
      this.complexTypes.set(ct.name as string, this.readComplexType(ct));
    }
    for (const st of asArray(schema.simpleType as XmlNode[])) {
      const restriction = st.restriction as XmlNode;
      this.enums.set(st.name as string, asArray(restriction.enumeration as XmlNode[]).map((e) => e.value as string));
    }
    for (const el of asArray(schema.element as XmlNode[])) {
      this.elements.set(el.name as string, this.readComplexType(el.complexType ? (el.complexType as XmlNode[])[0]! : {}).fields);
    }
    // Known only once every type is read: the reader and writer ask it of every value.
    for (const fields of [...[...this.complexTypes.values()].map((t) => t.fields), ...this.elements.values()]) {
      for (const f of fields) f.complex = !f.builtin && this.complexTypes.has(f.type);
    }
    const portType = defs.portType as XmlNode;
    for (const op of asArray(portType.operation as XmlNode[])) this.operations.push(op.name as string);
  }

  static load(): WsdlSchema {
    return new WsdlSchema(readFileSync(wsdlPath(), 'utf8'));
  }

  private readComplexType(ct: XmlNode): ComplexTypeDef {
    const extension = (ct.complexContent as XmlNode | undefined)?.extension as XmlNode | undefined;
    const sequence = ((extension ?? ct).sequence ?? {}) as XmlNode;
    const fields = asArray(sequence.element as XmlNode[]).map((e): FieldDef => {
      const [prefix, local] = (e.type as string).split(':') as [string, string];
      return {
        name: e.name as string,
        type: local,
        builtin: prefix === 'xsd',
        complex: false,
        optional: e.minOccurs === '0',
        many: e.maxOccurs === 'unbounded',
        nillable: e.nillable === 'true',
      };
    });
    return { name: ct.name as string, base: extension ? (extension.base as string).split(':')[1] : undefined, fields };
  }

  isComplex(type: string): boolean {
    return this.complexTypes.has(type);
  }

  enumValues(type: string): string[] | undefined {
    return this.enums.get(type);
  }

  /** Fields of a complex type in wire order: the base type's first, as xsd:extension defines. */
  fieldsOf(type: string): FieldDef[] {
    const cached = this.allFieldsCache.get(type);
    if (cached) return cached;
    const def = this.complexTypes.get(type);
    if (!def) throw new Error(`Type ${type} is not declared in metadata.wsdl`);
    const fields = [...(def.base ? this.fieldsOf(def.base) : []), ...def.fields];
    this.allFieldsCache.set(type, fields);
    return fields;
  }

  /** Children of a top-level element such as `deploy`, `deployResponse` or `SessionHeader`. */
  elementFields(element: string): FieldDef[] | undefined {
    return this.elements.get(element);
  }

  isSubtypeOf(type: string, base: string): boolean {
    for (let t: string | undefined = type; t; t = this.complexTypes.get(t)?.base) if (t === base) return true;
    return false;
  }

  /** The WSDL as served to a client, with the service address of this server and version. */
  withLocation(url: string): string {
    return this.text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${url}$2`);
  }
}

export function wsdlPath(): string {
  // Same relative place from src/soap (ts-jest) and dist/soap (built).
  return join(__dirname, '..', '..', 'wsdl', 'metadata.wsdl');
}

let shared: WsdlSchema | undefined;
export function metadataSchema(): WsdlSchema {
  return (shared ??= WsdlSchema.load());
}
