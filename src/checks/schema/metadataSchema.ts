import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One element a metadata type may hold, as Salesforce's schema declares it. */
export interface SchemaField {
  name: string;
  /** `xsd:<builtin>`, or the name of a complex type or an enumeration of the schema. */
  type: string;
  many: boolean;
  optional: boolean;
  /** How its value is read: elements of a complex type, a value of an enumeration or a builtin, or any XML. */
  kind: 'complex' | 'enum' | 'simple' | 'opaque';
  /**
   * The API version that added it, when after the oldest schema kept (47.0). The version that removed a field is
   * derived too, but not read: real orgs still take a property the WSDL dropped (schemaCheck.ts).
   */
  since?: number;
}

type FieldFacts = [type: string, flags: string, since?: number, until?: number];
interface DerivedSchema {
  source: string;
  types: Record<string, { base?: string; fields: Record<string, FieldFacts> }>;
  enums: Record<string, string[]>;
}

/** Types whose value is any XML (a CustomMetadata value, a bundle's target configurations): not checked inside. */
const OPAQUE = new Set(['xsd:anyType', 'xsd:base64Binary']);

/** The oldest WSDL the history holds: a field it has may be older still, and one it lacks may have been removed before it. */
export const OLDEST_KNOWN_VERSION = 47;

/**
 * Salesforce's schema of every metadata type, as `npm run build` derives it from what Salesforce
 * publishes (scripts/derive-metadata-schema.js). Fields are resolved through each type's bases once,
 * on first use, and kept.
 */
export class MetadataSchema {
  private readonly resolved = new Map<string, Map<string, SchemaField>>();
  private readonly enums = new Map<string, Set<string>>();
  /** Each enumeration's values in lower case (isEnumValue). */
  private readonly enumsAnyCase = new Map<string, Set<string>>();

  private constructor(private readonly derived: DerivedSchema) {
    for (const [name, values] of Object.entries(derived.enums)) {
      this.enums.set(name, new Set(values));
      this.enumsAnyCase.set(name, new Set(values.map((v) => v.toLowerCase())));
    }
  }

  private static loaded?: MetadataSchema;

  /** The table lives in dist/, the same relative place from src/checks/schema (ts-jest) and dist/checks/schema (built). */
  static get(): MetadataSchema {
    if (!MetadataSchema.loaded) {
      const path = join(__dirname, '..', '..', '..', 'dist', 'metadata-schema.json');
      try {
        MetadataSchema.loaded = new MetadataSchema(JSON.parse(readFileSync(path, 'utf8')) as DerivedSchema);
      } catch (err) {
        throw new Error(`The metadata schema ${path} could not be read (${(err as Error).message}); run \`npm run build\` first.`);
      }
    }
    return MetadataSchema.loaded;
  }

  get source(): string {
    return this.derived.source;
  }

  hasType(type: string): boolean {
    return type in this.derived.types;
  }

  enumValues(type: string): Set<string> | undefined {
    return this.enums.get(type);
  }

  /**
   * Whether a value is one of an enumeration's, in any case: real orgs took trailheadapps/purealoe-lwc's flows
   * with `<status>ACTIVE</status>` (FlowVersionStatus has `Active`), pushed to scratch orgs by its CI for years.
   */
  isEnumValue(type: string, value: string): boolean {
    return !!this.enums.get(type)?.has(value) || !!this.enumsAnyCase.get(type)?.has(value.toLowerCase());
  }

  private kindOf(type: string): SchemaField['kind'] {
    if (OPAQUE.has(type)) return 'opaque';
    if (type.startsWith('xsd:')) return 'simple';
    return this.enums.has(type) ? 'enum' : 'complex';
  }

  /** The fields of a complex type, its bases' first. */
  fieldsOf(type: string): Map<string, SchemaField> {
    let fields = this.resolved.get(type);
    if (fields) return fields;
    fields = new Map();
    const def = this.derived.types[type];
    if (def?.base && def.base !== type) for (const [k, v] of this.fieldsOf(def.base)) fields.set(k, v);
    for (const [name, [fieldType, flags, since]] of Object.entries(def?.fields ?? {})) {
      fields.set(name, {
        name, type: fieldType, many: flags.includes('m'), optional: flags.includes('o'), kind: this.kindOf(fieldType),
        ...(since !== undefined && since > OLDEST_KNOWN_VERSION ? { since } : {}),
      });
    }
    this.resolved.set(type, fields);
    return fields;
  }
}
