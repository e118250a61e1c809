/**
 * The fields of its own object a formula reads, as the formula engine resolves them: names outside
 * quoted text and comments, not called as functions, not global variables (`$User.X__c`) and not paths
 * through relationships (`Account__r.Name`, whose fields belong to another object). Only custom fields of
 * the org's namespace are returned (`Amount__c`); standard ones exist in every org. Written here because
 * no public library parses Salesforce formulas.
 */
export function fieldsOfFormula(formula: string): string[] {
  const code = formula
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
  const fields = new Set<string>();
  for (const m of code.matchAll(/(\$?)([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)(\s*\()?/g)) {
    const [, global, name, call] = m;
    const before = code[m.index! - 1];
    if (global || call || name!.includes('.') || (before && /[\w.$]/.test(before))) continue;
    if (/^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/i.test(name!)) fields.add(name!);
  }
  return [...fields];
}
