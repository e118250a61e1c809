import { MetadataRegistry } from '../metadata/registry';
import type { MetadataTypeDefinition } from '../metadata/metadataType';
import { parentNameOf } from '../metadata/stored/parentFile';
import { pathOf } from '../metadata/layout/componentPaths';
import type { FileProperties } from '../model/resultTypes';
import type { ComponentStamp, StoredComponent } from '../store/components';
import type { Store } from '../store/store';

/**
 * The file FileProperties names for a component: its content file, its only file, its bundle's
 * directory, or (for a child) its parent's file.
 */
export function mainFileOf(type: MetadataTypeDefinition, fullName: string, files?: Iterable<string>): string {
  if (type.parent) return mainFileOf(MetadataRegistry.get(type.parent.xmlName)!.definition, parentNameOf(type, fullName));
  switch (type.layout) {
    case 'bundle':
    case 'experienceBundle':
    case 'digitalExperience':
      return `${type.directoryName}/${fullName}`;
    case 'document':
      return [...(files ?? [])].find((p) => !p.endsWith('-meta.xml')) ?? `${type.directoryName}/${fullName}`;
    case 'folder':
      return `${type.directoryName}/${fullName}`;
    default:
      return pathOf(type, type.fixedFullName ?? fullName);
  }
}

/** What listMetadata and retrieve say of a component; `prefix` is the retrieve zip's package folder. */
export function componentFileProperties(store: Store, c: ComponentStamp & Pick<StoredComponent, 'files' | 'filePaths'>, prefix = ''): FileProperties {
  const type = MetadataRegistry.get(c.type)!.definition;
  const name = (id: string) => store.orgs.user(id)?.fullName ?? '';
  return {
    createdById: c.createdById, createdByName: name(c.createdById), createdDate: c.createdDate,
    fileName: prefix + mainFileOf(type, c.fullName, c.files?.keys() ?? c.filePaths), fullName: c.fullName, id: c.id,
    lastModifiedById: c.lastModifiedById, lastModifiedByName: name(c.lastModifiedById), lastModifiedDate: c.lastModifiedDate,
    manageableState: 'unmanaged', type: c.type,
  };
}
