import { METADATA_NS, metadataSchema } from '../soap/wsdlSchema';
import { escapeXml } from '../soap/xmlWriter';

/**
 * A `-meta.xml` file as the real service writes it: XML declaration, the type's root in the
 * metadata namespace, one field per line in WSDL order with four-space indentation.
 */
export function writeMetadataXml(type: string, record: Record<string, unknown>, skip: string[] = ['fullName', 'content']): string {
  const lines = metadataSchema().fieldsOf(type)
    .filter((f) => !skip.includes(f.name) && record[f.name] !== undefined && record[f.name] !== null)
    .flatMap((f) => {
      const values = f.many ? (record[f.name] as unknown[]) : [record[f.name]];
      return values.map((v) => `    <${f.name}>${escapeXml(String(v))}</${f.name}>`);
    });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${METADATA_NS}">\n${lines.join('\n')}\n</${type}>\n`;
}
