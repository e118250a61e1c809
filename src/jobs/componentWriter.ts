import { newId } from '../ids';
import { MetadataRegistry } from '../metadata/registry';
import type { ComponentWrite } from '../metadata/metadataType';
import type { Org, User } from '../store/orgs';
import type { Store } from '../store/store';

/**
 * Stores what applying a plan produced, keeping an existing component's id and creation stamp.
 * Called inside the caller's transaction; returns the component's id.
 */
export function writeComponent(
  store: Store, org: Org, user: User, type: string, fullName: string, write: ComponentWrite, changed: boolean, at: string,
): string {
  const existing = store.components.get(org.id, type, fullName);
  const id = existing?.id ?? newId(MetadataRegistry.get(type)!.definition.idPrefix);
  store.components.put({
    orgId: org.id, type, fullName: existing?.fullName ?? fullName, id, fields: write.fields, content: write.content,
    createdById: existing?.createdById ?? user.id, createdDate: existing?.createdDate ?? at,
    lastModifiedById: changed || !existing ? user.id : existing.lastModifiedById,
    lastModifiedDate: changed || !existing ? at : existing.lastModifiedDate,
  });
  if (write.privateKeyPem) store.components.putPrivateKey(org.id, id, write.privateKeyPem);
  return id;
}
