import JSZip from 'jszip';
import { currentOrgNow, orgNow } from '../clock';
import { Faults } from '../errors';
import { IdPrefix, newId } from '../ids';
import { MetadataRegistry } from '../metadata/registry';
import type { MetadataTypeHandler } from '../metadata/metadataType';
import { writeManifest, type Manifest } from '../package/manifest';
import { componentFileProperties } from '../operations/fileProperties';
import type { AsyncResult, FileProperties, RetrieveMessage, RetrieveResult } from '../operations/resultTypes';
import type { StoredComponent } from '../store/components';
import type { Caller } from '../store/orgs';
import type { Store } from '../store/store';
import type { OrgQueue } from './orgQueue';

export interface RetrieveRequest {
  apiVersion?: number;
  packageNames?: string[];
  singlePackage?: boolean;
  specificFiles?: string[];
  unpackaged?: { types?: { members?: string[]; name?: string }[]; version?: string } | null;
}

/** Retrieves run in the org's queue (so they see every deploy queued before them) and keep their zip. */
export class RetrieveEngine {
  constructor(private readonly store: Store, private readonly queue: OrgQueue) {
    for (const job of store.retrieves.unfinished()) {
      store.retrieves.update(job.id, {
        ...job.result, done: true, status: 'Failed', success: false, errorStatusCode: 'UNKNOWN_EXCEPTION',
        errorMessage: 'UNKNOWN_EXCEPTION: Localforce stopped while this retrieve was running. Retrieve again.',
      });
    }
  }

  submit(caller: Caller, request: RetrieveRequest): AsyncResult {
    if (request.specificFiles?.length && (!request.singlePackage || request.packageNames?.length)) {
      throw Faults.invalidOperation('specificFiles can only be used with singlePackage set to true and no packageNames');
    }
    const id = newId(IdPrefix.retrieve);
    const result: RetrieveResult = { done: false, fileProperties: [], id, messages: [], status: 'Pending', success: false };
    this.store.retrieves.insert({ id, orgId: caller.org.id, createdDate: orgNow(caller.org).toISOString(), result, options: {}, zip: null });
    this.queue.run(caller.org.id, () => this.run(caller, id, request)).catch(() => undefined);
    return { done: false, id, state: 'Queued' };
  }

  status(orgId: string, id: string, includeZip: boolean): RetrieveResult {
    const job = this.store.retrieves.get(orgId, id);
    if (!job) throw Faults.invalidIdField('Retrieve result has been deleted.');
    const result = { ...job.result };
    if (result.done && includeZip && job.zip) result.zipFile = job.zip.toString('base64');
    return result;
  }

  private async run(caller: Caller, id: string, request: RetrieveRequest): Promise<void> {
    const at = currentOrgNow(this.store, caller.org).toISOString();
    try {
      const { zip, fileProperties, messages } = await this.build(caller, request, at);
      this.store.retrieves.update(id, { done: true, fileProperties, id, messages, status: 'Succeeded', success: true }, zip);
    } catch (err) {
      this.store.retrieves.update(id, {
        done: true, errorMessage: `UNKNOWN_EXCEPTION: ${(err as Error).message}`, errorStatusCode: 'UNKNOWN_EXCEPTION', fileProperties: [], id,
        messages: [], status: 'Failed', success: false,
      });
    }
  }

  private async build(caller: Caller, request: RetrieveRequest, at: string) {
    const prefix = request.singlePackage ? '' : 'unpackaged/';
    const manifestPath = `${prefix}package.xml`;
    const version = Number(request.unpackaged?.version ?? request.apiVersion ?? 0) || undefined;
    const messages: RetrieveMessage[] = [];
    const found: { component: StoredComponent; handler: MetadataTypeHandler }[] = [];
    const manifest: Manifest = { version, types: [] };
    for (const name of request.packageNames ?? []) {
      messages.push({ fileName: name, problem: `No package named '${name}' found` });
    }
    for (const type of request.unpackaged?.types ?? []) {
      const typeName = type.name ?? '';
      const handler = MetadataRegistry.resolve(typeName, version);
      if (!handler) {
        const problem = MetadataRegistry.isKnownButNotEmulated(typeName)
          ? MetadataRegistry.notEmulatedMessage(typeName) : `Entity type: '${typeName}' is unknown`;
        messages.push({ fileName: manifestPath, problem });
        continue;
      }
      const members: string[] = [];
      for (const member of type.members ?? []) {
        const matches = member === '*'
          ? this.store.components.list(caller.org.id, typeName)
          : [this.store.components.get(caller.org.id, typeName, member)].filter((c): c is StoredComponent => !!c);
        if (!matches.length && member !== '*') {
          messages.push({ fileName: manifestPath, problem: `Entity of type '${typeName}' named '${member}' cannot be found` });
        }
        for (const component of matches) {
          if (found.some((f) => f.component.id === component.id)) continue;
          found.push({ component, handler });
          members.push(component.fullName);
        }
      }
      if (members.length) manifest.types.push({ name: typeName, members: members.sort() });
    }

    const zip = new JSZip();
    const fileProperties: FileProperties[] = [];
    for (const { component, handler } of found) {
      const { directoryName, suffix } = handler.definition;
      const path = `${prefix}${directoryName}/${component.fullName}.${suffix}`;
      const files = handler.files(component);
      zip.file(path, files.content);
      zip.file(`${path}-meta.xml`, files.meta);
      fileProperties.push(componentFileProperties(this.store, component, prefix));
    }
    zip.file(manifestPath, writeManifest(manifest));
    fileProperties.push({
      createdById: caller.user.id, createdByName: caller.user.fullName, createdDate: at, fileName: manifestPath,
      fullName: manifestPath, id: '', lastModifiedById: caller.user.id, lastModifiedByName: caller.user.fullName,
      lastModifiedDate: at, manageableState: 'unmanaged', type: 'Package',
    });
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
    return { zip: bytes, fileProperties, messages };
  }
}
