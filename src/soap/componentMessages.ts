import type { DeployDetails } from '../model/resultTypes';
import { metadataSchema } from './wsdlSchema';
import { StringSink, WrittenXml, XmlWriter } from './xmlWriter';

const LISTS = ['componentFailures', 'componentSuccesses'];

let writer: XmlWriter | undefined;

/**
 * The XML of a deploy's per-component lists, componentFailures then componentSuccesses, as a SOAP
 * answer writes them inside `details`: written once when the deploy ends and kept by the store, so
 * that a poll with details sends them as they are.
 */
export function writeComponentMessages(details: DeployDetails): Buffer {
  const schema = metadataSchema();
  const fields = schema.fieldsOf('DeployDetails');
  // The two lists open DeployDetails, one after the other: their XML stands in the place of both.
  if (fields[0]?.name !== LISTS[0] || fields[1]?.name !== LISTS[1]) throw new Error('DeployDetails no longer opens with its component lists');
  writer ??= new XmlWriter(schema);
  const sink = new StringSink();
  for (const field of fields.slice(0, 2)) writer.write(sink, field.name, details[field.name as keyof DeployDetails], field);
  return Buffer.from(sink.text, 'utf8');
}

/** Details whose lists are XML already written (writeComponentMessages), for the SOAP writer. */
export function withWrittenMessages(details: DeployDetails, xml: Buffer): Record<string, unknown> {
  return { ...details, componentFailures: new WrittenXml(xml), componentSuccesses: [] };
}
