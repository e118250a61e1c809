/**
 * Which families of checks a deploy runs, beyond well-formed XML and the files a type needs:
 * - schema: every element and value against Salesforce's schema of the type (src/checks/schema);
 * - references: components naming others that the org will not have (src/checks/references);
 * - apex: Apex classes and triggers compiled for syntax (src/checks/apex);
 * - lwc: Lightning web components compiled, their imports resolved (src/checks/lwc).
 * Set for the server (`--deploy-checks`, `deployChecks`) and per org (the admin API); `all` by default.
 */
export const CHECK_FAMILIES = ['schema', 'references', 'apex', 'lwc'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];
export type DeployChecks = ReadonlySet<CheckFamily>;

export const ALL_CHECKS: DeployChecks = new Set(CHECK_FAMILIES);

/** Reads `all`, `none` or a comma-separated list of families; an error names what is wrong. */
export function parseDeployChecks(text: string): DeployChecks | { error: string } {
  const words = text.split(',').map((w) => w.trim()).filter(Boolean);
  if (words.length === 1 && words[0] === 'all') return ALL_CHECKS;
  if (words.length === 1 && words[0] === 'none') return new Set();
  const unknown = words.filter((w) => !(CHECK_FAMILIES as readonly string[]).includes(w));
  if (!words.length || unknown.length) {
    return { error: `deploy checks must be all, none or some of ${CHECK_FAMILIES.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}` };
  }
  return new Set(words as CheckFamily[]);
}

/** The families as `--deploy-checks` and the admin API write them. */
export function formatDeployChecks(checks: DeployChecks): string {
  if (CHECK_FAMILIES.every((f) => checks.has(f))) return 'all';
  return checks.size ? CHECK_FAMILIES.filter((f) => checks.has(f)).join(',') : 'none';
}
