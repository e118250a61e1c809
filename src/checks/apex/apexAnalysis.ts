import { createHash } from 'node:crypto';
import { apexSyntax, apexTypeReferences } from './apexChecksLoader';
import type { ApexSyntaxProblem, ApexUnitKind } from './apexSyntax';
import type { ApexFieldUse, ApexTypeUse } from './apexTypeReferences';

/** What the Apex checks read from a class or trigger: its first syntax error, or the custom objects and fields it uses. */
export interface ApexAnalysis {
  syntax: ApexSyntaxProblem[];
  types: ApexTypeUse[];
  fields: ApexFieldUse[];
}

/**
 * Analyses kept by the source's hash, most recent last. Pipelines deploy the same classes again and again
 * (a tracked deploy, a validation then its quick deploy), and parsing is the dearest check: a class seen
 * before is not parsed again. What is kept is small (a few positions), so the bound is generous.
 */
const MAX_KEPT = 20_000;
const kept = new Map<string, ApexAnalysis>();

export function analyseApex(source: string, kind: ApexUnitKind): ApexAnalysis {
  const hash = createHash('sha256').update(kind).update('\0').update(source).digest('base64');
  const known = kept.get(hash);
  if (known) {
    kept.delete(hash);
    kept.set(hash, known);
    return known;
  }
  const syntax = apexSyntax().apexSyntaxProblems(source, kind);
  const references = apexTypeReferences();
  const analysis = { syntax, types: syntax.length ? [] : references.customTypesUsed(source), fields: syntax.length ? [] : references.customFieldsUsed(source) };
  kept.set(hash, analysis);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return analysis;
}
