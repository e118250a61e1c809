import { currentOrgNow, orgNow } from '../clock';
import { Faults } from '../errors';
import { IdPrefix, newId } from '../ids';
import { asApiFault } from '../internalErrors';
import { MetadataRegistry } from '../metadata/registry';
import type { MetadataTypeDefinition } from '../metadata/metadataType';
import { PackageLimits } from '../package/limits';
import { writeManifest, type Manifest } from '../package/manifest';
import { PackageError } from '../package/zipReader';
import { writeZip } from '../package/zipWriter';
import { PartedBytes } from '../soap/partedBytes';
import { ZipPartsWriter } from './zipParts';
import { componentFileProperties, mainFileOf } from './fileProperties';
import { retrievedFileMakers, type FileMaker } from './retrievedFiles';
import type { AsyncResult, FileProperties, RetrieveMessage, RetrieveResult } from '../model/resultTypes';
import type { StoredComponent } from '../store/components';
import type { Caller } from '../store/orgs';
import type { Store } from '../store/store';
import type { OrgQueue } from './orgQueue';
import type { JobLeases, OrphanEnder } from './jobLeases';
import type { StoredJob } from '../store/jobs';
import { shortId, silentLogger, type Logger } from '../log/logger';
import { redactText } from '../log/redact';

export interface RetrieveRequest {
  apiVersion?: number;
  packageNames?: string[];
  singlePackage?: boolean;
  specificFiles?: string[];
  unpackaged?: { types?: { members?: string[]; name?: string }[]; version?: string } | null;
}

/** Retrieves run in the org's queue (so they see every deploy queued before them) and keep their zip. */
export class RetrieveEngine implements OrphanEnder<RetrieveResult> {
  readonly kind = 'retrieves';

  constructor(
    private readonly store: Store, private readonly queue: OrgQueue, private readonly leases: JobLeases, private readonly log: Logger = silentLogger(),
  ) {
    // On a store of its own, every unfinished retrieve was cut short by this server's last stop.
    if (!store.shared) this.endOrphans(store.retrieves.unfinished());
  }

  endOrphans(jobs: StoredJob<RetrieveResult>[]): void {
    for (const job of jobs) {
      this.store.retrieveZipParts.delete(job.id);
      this.store.retrieves.update(job.id, {
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
    this.store.retrieves.insert({
      id, orgId: caller.org.id, createdDate: orgNow(caller.org).toISOString(), result, options: JSON.parse(JSON.stringify(request)) as Record<string, unknown>, zip: null,
      ...this.leases.claim(),
    });
    this.queue.run(caller.org.id, () => this.run(caller, id, request)).catch(() => undefined);
    this.log.info({ retrieveId: id, orgId: caller.org.id }, `retrieve ${id} ${shortId(caller.org.id)} queued`);
    return { done: false, id, state: 'Queued' };
  }

  status(orgId: string, id: string, includeZip: boolean): RetrieveResult {
    const job = this.store.retrieves.get(orgId, id);
    if (!job) throw Faults.invalidIdField('Retrieve result has been deleted.');
    const result = { ...job.result };
    if (!result.done || !includeZip) return result;
    // Kept in parts since retrieves wrote them; before, whole in the row.
    if (job.zip) result.zipFile = job.zip;
    else if (this.store.retrieveZipParts.has(job.id)) result.zipFile = new PartedBytes(() => this.store.retrieveZipParts.parts(job.id));
    return result;
  }

  private async run(caller: Caller, id: string, request: RetrieveRequest): Promise<void> {
    const at = currentOrgNow(this.store, caller.org).toISOString();
    const started = Date.now();
    const line = (text: string) => `retrieve ${id} ${shortId(caller.org.id)} ${text}`;
    this.log.info({ retrieveId: id, orgId: caller.org.id, status: 'InProgress' }, line('InProgress'));
    try {
      const { zipBytes, fileProperties, messages } = await this.build(caller, id, request, at);
      this.store.retrieves.update(id, { done: true, fileProperties, id, messages, status: 'Succeeded', success: true },
        { completedDate: currentOrgNow(this.store, caller.org).toISOString() });
      const components = fileProperties.filter((p) => p.type !== 'Package').length;
      this.log.info({ retrieveId: id, orgId: caller.org.id, status: 'Succeeded', components, messages: messages.length, zipBytes },
        line(`Succeeded: ${components} component${components === 1 ? '' : 's'}, ${messages.length} message${messages.length === 1 ? '' : 's'}, ` +
          `${zipBytes.toLocaleString('en-US')} bytes zipped (${((Date.now() - started) / 1000).toFixed(1)} s)`));
    } catch (err) {
      this.store.retrieveZipParts.delete(id);
      const fault = err instanceof PackageError ? { code: err.statusCode, message: err.message } : asApiFault(err, `retrieve ${id}`);
      this.store.retrieves.update(id, {
        done: true, errorMessage: `${fault.code}: ${fault.message}`, errorStatusCode: fault.code, fileProperties: [], id,
        messages: [], status: 'Failed', success: false,
      }, { completedDate: currentOrgNow(this.store, caller.org).toISOString() });
      this.log.warn({ retrieveId: id, orgId: caller.org.id, status: 'Failed' }, line(`Failed: ${redactText((err as Error).message)}`));
    }
  }

  /** Writes the retrieve's zip into the store, in parts as it is made; returns its size and what the result lists. */
  private async build(caller: Caller, id: string, request: RetrieveRequest, at: string) {
    const orgId = caller.org.id;
    const version = Number(request.unpackaged?.version ?? request.apiVersion ?? 0) || undefined;
    const messages: RetrieveMessage[] = [];
    const zipFiles = new Map<string, Buffer | FileMaker>();
    let fileCount = 0;
    const fileProperties: FileProperties[] = [];
    const manifestProperties = (fileName: string, fullName: string, id: string): FileProperties => ({
      createdById: caller.user.id, createdByName: caller.user.fullName, createdDate: at, fileName, fullName, id,
      lastModifiedById: caller.user.id, lastModifiedByName: caller.user.fullName, lastModifiedDate: at, manageableState: 'unmanaged', type: 'Package',
    });
    /** One package folder of the zip: the components' files, their FileProperties and the manifest. */
    const addPackage = (prefix: string, components: StoredComponent[], manifest: Manifest, manifestId: string, manifestName: string) => {
      let files = retrievedFileMakers(this.store, orgId, components);
      if (request.specificFiles?.length) {
        const wanted = request.specificFiles.map((f) => f.trim().replace(/^unpackaged\//, ''));
        const kept = (path: string) => wanted.some((w) => path === w || path.startsWith(`${w}/`));
        files = new Map([...files].filter(([path]) => kept(path)));
        const paths = [...files.keys()];
        components = components.filter((c) => {
          const main = mainFileOf(MetadataRegistry.get(c.type)!.definition, c.fullName, c.files?.keys() ?? c.filePaths);
          return paths.some((p) => p === main || p.startsWith(`${main}/`));
        });
      }
      fileCount += files.size + 1;
      if (fileCount > PackageLimits.maxFiles) throw new PackageError('LIMIT_EXCEEDED', `Too many files in retrieve call, limit is: ${PackageLimits.maxFiles}`);
      for (const [path, bytes] of files) zipFiles.set(prefix + path, bytes);
      for (const c of components) fileProperties.push(componentFileProperties(this.store, c, prefix));
      zipFiles.set(`${prefix}package.xml`, Buffer.from(writeManifest(manifest)));
      fileProperties.push(manifestProperties(`${prefix}package.xml`, manifestName, manifestId));
    };

    if (request.unpackaged || !request.packageNames?.length) {
      const prefix = request.singlePackage ? '' : 'unpackaged/';
      const { components, manifest } = this.members(orgId, request.unpackaged?.types ?? [], version, messages, `${prefix}package.xml`);
      addPackage(prefix, components, manifest, '', `${prefix}package.xml`);
    }
    for (const name of request.packageNames ?? []) {
      const listed = this.store.components.inPackage(orgId, name);
      if (!listed.length) { messages.push({ fileName: name, problem: `No package named '${name}' found` }); continue; }
      const byType = new Map<string, string[]>();
      for (const { type, fullName } of listed) byType.set(type, [...(byType.get(type) ?? []), fullName]);
      const types = [...byType].map(([t, members]) => ({ name: t, members })).sort((a, b) => a.name.localeCompare(b.name));
      const { components, manifest } = this.members(orgId, types, version, messages, `${name}/package.xml`);
      addPackage(`${name}/`, components, { ...manifest, fullName: name }, newId(IdPrefix.package), 'package');
    }
    const parts = new ZipPartsWriter((seq, bytes) => this.store.retrieveZipParts.append(id, seq, bytes));
    const zipBytes = await writeZip(zipFiles, (chunk) => parts.write(chunk));
    parts.end();
    if (zipBytes > PackageLimits.maxZipBytes) {
      throw new PackageError('LIMIT_EXCEEDED', `The retrieved zip file is ${zipBytes} bytes; the limit is ${PackageLimits.maxZipBytes} bytes. Retrieve fewer components at a time.`);
    }
    return { zipBytes, fileProperties, messages };
  }

  /** The stored components a manifest's types name, and the manifest the retrieve writes for them. */
  private members(orgId: string, types: { members?: string[]; name?: string }[], version: number | undefined, messages: RetrieveMessage[], manifestPath: string) {
    const found = new Map<string, StoredComponent>();
    const manifest: Manifest = { version, types: [] };
    for (const type of types) {
      const typeName = type.name ?? '';
      const handler = MetadataRegistry.resolve(typeName, version);
      if (!handler) {
        messages.push({ fileName: manifestPath, problem: `Entity type: '${typeName}' is unknown` });
        continue;
      }
      const def = handler.definition;
      // Named members are read at once; only a name not found that way is looked up one by one (folders, documents, pieces).
      const own = (name: string) => (def.partOf ? name.split('.')[0]! : name);
      const named = (type.members ?? []).filter((m) => m !== '*').map((m) => own(m.replace(/\/$/, '')));
      // Files are read by their paths here; their bytes a batch at a time as the zip is written (retrievedFiles.ts).
      const byName = new Map(this.store.components.getMany(orgId, def.storedAs, named, 'paths').map((c) => [c.fullName.toLowerCase(), c]));
      const get = (name: string) => byName.get(own(name).toLowerCase()) ?? this.store.components.get(orgId, def.storedAs, own(name))
        ?? (def.folderType ? this.store.components.get(orgId, MetadataRegistry.get(def.folderType)!.definition.storedAs, name) : undefined)
        ?? (def.layout === 'document' ? this.store.components.get(orgId, def.storedAs, name.replace(/\.[^./]*$/, '')) : undefined);
      const members: string[] = [];
      for (const member of type.members ?? []) {
        const matches = member === '*' ? wildcard(this.store, orgId, def) : [get(member.replace(/\/$/, ''))].filter((c): c is StoredComponent => !!c);
        if (!matches.length && member !== '*') {
          messages.push({ fileName: manifestPath, problem: `Entity of type '${typeName}' named '${member}' cannot be found` });
        }
        for (const component of matches) {
          if (found.has(component.id)) continue;
          found.set(component.id, component);
          members.push(component.fullName);
        }
      }
      if (members.length) manifest.types.push({ name: typeName, members: members.sort() });
    }
    return { components: [...found.values()], manifest };
  }
}

/**
 * What `*` retrieves, with the real service's exceptions: nothing for in-folder types (name each
 * folder and component), and only custom objects for CustomObject (standard ones must be named).
 */
function wildcard(store: Store, orgId: string, def: MetadataTypeDefinition): StoredComponent[] {
  if (def.inFolder) return [];
  const all = store.components.list(orgId, def.storedAs, 'paths');
  return def.xmlName === 'CustomObject' ? all.filter((c) => c.fullName.includes('__')) : all;
}
