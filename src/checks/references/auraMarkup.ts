/**
 * The components an Aura bundle's markup places (`<c:childCmp/>` in a .cmp, .app or .design file) that
 * the org will not have after the deploy, in the org's words. Markup is read as text, tag names only:
 * Aura files hold expressions (`{!v.x}`) that are not XML, and no public validator of what an org checks
 * in Aura exists; only the org's own namespace `c` is looked up (base components such as `lightning:` and
 * other namespaces exist, or come with their package).
 */
const MARKUP_FILE = /\.(cmp|app|design|intf|evt)$/;
const OWN_TAGS = /<c:([A-Za-z][A-Za-z0-9_]*)/g;

export interface AuraProblem { fileName: string; problem: string }

/** `exists(name)`: whether an Aura or Lightning web component of that name is in the org after the deploy. */
export function auraBundleProblems(bundleName: string, files: Map<string, Buffer>, exists: (name: string) => boolean): AuraProblem[] {
  const problems: AuraProblem[] = [];
  for (const [fileName, bytes] of files) {
    if (!MARKUP_FILE.test(fileName)) continue;
    const missing = new Set<string>();
    for (const [, name] of bytes.toString('utf8').replace(/<!--[\s\S]*?-->/g, '').matchAll(OWN_TAGS)) {
      if (name !== bundleName && !exists(name!)) missing.add(name!);
    }
    // One row per file and missing component, as the org reports them (mshanemc/AnythingPath#8).
    for (const name of missing) problems.push({ fileName, problem: `No COMPONENT named markup://c:${name} found : [markup://c:${bundleName}]` });
  }
  return problems;
}
