import { CHECKABLE } from './customNames';

/**
 * What a Visualforce page or component names that the org will not have after the deploy, in the org's words
 * (captured in VFDynamicComponents#1 and afawcett/flowtoolbelt#1): its controller and extensions, and the static
 * resources its expressions read (`$Resource.jszip`). Markup is read as text, as the org's compiler reads
 * expressions anywhere in it (scripts and attributes alike); comments are left out. Names of another namespace
 * (`ns.Controller`, `$Resource.ns__lib`) come with their package and are not looked up. The compile stops at the
 * first problem, so a file gets one row.
 */
const MARKUP_FILE = /\.(page|component)$/;
const ROOT_TAG = /<apex:(?:page|component)\b([^>]*)>/i;
const CLASS_ATTRIBUTES = /\b(controller|extensions)\s*=\s*("([^"]*)"|'([^']*)')/gi;
const RESOURCES = /\$Resource\.([A-Za-z][A-Za-z0-9_]*)/g;
/** The static resource an org gets with Sites, which its default pages (SiteTemplate, Exception…) read. */
const SITE_RESOURCES = new Set(['sitesamples']);

export interface VisualforceProblem { fileName: string; problem: string }

/** `exists(type, name)`: whether the org holds that component once the deploy is done. */
export function visualforceProblems(files: Map<string, Buffer>, exists: (type: string, name: string) => boolean): VisualforceProblem[] {
  for (const [fileName, bytes] of files) {
    if (!MARKUP_FILE.test(fileName)) continue;
    const markup = bytes.toString('utf8').replace(/<!--[\s\S]*?-->/g, '');
    const classes = [...(ROOT_TAG.exec(markup)?.[1] ?? '').matchAll(CLASS_ATTRIBUTES)]
      .flatMap((m) => (m[3] ?? m[4] ?? '').split(',')).map((name) => name.trim());
    const missingClass = classes.find((name) => name && CHECKABLE.ApexClass!(name) && !exists('ApexClass', name));
    if (missingClass) return [{ fileName, problem: `Apex class '${missingClass}' does not exist` }];
    for (const [, name] of markup.matchAll(RESOURCES)) {
      if (!name!.includes('__') && !SITE_RESOURCES.has(name!.toLowerCase()) && !exists('StaticResource', name!)) return [{ fileName, problem: `Static Resource named ${name} does not exist. Check spelling.` }];
    }
  }
  return [];
}
