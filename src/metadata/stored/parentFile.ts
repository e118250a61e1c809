import type { XmlElement } from '../../package/metadataXml';
import { childText, childrenOf, element, isElement, nodeName, parseXmlTree, rootOf, writeMetadataDocument, writeNodes, type XmlNode } from '../../package/xmlTree';
import { METADATA_NS } from '../../soap/wsdlSchema';
import { MetadataRegistry } from '../registry';
import type { ChildInput, MetadataTypeDefinition } from '../metadataType';

/** The fullName of a child held by `parent` (`Account` + `Email__c` → `Account.Email__c`; CustomLabel: its own name). */
export const childFullName = (child: MetadataTypeDefinition, parentName: string, id: string) =>
  child.parent!.child.ignoreParentName ? id : `${parentName}.${id}`;

/** The parent a child component belongs to (`Account.Email__c` → `Account`). */
export function parentNameOf(child: MetadataTypeDefinition, fullName: string): string {
  const parent = MetadataRegistry.get(child.parent!.xmlName)!.definition;
  return parent.fixedFullName ?? fullName.slice(0, fullName.indexOf('.'));
}

/**
 * Splits a parent file (`objects/Account.object`, `labels/CustomLabels.labels`) into the parent's own
 * part and one XML element per child component, as the real service stores children as components
 * of their own. Both are cut from the text at the offsets the reader found (`scanned` is the same
 * document's root), so nothing is parsed twice: a child is its element as written, and the parent's
 * own part is the file without its children's elements (with the blank space before each).
 */
export function splitParentFile(type: MetadataTypeDefinition, fullName: string, text: string, scanned: XmlElement):
  { own: string; children: ChildInput[] } | { problem: string; lineNumber: number; columnNumber: number } {
  const byElement = new Map(MetadataRegistry.childrenOf(type.xmlName).map((h) => [h.definition.parent!.child.element, h.definition]));
  const children: ChildInput[] = [];
  let own = '';
  let kept = 0;
  for (const el of scanned.children) {
    const child = byElement.get(el.local);
    if (!child) continue;
    const idElement = child.parent!.child.idElement;
    const id = el.children.find((c) => c.local === idElement && !c.children.length)?.text.trim();
    const position = { lineNumber: el.line, columnNumber: el.column };
    if (!id) return { problem: `Required field is missing: ${idElement} (in a ${el.local} element of ${type.xmlName} ${fullName})`, ...position };
    children.push({ type: child, fullName: childFullName(child, fullName, id), xml: text.slice(el.start, el.end), ...position });
    let cut = el.start;
    while (cut > kept && /\s/.test(text[cut - 1]!)) cut--;
    own += text.slice(kept, cut);
    kept = el.end;
  }
  return { own: own + text.slice(kept), children };
}

/**
 * Writes a parent file back: its own part (or an empty parent when only children were asked for),
 * then each group of children where the real service puts it, in element-name order among the
 * parent's elements, each group sorted by name.
 */
export function composeParentFile(type: MetadataTypeDefinition, own: Buffer | undefined, children: { fullName: string; xml: string }[]): string {
  const root = own ? rootOf(parseXmlTree(own.toString('utf8'))) : element(type.xmlName, [], { xmlns: METADATA_NS });
  const groups = new Map<string, XmlNode[]>();
  const sorted = [...children].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const c of sorted) {
    const node = rootOf(parseXmlTree(c.xml));
    const list = groups.get(nodeName(node)) ?? [];
    list.push(node);
    groups.set(nodeName(node), list);
  }
  const pending = [...groups.keys()].sort();
  const body: XmlNode[] = [];
  for (const node of childrenOf(root)) {
    while (isElement(node) && pending.length && pending[0]! < nodeName(node)) body.push(...groups.get(pending.shift()!)!);
    body.push(node);
  }
  for (const name of pending) body.push(...groups.get(name)!);
  return writeMetadataDocument(nodeName(root), body, root[':@'] ?? { xmlns: METADATA_NS });
}
