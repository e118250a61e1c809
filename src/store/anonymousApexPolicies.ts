import { Repository } from './repository';

/**
 * Each org's anonymous Apex policy (src/apexRuns/anonymousApexPolicy.ts), when it sets one. Kept in the
 * store's table of named settings, one name per org, so that every server sharing the store answers alike.
 */
export class AnonymousApexPolicyRepository extends Repository {
  private readonly name = (orgId: string) => `anonymous-apex-policy:${orgId}`;

  get(orgId: string): string | undefined {
    return (this.sql('SELECT value FROM shared_settings WHERE name = ?').get(this.name(orgId)) as { value: string } | undefined)?.value;
  }

  /** Sets the org's policy; undefined goes back to the default. */
  set(orgId: string, policy: string | undefined): void {
    if (policy === undefined) this.deleteOrg(orgId);
    else this.sql('INSERT INTO shared_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(this.name(orgId), policy);
  }

  deleteOrg(orgId: string): void {
    this.sql('DELETE FROM shared_settings WHERE name = ?').run(this.name(orgId));
  }
}
