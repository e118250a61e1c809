/*
 * The body of the Tooling API's runTestsAsynchronous and runTestsSynchronous, read into one shape. The sf
 * CLI sends `tests` (classes by name or id, with their methods), `suiteNames`, or a `testLevel` alone;
 * the older `classids`, `classNames` and `suiteids` lists (comma-separated) are read as well.
 */

export type RunTestLevel = 'RunSpecifiedTests' | 'RunLocalTests' | 'RunAllTestsInOrg';

/** One class asked for, by name or by id; `methods` undefined runs all its test methods. */
export interface RequestedClass {
  className?: string;
  classId?: string;
  methods?: string[];
}

export interface RunRequest {
  testLevel: RunTestLevel;
  classes: RequestedClass[];
  suites: { name?: string; id?: string }[];
  skipCodeCoverage: boolean;
}

export type RunRequestAnswer = { ok: true; request: RunRequest } | { ok: false; errorCode: string; message: string };

const LEVELS: readonly RunTestLevel[] = ['RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'];
const FIELDS = ['tests', 'classids', 'classNames', 'suiteids', 'suiteNames', 'testLevel', 'skipCodeCoverage', 'maxFailedTests', 'category'];
const TEST_FIELDS = ['className', 'classId', 'testMethods', 'namespace'];

/** The real service's words when nothing says what to run (the sf CLI recognises them: "There are no Apex tests to run"). */
export const NOTHING_TO_RUN = 'Always provide a classes, suites, tests, or testLevel property';

const refused = (message: string, errorCode = 'INVALID_INPUT'): RunRequestAnswer => ({ ok: false, errorCode, message });

/** A comma-separated list, or an array of names: the names, trimmed, empty ones left out. */
function names(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((n) => n.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((n) => n.trim()).filter(Boolean);
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseRunRequest(body: unknown): RunRequestAnswer {
  if (!isObject(body)) return refused('The request body must be a JSON object', 'JSON_PARSER_ERROR');
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length) {
    return refused(`Unrecognized field ${unknown.map((k) => `"${k}"`).join(', ')}: Localforce reads ${FIELDS.join(', ')}`, 'JSON_PARSER_ERROR');
  }
  const classes: RequestedClass[] = [];
  if (body.tests !== undefined) {
    if (!Array.isArray(body.tests)) return refused('"tests" must be an array of {className or classId, testMethods}', 'JSON_PARSER_ERROR');
    for (const test of body.tests) {
      if (!isObject(test)) return refused('Each entry of "tests" must be an object with className or classId', 'JSON_PARSER_ERROR');
      const extra = Object.keys(test).filter((k) => !TEST_FIELDS.includes(k));
      if (extra.length) return refused(`Unrecognized field ${extra.map((k) => `"${k}"`).join(', ')} in "tests": Localforce reads ${TEST_FIELDS.join(', ')}`, 'JSON_PARSER_ERROR');
      const { className, classId, testMethods } = test;
      if ((typeof className !== 'string' || !className.trim()) && (typeof classId !== 'string' || !classId.trim())) {
        return refused('Each entry of "tests" needs a className or a classId');
      }
      const methods = testMethods === undefined ? undefined : names(testMethods);
      if (testMethods !== undefined && (methods === undefined || methods.length === 0)) return refused('"testMethods" must be a non-empty array of method names');
      classes.push({
        ...(typeof className === 'string' && className.trim() ? { className: className.trim() } : { classId: (classId as string).trim() }),
        ...(methods ? { methods } : {}),
      });
    }
  }
  for (const [field, key] of [['classNames', 'className'], ['classids', 'classId']] as const) {
    if (body[field] === undefined) continue;
    const list = names(body[field]);
    if (!list) return refused(`"${field}" must be a comma-separated list`, 'JSON_PARSER_ERROR');
    for (const name of list) classes.push({ [key]: name });
  }
  const suites: RunRequest['suites'] = [];
  for (const [field, key] of [['suiteNames', 'name'], ['suiteids', 'id']] as const) {
    if (body[field] === undefined) continue;
    const list = names(body[field]);
    if (!list) return refused(`"${field}" must be a comma-separated list`, 'JSON_PARSER_ERROR');
    for (const name of list) suites.push({ [key]: name });
  }
  if (body.skipCodeCoverage !== undefined && typeof body.skipCodeCoverage !== 'boolean') return refused('"skipCodeCoverage" must be true or false', 'JSON_PARSER_ERROR');
  if (body.maxFailedTests !== undefined && !Number.isInteger(body.maxFailedTests)) return refused('"maxFailedTests" must be a whole number', 'JSON_PARSER_ERROR');

  if (body.category !== undefined) {
    const categories = names(body.category);
    if (!categories) return refused('"category" must be an array of Apex or Flow', 'JSON_PARSER_ERROR');
    // An org of Localforce has Apex tests only: a run of Flow tests alone finds none.
    if (categories.length && !categories.some((c) => c.toLowerCase() === 'apex')) return refused(`No tests found for category: ${categories.join(', ')}`);
  }
  const specified = classes.length > 0 || suites.length > 0;
  const level = body.testLevel;
  if (level !== undefined && (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level))) {
    return refused(`Invalid testLevel: ${JSON.stringify(level)}. A test run takes ${LEVELS.join(', ')}`);
  }
  if (!specified && (level === undefined || level === 'RunSpecifiedTests')) return refused(NOTHING_TO_RUN);
  if (specified && level !== undefined && level !== 'RunSpecifiedTests') {
    // Localforce's words: a level that picks the tests itself cannot also be given tests.
    return refused(`The testLevel ${level} runs the org's own tests: leave out tests, classes and suites, or use RunSpecifiedTests`);
  }
  return {
    ok: true,
    request: { testLevel: (level as RunTestLevel | undefined) ?? 'RunSpecifiedTests', classes, suites, skipCodeCoverage: body.skipCodeCoverage === true },
  };
}
