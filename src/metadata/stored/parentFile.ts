import type { XmlElement } from '../../package/metadataXml';
import { childText, childrenOf, element, isElement, nodeName, parseXmlTree, rootOf, writeMetadataDocument, isBlankText, writeNodes, type XmlNode } from '../../package/xmlTree';
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

type SplitProblem = { problem: string; lineNumber: number; columnNumber: number };

/** Splits a parent file one child of its root at a time, as the reader passes them on. */
export interface ParentFileSplitter {
  child(el: XmlElement): void;
  end(): { own: string; children: ChildInput[] } | SplitProblem;
}

/**
 * Splits a parent file (`objects/Account.object`, `labels/CustomLabels.labels`) into the parent's own
 * part and one XML element per child component, as the real service stores children as components
 * of their own. Both are cut from the text at the offsets the reader found, so nothing is parsed twice:
 * a child is its element as written, and the parent's own part is the file without its children's
 * elements (with the blank space before each).
 */
export function parentFileSplitter(type: MetadataTypeDefinition, fullName: string, text: string): ParentFileSplitter {
  const byElement = new Map(MetadataRegistry.childrenOf(type.xmlName).map((h) => [h.definition.parent!.child.element, h.definition]));
  const children: ChildInput[] = [];
  let problem: SplitProblem | undefined;
  let own = '';
  let kept = 0;
  return {
    child(el) {
      const child = byElement.get(el.local);
      if (!child || problem) return;
      const idElement = child.parent!.child.idElement;
      const id = el.children.find((c) => c.local === idElement && !c.children.length)?.text.trim();
      const position = { lineNumber: el.line, columnNumber: el.column };
      if (!id) {
        problem = { problem: `Required field is missing: ${idElement} (in a ${el.local} element of ${type.xmlName} ${fullName})`, ...position };
        return;
      }
      children.push({ type: child, fullName: childFullName(child, fullName, id), xml: text.slice(el.start, el.end), ...position });
      let cut = el.start;
      while (cut > kept && /\s/.test(text[cut - 1]!)) cut--;
      own += text.slice(kept, cut);
      kept = el.end;
    },
    end: () => problem ?? { own: own + text.slice(kept), children },
  };
}

/** The same over a whole tree (`scanned` is the same document's root). */
export function splitParentFile(type: MetadataTypeDefinition, fullName: string, text: string, scanned: XmlElement):
  { own: string; children: ChildInput[] } | SplitProblem {
  const splitter = parentFileSplitter(type, fullName, text);
  for (const el of scanned.children) splitter.child(el);
  return splitter.end();
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
    // The blank text left where the children were cut out (a root that only held children) is no content.
    if (isBlankText(node)) continue;
    while (isElement(node) && pending.length && pending[0]! < nodeName(node)) body.push(...groups.get(pending.shift()!)!);
    body.push(node);
  }
  for (const name of pending) body.push(...groups.get(name)!);
  return writeMetadataDocument(nodeName(root), body, root[':@'] ?? { xmlns: METADATA_NS });
}
