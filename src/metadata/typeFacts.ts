import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a type's component sits in a metadata-format zip (paths relative to the package folder):
 * - `xml`: one XML file `dir/Name.suffix` (in folders: `dir/Folder/Name.suffix`), possibly a parent
 *   whose file holds child components;
 * - `contentFile`: a content file and its meta file, `dir/Name.suffix` + `dir/Name.suffix-meta.xml`
 *   (Apex, Visualforce, static resources, email templates…);
 * - `document`: `documents/Folder/Name.<any extension>` + the same with `-meta.xml`;
 * - `bundle`: a directory `dir/Name/…` of any files (LWC, Aura, wave templates…);
 * - `experienceBundle`: a directory `dir/Name/…` and its meta file `dir/Name.site-meta.xml`;
 * - `digitalExperience`: a directory `dir/<kind>/<Name>/…`, named `kind/Name`;
 * - `folder`: a folder of an in-folder type, `dir/Folder-meta.xml` (nested: `dir/A/B-meta.xml`).
 */
export type TypeLayout = 'xml' | 'contentFile' | 'document' | 'bundle' | 'experienceBundle' | 'digitalExperience' | 'folder';

/** A child type whose components are elements of the parent's file (CustomField in `objects/X.object`). */
export interface ChildTypeFacts {
  name: string;
  /** The element of the parent file that holds one child (`fields`, `labels`, `rules`). */
  element: string;
  /** The child element that names it (`fullName`, usually). */
  idElement: string;
  /** Whether the child's fullName is its own name alone (CustomLabel), not `Parent.Child`. */
  ignoreParentName?: boolean;
}

export interface TypeFacts {
  name: string;
  directoryName: string;
  suffix?: string;
  layout: TypeLayout;
  /** Components live in folders (Report, Dashboard, Document, EmailTemplate). */
  inFolder?: boolean;
  /** For an in-folder type, the type of its folders. */
  folderType?: string;
  /** For a folder type, the type of what it holds. */
  folderContentType?: string;
  /** Another name for the same kind of component (EmailTemplateFolder is EmailFolder). */
  aliasFor?: string;
  /** A type with one component whose fullName never changes (CustomLabels). */
  fixedFullName?: string;
  /**
   * The type whose component's folder holds this type's files (Territory2Model): its own component
   * `territory2Models/M/M.territory2Model`, the others `territory2Models/M/territories/T.territory2`, named `M.T`.
   */
  within?: string;
  children: ChildTypeFacts[];
  /**
   * Types whose components are pieces of this type's component, files inside its directory
   * (DigitalExperience `site/S.sfdc_cms__view/home` in the DigitalExperienceBundle `site/S`).
   */
  parts?: string[];
}

interface DerivedTable {
  source: string;
  types: TypeFacts[];
}

/**
 * The table `npm run build` derives from source-deploy-retrieve's registry (scripts/derive-metadata-types.js).
 * It lives in dist/, which is the same relative place from src/metadata (ts-jest) and dist/metadata (built).
 */
export function loadTypeFacts(): DerivedTable {
  const path = join(__dirname, '..', '..', 'dist', 'metadata-types.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DerivedTable;
  } catch (err) {
    throw new Error(`The metadata type table ${path} could not be read (${(err as Error).message}); run \`npm run build\` first.`);
  }
}
