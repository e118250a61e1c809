/*
 * What an org answers to anonymous Apex (`sf apex run`), declared per org: Localforce executes no Apex, so
 * after the compile check a block is either refused, saying so (`refuse`, the default), or declared
 * successful without being run (`succeed`). Never a silent pretend run.
 */

export type AnonymousApexPolicy = 'refuse' | 'succeed';

export const ANONYMOUS_APEX_POLICIES: readonly AnonymousApexPolicy[] = ['refuse', 'succeed'];
export const DEFAULT_ANONYMOUS_APEX_POLICY: AnonymousApexPolicy = 'refuse';

export const isAnonymousApexPolicy = (value: unknown): value is AnonymousApexPolicy =>
  typeof value === 'string' && (ANONYMOUS_APEX_POLICIES as readonly string[]).includes(value);

/** Reads the admin API's body, `{"policy": "refuse"|"succeed"}`; throws with what is wrong. */
export function anonymousApexPolicyFromJson(body: unknown): AnonymousApexPolicy {
  const expected = 'expected {"policy": "refuse"|"succeed"}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Invalid anonymous Apex policy: it is not a JSON object; ${expected}.`);
  const unknown = Object.keys(body).filter((k) => k !== 'policy');
  if (unknown.length) throw new Error(`Invalid anonymous Apex policy: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; ${expected}.`);
  const { policy } = body as { policy?: unknown };
  if (!isAnonymousApexPolicy(policy)) {
    throw new Error(`Invalid anonymous Apex policy: "policy" must be "refuse" or "succeed", not ${JSON.stringify(policy) ?? 'missing'}; ${expected}.`);
  }
  return policy;
}

/** An org's policy as stored; anything unreadable counts as the default. */
export const storedPolicy = (value: string | undefined): AnonymousApexPolicy => (isAnonymousApexPolicy(value) ? value : DEFAULT_ANONYMOUS_APEX_POLICY);
