import { createHash } from 'node:crypto';
import { apexMethods, apexQueryFields, apexSyntax, apexTokens, apexTypeNames, apexTypeReferences, apexVariables } from './apexChecksLoader';
import type { ApexSyntaxProblem, ApexUnitKind } from './apexSyntax';
import type { ApexMemberRead, ApexStaticCall } from './apexMethods';
import type { ApexQueryField } from './apexQueryFields';
import type { ApexFieldUse, ApexTypeUse } from './apexTypeReferences';
import type { ApexVariables } from './apexVariables';

/**
 * What the Apex checks read from a class or trigger: its syntax errors, or the custom objects and fields it uses,
 * the other types it names by a bare name, the types it declares, the names it uses as values, the calls it makes and
 * the members it reads on classes, the methods it declares and the custom fields its queries name.
 */
export interface ApexAnalysis {
  syntax: ApexSyntaxProblem[];
  types: ApexTypeUse[];
  fields: ApexFieldUse[];
  typeNames: ApexTypeUse[];
  declared: string[];
  variables: ApexVariables;
  staticCalls: ApexStaticCall[];
  memberReads: ApexMemberRead[];
  methods: string[];
  queryFields: ApexQueryField[][];
}

/**
 * Analyses kept by the source's hash, most recent last. Pipelines deploy the same classes again and again
 * (a tracked deploy, a validation then its quick deploy), and parsing is the dearest check: a class seen
 * before is not parsed again. Each is kept as its JSON: a quarter of the memory of its objects (about 0.5 KB
 * a class against 2.2 KB), read back in microseconds where a parse takes milliseconds.
 */
const MAX_KEPT = 20_000;
const kept = new Map<string, string>();

export function analyseApex(source: string, kind: ApexUnitKind): ApexAnalysis {
  const hash = createHash('sha256').update(kind).update('\0').update(source).digest('base64');
  const known = kept.get(hash);
  if (known) {
    kept.delete(hash);
    kept.set(hash, known);
    return JSON.parse(known) as ApexAnalysis;
  }
  const syntax = apexSyntax().apexSyntaxProblems(source, kind);
  const [references, names] = [apexTypeReferences(), apexTypeNames()];
  const analysis = syntax.length ? { syntax, types: [], fields: [], typeNames: [], declared: [], variables: { undeclared: [], declared: [], extended: [] }, staticCalls: [], memberReads: [], methods: [], queryFields: [] } : apexTokens().withTokens(source, () => {
    const members = apexMethods().membersReached(source);
    return {
      syntax,
      types: references.customTypesUsed(source),
      fields: references.customFieldsRead(members.reads),
      typeNames: names.typeNamesUsed(source),
      declared: names.typesDeclared(source),
      variables: apexVariables().apexVariables(source),
      staticCalls: members.calls,
      memberReads: members.reads,
      methods: apexMethods().methodsDeclared(source),
      queryFields: apexQueryFields().queryFieldsUsed(source),
    };
  });
  kept.set(hash, JSON.stringify(analysis));
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return analysis;
}
