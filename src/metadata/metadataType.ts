import type { RsaKeyPair } from '../crypto';
import type { Org, User } from '../store/orgs';
import type { StoredComponent } from '../store/components';

/** What describeMetadata and the package layout say of a type (as in source-deploy-retrieve's registry). */
export interface MetadataTypeDefinition {
  xmlName: string;
  directoryName: string;
  suffix: string;
  metaFile: boolean;
  inFolder: boolean;
  /** Key prefix of the ids of its components. */
  idPrefix: string;
  /** The first API version that knows the type. */
  minApiVersion: number;
}

/** A component as it arrives, from a package's files or a CRUD call: typed fields and raw content. */
export interface ComponentInput {
  fullName: string;
  fields: Record<string, unknown>;
  content: Buffer | null;
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
  privateKeyPem?: string;
}

/**
 * A metadata type Localforce emulates. Planning is pure and synchronous (the content rules);
 * applying may do slow work (keys, signatures) but no I/O on the store: the engine commits.
 */
export interface MetadataTypeHandler<P = unknown> {
  definition: MetadataTypeDefinition;
  /** Fields a file or record must not set (they come from elsewhere, e.g. fullName from the file name). */
  readonly skippedMetaFields: string[];
  validateName(fullName: string): string | undefined;
  plan(input: ComponentInput, existing: StoredComponent | undefined, ctx: PlanContext): PlanResult<P>;
  apply(plan: P, input: ComponentInput, existing: StoredComponent | undefined, ctx: ApplyContext): Promise<ComponentWrite>;
  /** The content file and meta file a retrieve returns. */
  files(component: StoredComponent): { content: Buffer; meta: string };
  /** The record readMetadata returns: the type's WSDL fields, content as base64. */
  record(component: StoredComponent): Record<string, unknown>;
}
