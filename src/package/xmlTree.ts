import { XMLParser } from 'fast-xml-parser';
import { METADATA_NS } from '../soap/wsdlSchema';

/**
 * A metadata XML document as an ordered tree (fast-xml-parser's preserveOrder form): what parent
 * files are split into and recomposed from, and what CRUD records are written as. Order, attributes,
 * comments and CDATA are kept; whitespace between elements is not, as the real service does not keep it.
 */
export type XmlNode = { [name: string]: XmlNode[] | string } & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  // htmlEntities decodes character references (&#233;); metadataXml.ts has already refused any
  // entity but the five predefined ones, so no HTML name can reach it. With no DOCTYPE, nothing expands
  // beyond its own length: the parser's limits on expansions (1,000 by default) only refused big real
  // files full of &amp; and &lt; (a profile or a flow of NPSP).
  trimValues: false, processEntities: { enabled: true, maxTotalExpansions: Infinity, maxExpandedLength: Infinity }, htmlEntities: true, commentPropName: '#comment', cdataPropName: '#cdata', ignoreDeclaration: true,
  ignorePiTags: true,
});

const TEXT = '#text';

/** The element name of a node (`#text`, `#comment` and `#cdata` for the others). */
export const nodeName = (node: XmlNode): string => Object.keys(node).find((k) => k !== ':@')!;

export const isElement = (node: XmlNode): boolean => !nodeName(node).startsWith('#');

/** Parses a document already known to be well formed (see metadataXml.ts), without whitespace-only text between elements. */
export function parseXmlTree(text: string): XmlNode[] {
  return tidy(parser.parse(text) as XmlNode[]);
}

function tidy(nodes: XmlNode[]): XmlNode[] {
  const hasElements = nodes.some(isElement);
  const out: XmlNode[] = [];
  for (const node of nodes) {
    const name = nodeName(node);
    if (hasElements && isBlankText(node)) continue;
    const value = node[name];
    out.push(Array.isArray(value) && name !== '#comment' && name !== '#cdata' ? { ...node, [name]: tidy(value) } : node);
  }
  return out;
}

/** A text node of white space only. */
export const isBlankText = (node: XmlNode): boolean => nodeName(node) === TEXT && String(node[TEXT]).trim() === '';

/** The document's root element. */
export const rootOf = (nodes: XmlNode[]): XmlNode => nodes.find(isElement)!;

/** The child nodes of an element. */
export const childrenOf = (node: XmlNode): XmlNode[] => node[nodeName(node)] as XmlNode[];

/** The text of a simple element (`<fullName>X</fullName>` → `X`), or undefined. */
export function textOf(node: XmlNode): string | undefined {
  const children = childrenOf(node);
  if (children.some(isElement)) return undefined;
  return children.map((c) => (nodeName(c) === '#cdata' ? textOfCdata(c) : String(c[TEXT] ?? ''))).join('');
}

const textOfCdata = (c: XmlNode) => (c['#cdata'] as XmlNode[]).map((t) => String(t[TEXT] ?? '')).join('');

/** The text of the first child element named `name`. */
export function childText(node: XmlNode, name: string): string | undefined {
  const child = childrenOf(node).find((c) => nodeName(c) === name);
  return child && textOf(child);
}

export const element = (name: string, children: XmlNode[], attributes?: Record<string, string>): XmlNode =>
  (attributes ? { [name]: children, ':@': attributes } : { [name]: children }) as XmlNode;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Writes nodes as the real service writes metadata XML: four-space indent, one element a line (or all on one line). */
export function writeNodes(nodes: XmlNode[], depth = 0, pretty = true): string {
  const indent = pretty ? '    '.repeat(depth) : '';
  const eol = pretty ? '\n' : '';
  let out = '';
  for (const node of nodes) {
    const name = nodeName(node);
    if (name === TEXT) out += `${indent}${escapeText(String(node[TEXT]))}${eol}`;
    else if (name === '#cdata') out += `${indent}<![CDATA[${textOfCdata(node)}]]>${eol}`;
    else if (name === '#comment') out += `${indent}<!--${(node[name] as XmlNode[]).map((t) => t[TEXT]).join('')}-->${eol}`;
    else out += `${indent}${writeElement(node, depth, pretty)}${eol}`;
  }
  return out;
}

function writeElement(node: XmlNode, depth: number, pretty: boolean): string {
  const name = nodeName(node);
  const attributes = Object.entries(node[':@'] ?? {}).map(([k, v]) => ` ${k}="${escapeText(v)}"`).join('');
  const children = childrenOf(node);
  if (children.length === 0) return `<${name}${attributes}/>`;
  // Text content (with any comments among it) stays on one line, exactly as it was.
  if (!children.some(isElement)) return `<${name}${attributes}>${writeNodes(children, 0, false)}</${name}>`;
  const close = pretty ? '    '.repeat(depth) : '';
  return `<${name}${attributes}>${pretty ? '\n' : ''}${writeNodes(children, depth + 1, pretty)}${close}</${name}>`;
}

/** A whole metadata file: the declaration, then `<root xmlns=…>` holding `body`. */
export function writeMetadataDocument(root: string, body: XmlNode[], attributes: Record<string, string> = { xmlns: METADATA_NS }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeNodes([element(root, body, attributes)])}`;
}

/** Nodes on one line, as they go inside a SOAP message. */
export const writeCompact = (nodes: XmlNode[]): string => writeNodes(nodes, 0, false);
