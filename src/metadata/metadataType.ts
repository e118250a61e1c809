import type { DeployChecks } from '../checks/deployChecks';
import type { Reference, SharedReferences } from '../checks/references/referenceCheck';
import type { RsaKeyPair } from '../crypto';
import type { Org, User } from '../store/orgs';
import type { StoredComponent } from '../store/components';
import type { ChildTypeFacts, TypeLayout } from './typeFacts';
import type { OAuthClientSpec } from './connectedApp/oauthConfig';

/** What describeMetadata, the zip layout and the store say of a type: the registry's facts and ours. */
export interface MetadataTypeDefinition {
  xmlName: string;
  directoryName: string;
  suffix?: string;
  layout: TypeLayout;
  /** Whether its components carry a `-meta.xml` beside their content (describeMetadata's metaFile). */
  metaFile: boolean;
  inFolder: boolean;
  folderType?: string;
  folderContentType?: string;
  /** The type a folder type stores its components as (EmailTemplateFolder is stored as EmailFolder). */
  storedAs: string;
  fixedFullName?: string;
  /** See TypeFacts.within. */
  within?: { xmlName: string; directoryName: string };
  children: ChildTypeFacts[];
  /** For a child type (CustomField): its parent type, and how the parent's file holds it. */
  parent?: { xmlName: string; child: ChildTypeFacts };
  /** For a piece of another type's component (DigitalExperience): that type. Its members name the whole component up to the first dot. */
  partOf?: string;
  /** Key prefix of the ids of its components. */
  idPrefix: string;
  /** The first API version that knows the type. */
  minApiVersion: number;
}

/** How a deploy reads a component's files: at the package's API version, with the deploy's checks. */
export interface ReadOptions {
  apiVersion: number;
  checks: DeployChecks;
  /** The deploy's references that many files make alike, kept once (src/checks/references/referenceCheck.ts). */
  sharedReferences?: SharedReferences;
}

/** A component's files as found in a deploy package; paths are relative to the package folder. */
export interface LocatedComponent {
  type: MetadataTypeDefinition;
  fullName: string;
  files: Map<string, Buffer>;
  /** The file deploy messages name: the content file, the only file, or a bundle's meta file. */
  mainPath: string;
}

/** A child component read from its parent's file: the element that holds it, as XML. */
export interface ChildInput {
  type: MetadataTypeDefinition;
  fullName: string;
  xml: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** A component as it arrives, from a package's files or a CRUD call. */
export interface ComponentInput {
  fullName: string;
  /** Typed fields, for types whose meta file is read against the WSDL (Certificate). */
  fields: Record<string, unknown>;
  /** The content file of such types; for a child component, its element's XML. */
  content: Buffer | null;
  /** The component's own files as stored and retrieved (paths relative to the package folder). */
  files: Map<string, Buffer>;
  /** For a parent file: the child components it holds (its own part is in `files`). */
  children?: ChildInput[];
  /** Where each top-level field of the meta file stands, for rule errors. */
  fieldsAt?: Record<string, { lineNumber: number; columnNumber: number }>;
  rootAt?: { lineNumber: number; columnNumber: number };
  metaPath?: string;
  /** The components its files name, when the deploy checks references (src/checks/references). */
  references?: Reference[];
}

/** A file that cannot be read, with the position of the problem when known. */
export interface FileProblem {
  problem: string;
  /** Relative to the package folder. */
  fileName: string;
  lineNumber?: number;
  columnNumber?: number;
}

export interface PlanContext {
  org: Org;
  now: Date;
  /** The stored private key of an existing component; only the type's own rules ever see it. */
  privateKeyOf(component: StoredComponent): string | undefined;
}

/** A refusal, in the words a deploy message or a CRUD Error carries. */
export interface ComponentProblem {
  problem: string;
  statusCode: string;
  /** The field at fault, when there is one (CRUD Error.fields, deploy line/column). */
  field?: string;
}

export type PlanResult<P> =
  | { ok: true; plan: P; created: boolean; changed: boolean; warning?: string }
  | ({ ok: false } & ComponentProblem);

export interface KeySource {
  /** A fresh RSA key pair of `bits`, from the pool when one is ready. */
  take(bits: number): Promise<RsaKeyPair>;
}

export interface ApplyContext {
  org: Org;
  user: User;
  now: Date;
  keys: KeySource;
}

/** What applying a plan writes: the component, and a private key when a new one was made. */
export interface ComponentWrite {
  fields: Record<string, unknown>;
  content: Buffer | null;
  files: Map<string, Buffer>;
  privateKeyPem?: string;
  /** A ConnectedApp's OAuth client (null: it has no oauthConfig), registered when the write is committed. */
  oauthClient?: OAuthClientSpec | null;
}

/**
 * The behaviour of a metadata type. Every type has one: most are stored faithfully
 * (stored/storedType.ts); deep types (Certificate) add rules of their own. Planning is pure and
 * synchronous; applying may do slow work (keys, signatures) but no I/O on the store: the engine commits.
 */
export interface MetadataTypeHandler<P = unknown> {
  definition: MetadataTypeDefinition;
  validateName(fullName: string): string | undefined;
  /** Reads a located component's files as the real service's parser would (without options: well-formed XML only). */
  read(component: LocatedComponent, options?: ReadOptions): ComponentInput | FileProblem;
  /** Reads a CRUD call's record (the type's fields, content as base64). */
  fromRecord(fullName: string, record: Record<string, unknown>): ComponentInput | ComponentProblem;
  plan(input: ComponentInput, existing: StoredComponent | undefined, ctx: PlanContext): PlanResult<P>;
  apply(plan: P, input: ComponentInput, existing: StoredComponent | undefined, ctx: ApplyContext): Promise<ComponentWrite>;
  /** The files a retrieve returns for the component (a child's parent file is made by the retrieve). */
  files(component: StoredComponent): Map<string, Buffer>;
  /** The record readMetadata returns, typed as the type (its xsi:type set). */
  record(component: StoredComponent): Record<string, unknown>;
}

export const isFileProblem = (r: ComponentInput | FileProblem): r is FileProblem => 'problem' in r;
