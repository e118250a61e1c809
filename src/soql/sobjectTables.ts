import { apexRunTables } from '../apexRuns/testRunTables';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { devHubTables } from '../devhub/devHubTables';
import { orgTables } from './orgTables';
import { sourceTrackingTables } from '../tracking/sourceMemberObject';
import type { SObjectTable } from './soqlEngine';

/** Where the tables come from: one function per area, each listing the objects it keeps. */
const SOURCES: ((services: Services) => SObjectTable[])[] = [orgTables, devHubTables, sourceTrackingTables, apexRunTables];

/**
 * Every object Localforce answers queries and record reads on, by endpoint. An object the caller's org
 * does not have (a scratch org has no ScratchOrgInfo) is, as on the real service, an unsupported type.
 */
export interface SObjectCatalog {
  table(name: string, api: 'data' | 'tooling', caller: Caller): SObjectTable | undefined;
}

export function sobjectCatalog(services: Services): SObjectCatalog {
  const byName = new Map<string, SObjectTable[]>();
  for (const table of SOURCES.flatMap((source) => source(services))) {
    const key = table.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), table]);
  }
  return {
    table: (name, api, caller) =>
      byName.get(name.toLowerCase())?.find((t) => (t.api === 'both' || t.api === api) && (t.availableTo?.(caller) ?? true)),
  };
}
