import type { StoredComponent } from '../store/components';
import type { SourceMemberChange } from '../store/sourceMembers';
import type { Org, User } from '../store/orgs';
import type { Store } from '../store/store';
import { fileKeys, memberKeys, ownKey } from './memberKeys';

/**
 * Source tracking: every change to a tracked org's components leaves SourceMember rows, written by
 * the component writer (src/jobs/componentWriter.ts) in the transaction that makes the change, so
 * they are there by the time the deploy or CRUD call that made it says it is done.
 */

/** Scratch orgs track their source; other orgs pay nothing for it and have no SourceMember object. */
export const tracksSource = (org: Org): boolean => !!org.scratch;

/** Who makes a change and when (on the org's clock). */
export interface ChangeAuthor {
  org: Org;
  user: User;
  at: string;
}

/**
 * A component written: its own row, and for a bundle a row for every one of its files (the sf CLI
 * waits for each file of a changed bundle, not only the files that changed). A file the bundle no
 * longer has gets no row: the CLI would read a deleted LightningComponentResource as the whole
 * bundle deleted.
 */
export function trackWrite(
  store: Store, by: ChangeAuthor, type: string, fullName: string, id: string, files: ReadonlyMap<string, Buffer> | undefined,
  before: StoredComponent | undefined,
): void {
  if (!tracksSource(by.org)) return;
  const had = before?.files ?? new Map<string, Buffer>();
  const memberIdOrName = id || fullName;
  const changes: SourceMemberChange[] = fileKeys(type, files?.keys() ?? []).map((k) => ({
    memberType: k.memberType, memberName: k.memberName, memberIdOrName, isNewMember: !had.has(k.path), isNameObsolete: false,
  }));
  const own = ownKey(type, fullName);
  if (own) changes.push({ ...own, memberIdOrName, isNewMember: !before, isNameObsolete: false });
  store.sourceMembers.record(by.org.id, changes, by.user.id, by.at);
}

/** Components deleted: every key each had, marked obsolete (children before their parent). */
export function trackDeletes(store: Store, by: ChangeAuthor, deleted: StoredComponent[]): void {
  if (!tracksSource(by.org) || !deleted.length) return;
  const changes = deleted.flatMap((c): SourceMemberChange[] => memberKeys(c.type, c.fullName, c.files?.keys()).map((k) => ({
    ...k, memberIdOrName: c.id || c.fullName, isNewMember: false, isNameObsolete: true,
  })));
  store.sourceMembers.record(by.org.id, changes, by.user.id, by.at);
}
