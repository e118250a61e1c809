/**
 * The compile check a deploy runs on every LightningComponentBundle: what a real org refuses when it
 * compiles a Lightning web component, worded as the org words it.
 *
 * Each .js, .html and .css of the bundle goes through the open-source LWC compiler (@lwc/compiler,
 * @lwc/template-compiler, MIT), the compiler the platform itself runs. Then the modules the compiled
 * code imports (the template's compiled code imports its child components, a stylesheet's imports
 * its shared CSS modules) are resolved against what the org will hold after the deploy.
 *
 * Wording. Compiler diagnostics keep @lwc/errors' own `LWC<code>: <message>`, with the platform's
 * envelope where deploys were seen to show one: a JavaScript syntax error reads
 * `LWC1503: Parsing error: <Babel's message>`, and `LWC1058: Invalid HTML syntax: <code>.` comes
 * without the compiler's trailing link to the HTML spec. References use the org's sentences, as
 * deploy logs and tool issues quote them:
 *   Unable to find Apex action class referenced as 'MyController'.
 *   No MODULE named markup://c:childCmp found : [markup://c:parentCmp]
 *   Invalid reference c.My_Label of type label in file cmp.js
 *   Invalid reference Obj__c.Field__c of type sobjectField in file cmp.js   (sobjectClass for an object)
 * The org names the file by its base name inside these sentences; fileName carries the package path.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { CompilerDiagnostic } from '@lwc/errors';

/** What the org holds after the deploy; answers true for anything that is not custom or cannot be known (never refuse what a real org has). */
export interface LwcResolver {
  /** `@salesforce/apex/Class.method` → Class; namespaced `ns.Class.method` is accepted without asking. */
  apexClass(name: string): boolean;
  /** `c/name` or a template's `<c-name>` → the LightningComponentBundle name, as written (compare case-insensitively). */
  component(name: string): boolean;
  /** `@salesforce/label/c.Name` → Name. */
  customLabel(name: string): boolean;
  /** `@salesforce/schema/Object…` → Object; asked only about the org's own custom objects. */
  sobject(name: string): boolean;
  /** `@salesforce/schema/Object.Field` → both; asked only about the org's own custom fields. */
  field(object: string, field: string): boolean;
}

export interface LwcProblem { fileName: string; problem: string }

type CompiledAs = 'script' | 'template' | 'style';

/** Which compiler a file goes through; anything else in a bundle (svg, xml, json, TypeScript…) is not compiled. */
const COMPILED_EXTENSIONS: Readonly<Record<string, CompiledAs>> = { '.js': 'script', '.html': 'template', '.css': 'style' };

interface ReferenceSite { bundleName: string; fileBase: string; resolve: LwcResolver }

/** An imported module the org must be able to resolve: prefix → the problem when it cannot, given what follows the prefix. */
const REFERENCE_CHECKS: ReadonlyArray<readonly [prefix: string, check: (target: string, site: ReferenceSite) => string | undefined]> = [
  ['@salesforce/apex/', apexActionProblem],
  ['@salesforce/label/', labelProblem],
  ['@salesforce/schema/', schemaProblem],
  ['c/', componentProblem],
];
// Never checked: 'lwc', lightning/*, relative imports, every other namespace and every other @salesforce/* module.

export function lwcBundleProblems(bundleName: string, files: Map<string, Buffer>, resolve: LwcResolver): LwcProblem[] {
  const apiVersion = bundleApiVersion(bundleName, files);
  const problems: LwcProblem[] = [];
  const seen = new Set<string>();
  const report = (problem: LwcProblem) => {
    const key = `${problem.fileName}\n${problem.problem}`;
    if (!seen.has(key)) { seen.add(key); problems.push(problem); }
  };
  for (const [fileName, content] of files) {
    // The sf CLI leaves jest folders out of a deploy; should one slip in, the org never compiles it either.
    if (fileName.split('/').includes('__tests__')) continue;
    const compiledAs = COMPILED_EXTENSIONS[extensionOf(fileName)];
    if (!compiledAs) continue;
    const outcome = compiledOnce(compiledAs, fileName, content.toString('utf8'), bundleName, apiVersion);
    for (const diagnostic of outcome.errors) report(compilerProblem(fileName, diagnostic, outcome.nameInMessages));
    if (outcome.errors.length > 0 || outcome.imports === undefined) continue;
    const site: ReferenceSite = { bundleName, fileBase: fileName.slice(fileName.lastIndexOf('/') + 1), resolve };
    for (const source of outcome.imports) {
      const rule = REFERENCE_CHECKS.find(([prefix]) => source.startsWith(prefix));
      const problem = rule?.[1](source.slice(rule[0].length), site);
      if (problem) report({ fileName, problem });
    }
  }
  return problems;
}

// ---- compiling -------------------------------------------------------------------------------------

/** What a file's compile tells the checks: its errors, or the modules its compiled code imports. */
interface CompiledFacts {
  errors: CompilerDiagnostic[];
  imports?: string[];
  nameInMessages: string;
}

/**
 * Compiles kept by what decides them (the file's text, name, bundle and API version), most recent last:
 * pipelines deploy the same components again and again, and compiling is the dearest part of the check.
 * Only the errors and the imports are kept, not the compiled code.
 */
const MAX_KEPT_COMPILES = 20_000;
const keptCompiles = new Map<string, CompiledFacts>();

function compiledOnce(compiledAs: CompiledAs, fileName: string, source: string, bundleName: string, apiVersion: number | undefined): CompiledFacts {
  const key = createHash('sha256').update(`${compiledAs}\0${fileName}\0${bundleName}\0${apiVersion ?? ''}\0`).update(source).digest('base64');
  const known = keptCompiles.get(key);
  if (known) {
    keptCompiles.delete(key);
    keptCompiles.set(key, known);
    return known;
  }
  const outcome = compileFile(compiledAs, fileName, source, bundleName, apiVersion);
  const facts: CompiledFacts = { errors: outcome.errors, nameInMessages: outcome.nameInMessages, ...(outcome.code === undefined ? {} : { imports: importedModules(outcome.code) }) };
  keptCompiles.set(key, facts);
  if (keptCompiles.size > MAX_KEPT_COMPILES) keptCompiles.delete(keptCompiles.keys().next().value!);
  return facts;
}

interface CompileOutcome {
  /** Diagnostics of level Error or Fatal; warnings never refuse a deploy. */
  errors: CompilerDiagnostic[];
  /** The compiled module, when it compiled. */
  code?: string;
  /** The file name the compiler was given, which Babel and PostCSS repeat inside their messages. */
  nameInMessages: string;
}

const ERROR_LEVELS = new Set<number>([0 /* Fatal */, 1 /* Error */]);

function compileFile(compiledAs: CompiledAs, fileName: string, source: string, bundleName: string, apiVersion: number | undefined): CompileOutcome {
  const lwc = lwcCompiler();
  if (compiledAs === 'template') {
    // The template compiler itself, not transformSync: it reports every diagnostic where transformSync throws the first.
    const nameInMessages = fileName.slice(fileName.lastIndexOf('/') + 1);
    const result = lwc.compileTemplate(source, nameInMessages, templateOptions(bundleName, apiVersion));
    const errors = result.warnings.filter((d) => ERROR_LEVELS.has(d.level));
    return { errors, code: errors.length === 0 && result.code ? result.code : undefined, nameInMessages };
  }
  // An absolute name: Babel would otherwise prefix the server's working directory, which no message should show.
  const nameInMessages = `/${fileName}`;
  try {
    return { errors: [], code: lwc.transformSync(source, nameInMessages, transformOptions(bundleName, apiVersion)).code, nameInMessages };
  } catch (error) {
    return { errors: [asDiagnostic(error)], nameInMessages };
  }
}

/**
 * The options that make the open-source compiler accept what the platform accepts: the bundle's own API version
 * (it decides, for one, whether older templates' HTML parse errors are only warnings), and every feature the
 * platform may allow — a deploy this check cannot prove wrong must not be refused.
 */
const TEMPLATE_FEATURES = {
  enableDynamicComponents: true, // lwc:is; the org wants the lightning__dynamicComponent capability, which is not checked here
  experimentalDynamicDirective: true, // the old lwc:dynamic, a warning rather than an error
  experimentalComplexExpressions: true, // the compiler still gates complex template expressions by API version itself
  enableLwcOn: true,
} as const satisfies TemplateOptions;

function templateOptions(bundleName: string, apiVersion: number | undefined): TemplateOptions {
  // Exactly these keys: the template compiler refuses an option it does not know.
  return { name: bundleName, namespace: 'c', apiVersion, ...TEMPLATE_FEATURES };
}

function transformOptions(bundleName: string, apiVersion: number | undefined): TransformOptions {
  // #method(): private methods are being rolled out on the platform behind this flag. A dynamic import() of a
  // built name (`import('c/' + name)`) is the platform's dynamic components, which package builds accept
  // (navikt/crm-shared-timeline): the compiler's strict default would refuse it.
  return {
    name: bundleName, namespace: 'c', apiVersion, ...TEMPLATE_FEATURES, enablePrivateMethods: true,
    dynamicImports: { strictSpecifier: false },
  };
}

function bundleApiVersion(bundleName: string, files: Map<string, Buffer>): number | undefined {
  const meta = [...files].find(([name]) => name.endsWith(`/${bundleName}.js-meta.xml`) || name === `${bundleName}.js-meta.xml`)?.[1];
  const declared = meta && /<apiVersion>\s*(\d+)(?:\.\d*)?\s*<\/apiVersion>/.exec(meta.toString('utf8'));
  return declared ? Number(declared[1]) : undefined; // none: the compiler takes its newest
}

function asDiagnostic(error: unknown): CompilerDiagnostic {
  const thrown = error as Partial<CompilerDiagnostic> & { message?: unknown };
  return {
    code: typeof thrown.code === 'number' ? thrown.code : 1001, // the compiler's "Unexpected compilation error"
    message: typeof thrown.message === 'string' ? thrown.message : String(error),
    level: typeof thrown.level === 'number' ? thrown.level : 1,
    location: thrown.location,
  };
}

// ---- wording of compiler diagnostics ---------------------------------------------------------------

/** LWC1007 is the compiler's code for an error Babel raised on its own, which for valid LWC input means a syntax error. */
const BABEL_ERROR_CODE = 1007;

function compilerProblem(fileName: string, diagnostic: CompilerDiagnostic, nameInMessages: string): LwcProblem {
  const where = diagnostic.location;
  // The org puts an LWC diagnostic's place in its words (`[Line: 4, Col: 15] LWC1075: Multiple roots found`), not in
  // lineNumber and columnNumber; as the compiler locates it: 1-based columns from the template and style compilers,
  // Babel's 0-based column for scripts, which the org passes on unchanged too.
  const located = where && Number.isInteger(where.line) && where.line > 0 && Number.isInteger(where.column) && where.column >= 0;
  const words = orgWording(diagnostic, nameInMessages);
  return { fileName, problem: located ? `[Line: ${where.line}, Col: ${where.column}] ${words}` : words };
}

function orgWording(diagnostic: CompilerDiagnostic, nameInMessages: string): string {
  const fileMention = new RegExp(`${escapeRegExp(nameInMessages)}(?::\\d+:\\d+)?: `, 'g');
  const text = diagnostic.message
    .split('\n')[0] // Babel appends a code frame
    .replace(/^\w*Error: /, '') // "SyntaxError: ", "CssSyntaxError: "
    .replace(fileMention, '');
  const ownCode = /^LWC(\d+): /.exec(text);
  const code = ownCode ? Number(ownCode[1]) : diagnostic.code;
  const body = ownCode ? text.slice(ownCode[0].length) : text;
  if (code === BABEL_ERROR_CODE && /\(\d+:\d+\)$/.test(body)) return `LWC1503: Parsing error: ${body}`;
  return `LWC${code}: ${body.replace(/\. For more information, please visit https:\/\/html\.spec\.whatwg\.org\/\S+$/, '.')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot).toLowerCase();
}

// ---- references ------------------------------------------------------------------------------------

/** Module specifiers of the compiled code's static imports and re-exports; dynamic import() is left to the runtime. */
function importedModules(code: string): string[] {
  let program: AcornProgram;
  try {
    program = lwcCompiler().parseModule(code);
  } catch {
    return []; // compiled code the parser cannot read: nothing provable, so nothing refused
  }
  return program.body.flatMap((node) => (
    (node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration')
      && typeof node.source?.value === 'string' ? [node.source.value] : []));
}

/** `@salesforce/apex/Class.method`; `ns.Class.method` belongs to an installed package and is never asked about. */
function apexActionProblem(target: string, { resolve }: ReferenceSite): string | undefined {
  const parts = target.split('.');
  if (parts.length !== 2 || resolve.apexClass(parts[0])) return undefined;
  return `Unable to find Apex action class referenced as '${parts[0]}'.`;
}

/** `@salesforce/label/c.Name`; another namespace's labels come with its package. */
function labelProblem(target: string, { resolve, fileBase }: ReferenceSite): string | undefined {
  if (!target.startsWith('c.') || resolve.customLabel(target.slice(2))) return undefined;
  return `Invalid reference ${target} of type label in file ${fileBase}`;
}

/**
 * `@salesforce/schema/Object`, `Object.Field`, or a relationship path `Object.Relationship__r.Field`. Only the org's
 * own custom names are asked about; a path is checked no further than its object, as relationship names are not
 * field names the resolver knows. A field reference with a missing object is refused as the field reference.
 */
function schemaProblem(target: string, { resolve, fileBase }: ReferenceSite): string | undefined {
  const [object, ...path] = target.split('.');
  const objectMissing = isLocalCustomName(object) && !resolve.sobject(object);
  // A field of an object no deploy makes (Data Cloud's `__dlm`, `__dll`) is not looked for.
  const deployable = !object!.includes('__') || isLocalCustomName(object);
  const fieldMissing = !objectMissing && deployable && path.length === 1 && isLocalCustomName(path[0]) && !resolve.field(object!, path[0]!);
  if (!objectMissing && !fieldMissing) return undefined;
  return `Invalid reference ${target} of type ${path.length === 0 ? 'sobjectClass' : 'sobjectField'} in file ${fileBase}`;
}

/**
 * `c/name`, from a script import or a template's `<c-name>` (the template compiler turns `c-my-thing` into
 * `c/myThing` and keeps underscores, `c-my_thing` → `c/my_thing`, as the platform resolves it). A bundle may import itself.
 */
function componentProblem(target: string, { resolve, bundleName }: ReferenceSite): string | undefined {
  if (target.toLowerCase() === bundleName.toLowerCase() || resolve.component(target)) return undefined;
  return `No MODULE named markup://c:${target} found : [markup://c:${bundleName}]`;
}

/**
 * A custom object or field of the org's own: one of these suffixes and no namespace, which would add a second `__`
 * (`ns__Obj__c` comes with an installed package; geolocation parts like `Loc__Latitude__s` are standard-shaped).
 */
function isLocalCustomName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*__(?:c|mdt|e|x|b)$/i.test(name) && name.split('__').length === 2;
}

// ---- the compiler, loaded on first use ---------------------------------------------------------------

interface AcornProgram { body: Array<{ type: string; source?: { value?: unknown } | null }> }

type TransformOptions = import('@lwc/compiler').TransformOptions;
type TemplateOptions = import('@lwc/template-compiler').Config;

interface LwcCompiler {
  transformSync: typeof import('@lwc/compiler').transformSync;
  compileTemplate: typeof import('@lwc/template-compiler').compile;
  parseModule(code: string): AcornProgram;
}

let loaded: LwcCompiler | undefined;

/**
 * Loaded on the first bundle, so a server whose deploys carry no LWC never pays for it. The @lwc packages ship ES
 * modules behind `main`, which Node (20.19 and later) requires synchronously. Acorn, the template compiler's own
 * parser, reads the compiled code's imports.
 */
function lwcCompiler(): LwcCompiler {
  if (!loaded) {
    const compiler = require('@lwc/compiler') as typeof import('@lwc/compiler');
    const templateCompiler = require('@lwc/template-compiler') as typeof import('@lwc/template-compiler');
    const acorn = createRequire(require.resolve('@lwc/template-compiler/package.json'))('acorn') as {
      parse(code: string, options: { ecmaVersion: 'latest'; sourceType: 'module' }): AcornProgram;
    };
    loaded = {
      transformSync: compiler.transformSync,
      compileTemplate: templateCompiler.compile,
      parseModule: (code) => acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' }),
    };
  }
  return loaded;
}
