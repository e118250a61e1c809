/*
 * Localforce runs no Apex. When a deploy or a test run runs tests, each test method's outcome comes
 * from this declared policy instead: a default outcome, with per-class overrides; and the coverage a
 * test run reports, a declared percentage per class or trigger, with a default. Class names match
 * case-insensitively, as Apex names do.
 */

import { DEFAULT_COVERAGE, type DeclaredCoverage, type TestOutcome, type TestOutcomePolicy } from '../../model/testOutcomePolicy';

export type { DeclaredCoverage, TestOutcome, TestOutcomePolicy };

const OUTCOMES: readonly TestOutcome[] = ['pass', 'fail'];
const CLASS_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const SYNTAX = 'expected a comma-separated list such as "pass", "fail", "fail:MyTest,OtherTest" or "pass,fail:BrokerTest"';

/**
 * Parses a start option value. Comma-separated entries: a bare `pass` or `fail` sets the
 * default (once); `fail:Name` or `pass:Name` sets that outcome for class Name and opens a list
 * that the following bare class names join (`fail:A,B` fails A and B). The default is `pass`
 * when no bare word is given.
 */
export function parseTestOutcomePolicy(text: string): TestOutcomePolicy {
  const problem = (detail: string): Error => new Error(`Invalid test outcome policy "${text}": ${detail}; ${SYNTAX}.`);
  if (text.trim() === '') throw problem('it is empty');

  let defaultOutcome: TestOutcome | undefined;
  let listOutcome: TestOutcome | undefined;
  const classes: Record<string, TestOutcome> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') throw problem('it has an empty entry');
    const colon = entry.indexOf(':');
    let className: string;
    if (colon >= 0) {
      const word = entry.slice(0, colon).trim().toLowerCase();
      if (!isOutcome(word)) throw problem(`"${entry.slice(0, colon).trim()}" is not an outcome (use pass or fail)`);
      listOutcome = word;
      className = entry.slice(colon + 1).trim();
      if (className === '') throw problem(`"${entry}" names no class`);
    } else if (isOutcome(entry.toLowerCase())) {
      const word = entry.toLowerCase() as TestOutcome;
      if (defaultOutcome !== undefined && defaultOutcome !== word) {
        throw problem(`it sets the default outcome twice (${defaultOutcome} and ${word})`);
      }
      defaultOutcome = word;
      listOutcome = undefined;
      continue;
    } else if (listOutcome === undefined) {
      throw problem(`"${entry}" is neither an outcome nor preceded by "pass:" or "fail:"`);
    } else {
      className = entry;
    }
    if (!CLASS_NAME.test(className)) throw problem(`"${className}" is not an Apex class name`);
    addClass(classes, className, listOutcome, problem);
  }
  return { default: defaultOutcome ?? 'pass', classes };
}

/** The outcome of every test method of `className` under `policy`. */
export function outcomeFor(policy: TestOutcomePolicy, className: string): TestOutcome {
  const wanted = className.toLowerCase();
  for (const [name, outcome] of Object.entries(policy.classes)) {
    if (name.toLowerCase() === wanted) return outcome;
  }
  return policy.default;
}

/** The declared coverage, in percent, of the class or trigger `name` under `policy`. */
export function coverageFor(policy: TestOutcomePolicy, name: string): number {
  const wanted = name.toLowerCase();
  const coverage = policy.coverage;
  for (const [declared, percent] of Object.entries(coverage?.classes ?? {})) {
    if (declared.toLowerCase() === wanted) return percent;
  }
  return coverage?.default ?? DEFAULT_COVERAGE;
}

/**
 * Validates a policy given as JSON (the admin API's body):
 * `{ "default": "pass"|"fail", "classes": { "Name": "pass"|"fail", ... }, "coverage": { "default": 0-100,
 * "classes": { "Name": 0-100 } } }`; `classes` and `coverage` (and each of its keys) may be left out.
 * Returns a fresh copy.
 */
export function policyFromJson(value: unknown): TestOutcomePolicy {
  const problem = (detail: string): Error =>
    new Error(`Invalid test outcome policy: ${detail}; expected {"default": "pass"|"fail", "classes": {"ClassName": "pass"|"fail"}, ` +
      '"coverage": {"default": 0-100, "classes": {"ClassName": 0-100}}}.');
  if (!isPlainObject(value)) throw problem('it is not a JSON object');
  const unknown = Object.keys(value).filter((k) => k !== 'default' && k !== 'classes' && k !== 'coverage');
  if (unknown.length > 0) throw problem(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (!isOutcome(value.default)) throw problem(`"default" must be "pass" or "fail", not ${JSON.stringify(value.default) ?? 'missing'}`);
  const classes: Record<string, TestOutcome> = {};
  if (value.classes !== undefined) {
    if (!isPlainObject(value.classes)) throw problem('"classes" must be an object');
    for (const [name, outcome] of Object.entries(value.classes)) {
      if (!CLASS_NAME.test(name)) throw problem(`"${name}" is not an Apex class name`);
      if (!isOutcome(outcome)) throw problem(`the outcome of class ${name} must be "pass" or "fail", not ${JSON.stringify(outcome)}`);
      addClass(classes, name, outcome, problem);
    }
  }
  if (value.coverage === undefined) return { default: value.default, classes };
  return { default: value.default, classes, coverage: coverageFromJson(value.coverage, problem) };
}

function coverageFromJson(value: unknown, problem: (detail: string) => Error): DeclaredCoverage {
  if (!isPlainObject(value)) throw problem('"coverage" must be an object');
  const unknown = Object.keys(value).filter((k) => k !== 'default' && k !== 'classes');
  if (unknown.length > 0) throw problem(`unknown field ${unknown.map((k) => `"coverage.${k}"`).join(', ')}`);
  if (value.default !== undefined && !isPercent(value.default)) {
    throw problem(`"coverage.default" must be a number from 0 to 100, not ${JSON.stringify(value.default)}`);
  }
  const classes: Record<string, number> = {};
  if (value.classes !== undefined) {
    if (!isPlainObject(value.classes)) throw problem('"coverage.classes" must be an object');
    for (const [name, percent] of Object.entries(value.classes)) {
      if (!CLASS_NAME.test(name)) throw problem(`"${name}" is not an Apex class or trigger name`);
      if (!isPercent(percent)) throw problem(`the coverage of ${name} must be a number from 0 to 100, not ${JSON.stringify(percent)}`);
      if (Object.keys(classes).some((k) => k.toLowerCase() === name.toLowerCase())) throw problem(`the coverage of ${name} is given twice`);
      classes[name] = percent;
    }
  }
  return { default: value.default ?? DEFAULT_COVERAGE, classes };
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}

function addClass(
  classes: Record<string, TestOutcome>, name: string, outcome: TestOutcome, problem: (detail: string) => Error,
): void {
  const existing = Object.keys(classes).find((k) => k.toLowerCase() === name.toLowerCase());
  if (existing === undefined) {
    classes[name] = outcome;
  } else if (classes[existing] !== outcome) {
    throw problem(`class ${name} is given both outcomes`);
  }
}

function isOutcome(value: unknown): value is TestOutcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
