import { unzipSync } from 'fflate';
import { referenceCollector, type Reference } from '../../checks/references/referenceCheck';
import { schemaChecker, type SchemaChecker } from '../../checks/schema/schemaCheck';
import { readMetadataRoot, TOOLING_METADATA_NS, type XmlElement } from '../../package/metadataXml';
import { childrenOf, element, parseXmlTree, rootOf, writeMetadataDocument, writeNodes, type XmlNode } from '../../package/xmlTree';
import { METADATA_NS } from '../../soap/wsdlSchema';
import { XML_BODY, XSI_TYPE } from '../../soap/xmlWriter';
import type { StoredComponent } from '../../store/components';
import { isBundleMeta, META, pathOf } from '../layout/componentPaths';
import type {
  ComponentInput, ComponentProblem, FileProblem, LocatedComponent, MetadataTypeDefinition, MetadataTypeHandler, PlanResult, ReadOptions,
} from '../metadataType';
import { validateComponentName } from './nameRules';
import { parentFileSplitter } from './parentFile';

const NAMESPACES = [METADATA_NS, TOOLING_METADATA_NS];
/**
 * A web component's meta file is read in whatever namespace its root declares: Salesforce's own
 * base-components-recipes and commerce-on-lightning-components declare `xmlns="xmlns=http://soap.sforce.com/…"`
 * in every bundle and deploy to scratch orgs as their READMEs say (docs/deploy-checks.md, Doubts).
 */
const ANY_NAMESPACE = null;
/**
 * Bundles that cannot deploy without their own meta file. Not Aura's: the Metadata API guide lays an Aura bundle
 * out without one (its apiVersion and description are optional), and Salesforce's own ANT samples ship so.
 */
const BUNDLE_META_REQUIRED = new Set(['LightningComponentBundle']);

/** The schema types a type's XML is read as (`settings/Account.settings` is an `<AccountSettings>`), the first by default. */
function rootsOf(type: MetadataTypeDefinition, fullName: string): string[] {
  if (type.xmlName === 'Settings') return [`${fullName}Settings`];
  if (type.storedAs === 'EmailFolder') return ['EmailFolder', 'EmailTemplateFolder'];
  return [type.xmlName];
}

export const missingFile = (type: MetadataTypeDefinition, fullName: string, what: 'meta' | 'content', path: string) =>
  what === 'meta'
    ? `${type.xmlName} ${fullName}: the meta file ${path} is missing from the package`
    : `${type.xmlName} ${fullName}: the content file ${path} is missing from the package`;

const sameFiles = (a: Map<string, Buffer>, b: Map<string, Buffer>) =>
  a.size === b.size && [...a].every(([path, bytes]) => sameContent(bytes, b.get(path)));

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/**
 * Two versions of a file hold the same content. A zip (a static resource made from a folder) is
 * zipped anew, with new timestamps, at every deploy: its entries are compared, not its bytes.
 */
function sameContent(a: Buffer, b: Buffer | undefined): boolean {
  if (!b) return false;
  if (a.equals(b)) return true;
  if (!a.subarray(0, 4).equals(ZIP_MAGIC) || !b.subarray(0, 4).equals(ZIP_MAGIC)) return false;
  try {
    const [x, y] = [unzipSync(a), unzipSync(b)];
    const names = Object.keys(x).filter((n) => !n.endsWith('/'));
    return names.length === Object.keys(y).filter((n) => !n.endsWith('/')).length
      && names.every((n) => y[n] !== undefined && Buffer.from(x[n]!).equals(Buffer.from(y[n]!)));
  } catch {
    return false;
  }
}

/**
 * The handler of every type without rules of its own: its files are checked as the real service's
 * parser would (place, suffix, well-formed XML in the metadata namespace, files present, name, and with
 * the deploy's checks the type's schema), then stored as they came and returned as they were. Parent
 * files are split into their children.
 */
export function storedTypeHandler(definition: MetadataTypeDefinition): MetadataTypeHandler<null> {
  /**
   * A metadata file read in one pass: well formed, its root in the metadata namespace, and, when the
   * deploy checks it, as the schema has it, with the references it makes; a parent file is cut into its
   * children (`split`). Each child of the root goes through all of that as the reader reaches its end,
   * and is then let go. The type comes from the file's folder and suffix, not its root element: real
   * orgs read `<FeatureParameterBoolean>` in a .featureParameterInteger file as a FeatureParameterInteger.
   */
  const readXml = (path: string, text: string, fullName: string, options: ReadOptions | undefined, split = false, namespaces: string[] | null = NAMESPACES) => {
    const roots = rootsOf(definition, fullName);
    let schema: SchemaChecker | undefined | null = null; // made for the root's type once the root is read
    const schemaOf = (root: XmlElement) => (schema === null
      ? (schema = options?.checks.has('schema') ? schemaChecker(roots.includes(root.local) ? root.local : roots[0]!, options) : undefined)
      : schema);
    const references = options?.checks.has('references') ? referenceCollector(definition, fullName, options.sharedReferences) : undefined;
    const splitter = split ? parentFileSplitter(definition, fullName, text) : undefined;
    const read = readMetadataRoot(text, roots, namespaces, true, (child, root) => {
      schemaOf(root)?.child(child, root);
      references?.child(child);
      splitter?.child(child);
    });
    if (!read.ok) return { fileName: path, ...read.error };
    const problem = schemaOf(read.root)?.end(read.root);
    if (problem) return { fileName: path, ...problem };
    const parts = splitter?.end();
    if (parts && 'problem' in parts) return { fileName: path, ...parts };
    return { references: references?.end(read.root) ?? [], parts };
  };
  /** The input, with the references its file makes. */
  const withReferences = (input: ComponentInput, references: Reference[]): ComponentInput => (references.length ? { ...input, references } : input);
  const checkXml = (path: string, bytes: Buffer, fullName: string, options: ReadOptions | undefined, input: ComponentInput, namespaces: string[] | null = NAMESPACES): ComponentInput | FileProblem => {
    const read = readXml(path, bytes.toString('utf8'), fullName, options, false, namespaces);
    return 'problem' in read ? read : withReferences(input, read.references);
  };

  function read(c: LocatedComponent, options?: ReadOptions): ComponentInput | FileProblem {
    const input: ComponentInput = { fullName: c.fullName, fields: {}, content: null, files: c.files };
    const paths = [...c.files.keys()];
    switch (definition.layout) {
      case 'xml': {
        const bytes = c.files.get(c.mainPath)!;
        const text = bytes.toString('utf8');
        const read = readXml(c.mainPath, text, c.fullName, options, definition.children.length > 0);
        if ('problem' in read) return read;
        if (!read.parts) return withReferences(input, read.references);
        return withReferences({ ...input, files: new Map([[c.mainPath, Buffer.from(read.parts.own)]]), children: read.parts.children }, read.references);
      }
      case 'contentFile':
      case 'document': {
        const meta = paths.find((p) => p.endsWith(META));
        const content = paths.find((p) => !p.endsWith(META));
        if (!meta) return { fileName: c.mainPath, problem: missingFile(definition, c.fullName, 'meta', `${content}${META}`) };
        if (!content) return { fileName: meta, problem: missingFile(definition, c.fullName, 'content', meta.slice(0, -META.length)) };
        return checkXml(meta, c.files.get(meta)!, c.fullName, options, input);
      }
      case 'folder':
        return checkXml(c.mainPath, c.files.get(c.mainPath)!, c.fullName, options, input);
      case 'bundle':
      case 'digitalExperience': {
        const depth = definition.layout === 'bundle' ? 1 : 2;
        const atTop = paths.filter((p) => { const rest = p.split('/').slice(depth); return rest.length === 2 && rest[1]!.endsWith(META); });
        const named = atTop.filter((p) => isBundleMeta(p.split('/').slice(depth)));
        // A meta file at the bundle's top under another name is taken as its own: SalesforceLabs/Data-Fetcher's
        // `dataFecherCPEComboboxUtils.js-meta.xml` (a letter short) has been in its package versions' builds since 2024.
        const metas = named.length ? named : atTop;
        if (!metas.length && BUNDLE_META_REQUIRED.has(definition.xmlName)) {
          return { fileName: c.mainPath, problem: missingFile(definition, c.fullName, 'meta', `${definition.directoryName}/${c.fullName}/${c.fullName}.js${META}`) };
        }
        for (const m of metas) {
          const lwc = definition.xmlName === 'LightningComponentBundle';
          const read = m.endsWith(`.js${META}`) || !lwc ? checkXml(m, c.files.get(m)!, c.fullName, options, input, lwc ? ANY_NAMESPACE : NAMESPACES) : input;
          if ('problem' in read) return read;
        }
        return input;
      }
      case 'experienceBundle': {
        const meta = `${definition.directoryName}/${c.fullName}.site${META}`;
        if (!c.files.has(meta)) return { fileName: c.mainPath, problem: missingFile(definition, c.fullName, 'meta', meta) };
        return checkXml(meta, c.files.get(meta)!, c.fullName, options, input);
      }
    }
  }

  return {
    definition,
    validateName: (fullName) => validateComponentName(definition, fullName),
    read,

    fromRecord(fullName, record): ComponentInput | ComponentProblem {
      const body = ((record as { [XML_BODY]?: XmlNode[] })[XML_BODY] ?? []).filter((n) => !('fullName' in n) && !('content' in n));
      const content = typeof record.content === 'string' ? Buffer.from(record.content, 'base64') : undefined;
      if (definition.parent) {
        // A child record is its element in the parent file, named by its own part of the fullName.
        const { element: name, idElement } = definition.parent.child;
        const id = definition.parent.child.ignoreParentName ? fullName : fullName.slice(fullName.indexOf('.') + 1);
        if (!definition.parent.child.ignoreParentName && !fullName.includes('.')) {
          return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', problem: `The ${definition.xmlName} name '${fullName}' must be Parent.Name`, field: 'fullName' };
        }
        const idNode = element(idElement, [{ '#text': id } as unknown as XmlNode]);
        const xml = writeNodes([element(name, [idNode, ...body.filter((n) => !(idElement in n))])]);
        return { fullName, fields: {}, content: Buffer.from(xml), files: new Map() };
      }
      const xml = Buffer.from(writeMetadataDocument(rootsOf(definition, fullName)[0]!, body));
      const files = new Map<string, Buffer>();
      if (definition.layout === 'xml' || definition.layout === 'folder') files.set(pathOf(definition, fullName), xml);
      else if (definition.layout === 'contentFile') {
        files.set(pathOf(definition, fullName), content ?? Buffer.alloc(0));
        files.set(pathOf(definition, fullName, true), xml);
      } else {
        return { statusCode: 'INVALID_TYPE', problem: `${definition.xmlName} components are made of several files: deploy them in a package rather than with a CRUD call` };
      }
      const input = read({ type: definition, fullName, files, mainPath: pathOf(definition, fullName) });
      return 'problem' in input ? { statusCode: 'FIELD_INTEGRITY_EXCEPTION', problem: input.problem } : input;
    },

    plan(input, existing): PlanResult<null> {
      const changed = !existing || (definition.parent
        ? existing.content?.toString('utf8') !== input.content?.toString('utf8')
        : !sameFiles(input.files, existing.files ?? new Map()));
      return { ok: true, plan: null, created: !existing, changed };
    },

    async apply(_plan, input) {
      return { fields: {}, content: definition.parent ? input.content : null, files: definition.parent ? new Map() : input.files };
    },

    files: (component) => component.files ?? new Map(),

    record(component: StoredComponent): Record<string, unknown> {
      const files = component.files ?? new Map<string, Buffer>();
      const body: XmlNode[] = [element('fullName', [{ '#text': component.fullName } as unknown as XmlNode])];
      if (definition.layout === 'contentFile') {
        const content = files.get(pathOf(definition, component.fullName));
        if (content) body.push(element('content', [{ '#text': content.toString('base64') } as unknown as XmlNode]));
      }
      const xml = definition.parent ? component.content : files.get(pathOf(definition, component.fullName, definition.layout === 'contentFile'));
      // A child's stored XML is its element in the parent file; anyone else's, its own file: either way, the fields are its children.
      if (xml) body.push(...childrenOf(rootOf(parseXmlTree(xml.toString('utf8')))).filter((n) => !('fullName' in n)));
      const record: Record<string, unknown> = {};
      Object.defineProperty(record, XSI_TYPE, { value: definition.xmlName, enumerable: false });
      Object.defineProperty(record, XML_BODY, { value: body, enumerable: false });
      return record;
    },
  };
}
