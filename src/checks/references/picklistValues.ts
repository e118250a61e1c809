import { scanXml, type XmlElement } from '../../package/xmlScanner';

/**
 * Which of a record type's picklist values (`Object.Field.Value`, as referenceRules.ts names them) the
 * org's fields have after the deploy. A field whose values cannot be known (not found, or a value set this
 * check cannot read) has them all: a value is refused only when its field's own list lacks it.
 */
export interface PicklistSources {
  /** The XML of a custom field in the org after the deploy (its `<fields>` element), if there is one. */
  field(name: string): string | undefined;
  /** The XML of a global value set in the org after the deploy, if there is one. */
  globalValueSet(name: string): string | undefined;
}

/** Values compare as the org compares them once decoded (`Mx%2E` is `Mx.`), regardless of case. */
const normal = (value: string) => {
  try {
    return decodeURIComponent(value).toLowerCase();
  } catch {
    return value.toLowerCase();
  }
};

/**
 * The `fullName` of each `element` (`value`, `customValue`) in a field's or value set's XML, its entities decoded
 * (`Côte D&apos;Ivoire (CI)`, which a record type names `Côte D%27Ivoire %28CI%29`); undefined when the XML
 * cannot be read, so that nothing is refused against it.
 */
function valuesIn(xml: string, element: string): Set<string> | undefined {
  const values = new Set<string>();
  const walk = (el: XmlElement) => {
    for (const child of el.children) {
      if (child.local !== element) walk(child);
      else {
        const name = child.children.find((c) => c.local === 'fullName');
        if (name) values.add(normal(name.text.trim()));
      }
    }
  };
  try {
    walk(scanXml(xml));
  } catch {
    return undefined;
  }
  return values;
}

function valuesOf(fieldXml: string, sources: PicklistSources): Set<string> | undefined {
  const globalSet = /<valueSetName>([^<]+)<\/valueSetName>/.exec(fieldXml)?.[1]?.trim();
  if (globalSet) {
    const xml = sources.globalValueSet(globalSet);
    return xml ? valuesIn(xml, 'customValue') : undefined;
  }
  return /<valueSetDefinition>/.test(fieldXml) ? valuesIn(fieldXml, 'value') : undefined;
}

/** Of `names`, those the org has, in lower case (as OrgLookup answers). */
export function existingPicklistValues(names: string[], sources: PicklistSources): Set<string> {
  const known = new Map<string, Set<string> | undefined>();
  const existing = new Set<string>();
  for (const name of names) {
    const [object, field] = name.split('.');
    const value = name.slice(`${object}.${field}.`.length);
    const fieldName = `${object}.${field}`;
    if (!known.has(fieldName.toLowerCase())) {
      const xml = sources.field(fieldName);
      known.set(fieldName.toLowerCase(), xml ? valuesOf(xml, sources) : undefined);
    }
    const values = known.get(fieldName.toLowerCase());
    if (!values || values.has(normal(value))) existing.add(name.toLowerCase());
  }
  return existing;
}
