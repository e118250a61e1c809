import type { ForgeAltName, ForgeExtension } from './forgeInternals';

/**
 * A subject alternative name in forge's shape: type 1 email, 2 DNS, 6 URI (in `value`),
 * 7 IP address (in `ip`). Other GeneralName kinds are not carried over.
 */
export type SubjectAltName = { type: number; value?: string; ip?: string };

const STRING_TYPES = new Set([1, 2, 6]);
const IP_TYPE = 7;

export function subjectAltNamesFromExtensions(extensions: ForgeExtension[]): SubjectAltName[] {
  const san = extensions.find((e) => e.name === 'subjectAltName');
  const result: SubjectAltName[] = [];
  for (const alt of san?.altNames ?? []) {
    if (STRING_TYPES.has(alt.type) && typeof alt.value === 'string') result.push({ type: alt.type, value: alt.value });
    else if (alt.type === IP_TYPE && alt.ip) result.push({ type: IP_TYPE, ip: alt.ip });
  }
  return result;
}

export function subjectAltNamesToForge(names: SubjectAltName[]): ForgeAltName[] {
  return names.map((n) => {
    if (n.type === IP_TYPE && n.ip) return { type: IP_TYPE, value: '', ip: n.ip };
    if (STRING_TYPES.has(n.type) && n.value) return { type: n.type, value: n.value };
    throw new Error(`unsupported subject alternative name ${JSON.stringify(n)}`);
  });
}
