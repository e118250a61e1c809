/*
 * Finds the Apex test classes (and their test methods) among an org's Apex classes.
 *
 * Hand-written on purpose: no npm library parses Apex both reliably and lightly (the full
 * grammars are large ANTLR/Java-based parsers), and all that is needed here is the class
 * declaration's annotations and the annotations/modifiers of its direct members. The source is
 * tokenized after comments and string literals are removed, so an `@isTest` inside either
 * never counts.
 */

export interface TestClass {
  /** The class's name as the org knows it (the name passed in, not re-read from the source). */
  name: string;
  /** Test method names in source order. */
  methods: string[];
}

/** Finds the test classes among `classes`; a class with no test method is not one. */
export function findTestClasses(classes: { name: string; body: string }[]): TestClass[] {
  const found: TestClass[] = [];
  for (const apexClass of classes) {
    const methods = testMethodsOf(apexClass.name, apexClass.body);
    if (methods !== undefined && methods.length > 0) found.push({ name: apexClass.name, methods });
  }
  return found;
}

/**
 * The test methods of a class whose top-level declaration is annotated @isTest, in source order;
 * undefined when the source declares no @isTest top-level class.
 */
function testMethodsOf(className: string, body: string): string[] | undefined {
  const tokens = tokenize(stripCommentsAndStrings(body));
  const open = tokens.indexOf('{');
  if (open < 0) return undefined;
  const header = parseHeader(tokens.slice(0, open));
  const classAt = header.rest.findIndex((t) => lower(t) === 'class');
  if (classAt < 0 || !header.annotations.includes('istest')) return undefined;
  const declaredName = header.rest[classAt + 1] ?? className;

  const methods: string[] = [];
  const seen = new Set<string>();
  let i = open + 1;
  let member: string[] = [];
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === '}') break; // end of the top-level class
    if (token === ';') {
      member = [];
      i++;
    } else if (token === '{') {
      // A field initializer's braces (`= new Set<String>{...};`) belong to the member; any
      // other brace opens a body (method, constructor, property, inner type, initializer).
      const end = matchingBrace(tokens, i);
      if (parseHeader(member).rest.includes('=')) {
        member.push('{…}');
      } else {
        const name = testMethodName(member, declaredName);
        if (name !== undefined && !seen.has(lower(name))) {
          seen.add(lower(name));
          methods.push(name);
        }
        member = [];
      }
      i = end + 1;
    } else {
      member.push(token);
      i++;
    }
  }
  return methods;
}

/** The method's name when a member header declares a test method, else undefined. */
function testMethodName(member: string[], className: string): string | undefined {
  const header = parseHeader(member);
  const words = header.rest.map(lower);
  if (words.some((w) => w === 'class' || w === 'interface' || w === 'enum')) return undefined;
  if (words.includes('=')) return undefined;
  const paren = header.rest.indexOf('(');
  if (paren < 1) return undefined; // properties and initializer blocks have no parameter list
  const name = header.rest[paren - 1];
  if (!isIdentifier(name)) return undefined;
  // A constructor: the class's name with no return type before it.
  const before = words[paren - 2];
  if (lower(name) === lower(className) && (before === undefined || MODIFIERS.has(before))) return undefined;
  const isTest = header.annotations.includes('istest') || words.slice(0, paren).includes('testmethod');
  return isTest ? name : undefined;
}

const MODIFIERS = new Set([
  'public', 'private', 'protected', 'global', 'static', 'final', 'abstract', 'virtual', 'override',
  'testmethod', 'webservice', 'transient',
]);

/** Splits leading (and interleaved) annotations, lower-cased, from the other tokens. */
function parseHeader(tokens: string[]): { annotations: string[]; rest: string[] } {
  const annotations: string[] = [];
  const rest: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i] === '@' && i + 1 < tokens.length && isIdentifier(tokens[i + 1])) {
      annotations.push(lower(tokens[i + 1]));
      i += 2;
      if (tokens[i] === '(') i = matchingParen(tokens, i) + 1; // parameters such as (SeeAllData=true)
    } else {
      rest.push(tokens[i]);
      i++;
    }
  }
  return { annotations, rest };
}

function matchingBrace(tokens: string[], open: number): number {
  return matching(tokens, open, '{', '}');
}

function matchingParen(tokens: string[], open: number): number {
  return matching(tokens, open, '(', ')');
}

function matching(tokens: string[], open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i] === opener) depth++;
    else if (tokens[i] === closer && --depth === 0) return i;
  }
  return tokens.length - 1; // unbalanced source: treat the rest as the block
}

/** Replaces `//` and `/* *\/` comments with a space and string literals with `''`. */
function stripCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      out += ' ';
    } else if (c === "'") {
      i++;
      while (i < source.length && source[i] !== "'" && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      i++;
      out += "''";
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function tokenize(source: string): string[] {
  return source.match(/[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|\S/g) ?? [];
}

function isIdentifier(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(token);
}

function lower(s: string): string {
  return s.toLowerCase();
}
