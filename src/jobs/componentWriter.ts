import { newId } from '../ids';
import { MetadataRegistry } from '../metadata/registry';
import type { ComponentWrite, MetadataTypeDefinition } from '../metadata/metadataType';
import { parentNameOf } from '../metadata/stored/parentFile';
import { pathOf } from '../metadata/layout/componentPaths';
import { childrenOf, nodeName, parseXmlTree, rootOf, writeMetadataDocument, writeNodes, type XmlNode } from '../package/xmlTree';
import type { StoredComponent } from '../store/components';
import type { Org, User } from '../store/orgs';
import type { Store } from '../store/store';
import { allChildren } from './retrievedFiles';
import { CONNECTED_APP_TYPE, registerConnectedApp, unregisterConnectedApp } from './connectedAppRegistration';
import { trackDeletes, tracksSource, trackWrite } from '../tracking/sourceTracking';

/**
 * Stores what applying a plan produced, keeping an existing component's id and creation stamp.
 * Called inside the caller's transaction; returns the component's id. `known` is the stored
 * component as the caller already read it (absent: read it here). Every write, delete and rename
 * of a component goes through this file, which is where source tracking hears of it.
 */
export function writeComponent(
  store: Store, org: Org, user: User, type: string, fullName: string, write: ComponentWrite, changed: boolean, at: string,
  packageName?: string, known?: { existing: StoredComponent | undefined },
): string {
  const existing = known ? known.existing : store.components.get(org.id, type, fullName);
  const id = existing?.id ?? newId(MetadataRegistry.get(type)!.definition.idPrefix);
  store.components.put({
    orgId: org.id, type, fullName: existing?.fullName ?? fullName, id, fields: write.fields, content: write.content, files: write.files,
    createdById: existing?.createdById ?? user.id, createdDate: existing?.createdDate ?? at,
    lastModifiedById: changed || !existing ? user.id : existing.lastModifiedById,
    lastModifiedDate: changed || !existing ? at : existing.lastModifiedDate, packageName,
  });
  if (write.privateKeyPem) store.components.putPrivateKey(org.id, id, write.privateKeyPem);
  if (type === CONNECTED_APP_TYPE) registerConnectedApp(store, org.id, existing?.fullName ?? fullName, write.oauthClient ?? null, at);
  // An unchanged component is no change to track.
  if (changed || !existing) trackWrite(store, { org, user, at }, type, existing?.fullName ?? fullName, id, write.files, existing);
  return id;
}

/** Deletes a component; a parent takes its children with it (an object's fields go with the object). */
export function deleteComponent(store: Store, org: Org, user: User, type: string, fullName: string, at: string): void {
  const existing = store.components.get(org.id, type, fullName);
  if (!existing) return;
  const children = MetadataRegistry.get(type)!.definition.children.length ? allChildren(store, org.id, existing) : [];
  for (const child of children) store.components.delete(org.id, child.type, child.fullName);
  store.components.delete(org.id, type, fullName);
  if (type === CONNECTED_APP_TYPE) unregisterConnectedApp(store, org.id, existing.fullName);
  trackDeletes(store, { org, user, at }, [...children, existing]);
}

/**
 * Makes the parent of a child component when the org has none yet: a standard object such as
 * Account exists in every org, so fields deployed onto it need no CustomObject of their own.
 */
export function ensureParent(store: Store, org: Org, user: User, type: MetadataTypeDefinition, fullName: string, at: string): void {
  if (!type.parent) return;
  const parent = MetadataRegistry.get(type.parent.xmlName)!.definition;
  const name = parentNameOf(type, fullName);
  if (store.components.get(org.id, parent.storedAs, name)) return;
  const files = new Map([[pathOf(parent, name), Buffer.from(writeMetadataDocument(parent.xmlName, []))]]);
  writeComponent(store, org, user, parent.storedAs, name, { fields: {}, content: null, files }, true, at);
}

/**
 * Renames a component, its files and (for a parent) its children; a child's own element is renamed
 * too. Source tracking sees the old names deleted and the new ones made.
 */
export function renameComponent(store: Store, org: Org, user: User, type: MetadataTypeDefinition, oldName: string, newName: string, at: string): void {
  const orgId = org.id;
  const userId = user.id;
  // What was renamed, for source tracking (read only for an org that tracks it).
  const renamed: { type: string; before: StoredComponent; newName: string }[] | undefined = tracksSource(org) ? [] : undefined;
  const oldBase = `${type.directoryName}/${oldName}`;
  const renamePath = (path: string) => {
    if (!path.startsWith(oldBase)) return path;
    const rest = path.slice(oldBase.length);
    // A bundle's files are named after it (lwc/card/card.js).
    return `${type.directoryName}/${newName}${rest.replace(new RegExp(`/${escapeRegExp(oldName)}(?=\\.)`, 'g'), `/${newName}`)}`;
  };
  const before = renamed && store.components.get(orgId, type.storedAs, oldName);
  if (before) renamed!.push({ type: type.storedAs, before, newName });
  store.components.rename(orgId, type.storedAs, oldName, newName, userId, at, renamePath);
  if (type.storedAs === CONNECTED_APP_TYPE) store.connectedApps.rename(orgId, oldName, newName);
  if (type.parent) {
    const child = store.components.get(orgId, type.storedAs, newName)!;
    const node = rootOf(parseXmlTree(child.content?.toString('utf8') ?? ''));
    const idNode = childrenOf(node).find((n) => nodeName(n) === type.parent!.child.idElement);
    if (idNode) idNode[type.parent.child.idElement] = [{ '#text': newName.slice(newName.indexOf('.') + 1) } as unknown as XmlNode];
    store.components.put({ ...child, content: Buffer.from(writeNodes([node])), files: undefined });
  }
  for (const { definition } of MetadataRegistry.childrenOf(type.xmlName)) {
    if (definition.parent!.child.ignoreParentName) continue;
    for (const child of store.components.withPrefix(orgId, definition.xmlName, `${oldName}.`)) {
      const childName = `${newName}.${child.fullName.slice(oldName.length + 1)}`;
      renamed?.push({ type: definition.xmlName, before: child, newName: childName });
      store.components.rename(orgId, definition.xmlName, child.fullName, childName, userId, at);
    }
  }
  if (!renamed) return;
  const by = { org, user, at };
  trackDeletes(store, by, renamed.map((r) => r.before));
  for (const r of renamed) {
    const after = store.components.get(orgId, r.type, r.newName);
    if (after) trackWrite(store, by, r.type, after.fullName, after.id, after.files, undefined);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
