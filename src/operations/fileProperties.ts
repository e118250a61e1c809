import { MetadataRegistry } from '../metadata/registry';
import type { ComponentStamp } from '../store/components';
import type { Store } from '../store/store';
import type { FileProperties } from './resultTypes';

/** What listMetadata and retrieve say of a component; `prefix` is the retrieve zip's package folder. */
export function componentFileProperties(store: Store, c: ComponentStamp, prefix = ''): FileProperties {
  const { directoryName, suffix } = MetadataRegistry.get(c.type)!.definition;
  const name = (id: string) => store.orgs.user(id)?.fullName ?? '';
  return {
    createdById: c.createdById, createdByName: name(c.createdById), createdDate: c.createdDate,
    fileName: `${prefix}${directoryName}/${c.fullName}.${suffix}`, fullName: c.fullName, id: c.id,
    lastModifiedById: c.lastModifiedById, lastModifiedByName: name(c.lastModifiedById), lastModifiedDate: c.lastModifiedDate,
    manageableState: 'unmanaged', type: c.type,
  };
}
