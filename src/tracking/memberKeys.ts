import { MetadataRegistry } from '../metadata/registry';

/**
 * The SourceMember keys (MemberType, MemberName) of a component, as the sf CLI derives them from the
 * component's files (source-tracking's metadataKeys.ts): a member the CLI waits for after a deploy
 * must have a row under exactly that key, and a row under any other key is a change the CLI will
 * pull back. Child components (an object's fields, a labels file's labels) are components of their
 * own in the store, so they are members of their own with their dotted names (`Obj__c.Fld__c`).
 */
export interface MemberKey {
  memberType: string;
  memberName: string;
}

interface KeyRule {
  /** false: the component is no member itself, only what it holds is. */
  ownRow?: false;
  /** A bundle whose files are members too, named `<bundle>/<path in the bundle>`. */
  fileRows?: { memberType: string; untracked?: RegExp };
}

/** The types whose keys are not simply (type, fullName). */
const KEY_RULES: Record<string, KeyRule> = {
  // A labels file is tracked by its labels only (CustomLabel###<name>), never as CustomLabels.
  CustomLabels: { ownRow: false },
  // Every file of a web component is a LightningComponentResource, its meta file included.
  LightningComponentBundle: { fileRows: { memberType: 'LightningComponentResource' } },
  // Every Aura file is an AuraDefinition except the bundle's meta file, which defines nothing.
  AuraDefinitionBundle: { fileRows: { memberType: 'AuraDefinition', untracked: /-meta\.xml$/ } },
};

/** A member row of a bundle file, with the path (relative to the package folder) it comes from. */
export interface FileMemberKey extends MemberKey {
  path: string;
}

/** The component's own key, when it has one. */
export function ownKey(type: string, fullName: string): MemberKey | undefined {
  return KEY_RULES[type]?.ownRow === false ? undefined : { memberType: type, memberName: fullName };
}

/** The keys of a bundle's files (`lwc/card/card.js` → `LightningComponentResource###card/card.js`); none for other types. */
export function fileKeys(type: string, paths: Iterable<string>): FileMemberKey[] {
  const rule = KEY_RULES[type]?.fileRows;
  if (!rule) return [];
  const directory = `${MetadataRegistry.get(type)!.definition.directoryName}/`;
  const keys: FileMemberKey[] = [];
  for (const path of paths) {
    if (!path.startsWith(directory) || rule.untracked?.test(path)) continue;
    keys.push({ memberType: rule.memberType, memberName: path.slice(directory.length), path });
  }
  return keys.sort((a, b) => (a.memberName < b.memberName ? -1 : a.memberName > b.memberName ? 1 : 0));
}

/** Every key of a component: its own (if any) after its files' (bundles). */
export function memberKeys(type: string, fullName: string, paths: Iterable<string> = []): MemberKey[] {
  const own = ownKey(type, fullName);
  return [...fileKeys(type, paths).map(({ memberType, memberName }) => ({ memberType, memberName })), ...(own ? [own] : [])];
}
