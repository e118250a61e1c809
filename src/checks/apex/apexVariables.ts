import { ApexLexer } from '@apexdevtools/apex-parser';
import { isPlatformType } from './apexLibrary';
import { codeTokens, isName, isWord, type CodeToken } from './apexTokens';
import { typeTokenIndexes, typesDeclared } from './apexTypeNames';
import type { ApexTypeUse } from './apexTypeReferences';

/*
 * The names an Apex class or trigger uses as values (`return totl;`, `add(itme)`) that it declares nowhere: the
 * deploy check resolves them against inherited fields, the platform and the org, and refuses the rest as real
 * orgs do (`Variable does not exist: totl`). Scopes are not followed: a name declared anywhere in the file
 * counts as declared everywhere in it, which refuses less than the compiler, never more. A name that may be
 * a managed package's namespace is left alone (below), as are calls, members, queries, annotations' arguments,
 * `when` values and the fields set by name in `new Account(Name = 'x')`.
 */

/** A declared name's next token: `=`, `;`, `,`, `:` (for each), `)` (a parameter), `{` (a property, a `when` clause). */
const AFTER_DECLARED = new Set([ApexLexer.ASSIGN, ApexLexer.SEMI, ApexLexer.COMMA, ApexLexer.COLON, ApexLexer.RPAREN, ApexLexer.LBRACE]);
/**
 * Whether token i can end a type before a declared name: `Integer n`, `List<Integer> ns`, `Integer[] ns`, any name
 * the lexer reads as a keyword that the grammar takes as a name (`User u`, `GeoLocation g`, a class of the file or
 * the org), and any word after a dot (`Outer.Rollup r`).
 */
function endsType(tokens: CodeToken[], i: number): boolean {
  const t = tokens[i];
  if (!t) return false;
  if (t.type === ApexLexer.GT || t.type === ApexLexer.RBRACK || isName(t)) return true;
  return isWord(t) && (isPlatformType(t.text) || tokens[i - 1]?.type === ApexLexer.DOT);
}
/** After these a name is a member, an annotation, or a declared or extended type, not a value. */
const NOT_A_VALUE_AFTER = new Set([ApexLexer.DOT, ApexLexer.QUESTIONDOT, ApexLexer.ATSIGN, ApexLexer.CLASS, ApexLexer.INTERFACE,
  ApexLexer.ENUM, ApexLexer.EXTENDS, ApexLexer.IMPLEMENTS, ApexLexer.NEW, ApexLexer.INSTANCEOF, ApexLexer.TRIGGER, ApexLexer.ON]);
/** Before these a name is a method called, or a generic type. */
const NOT_A_VALUE_BEFORE = new Set([ApexLexer.LPAREN, ApexLexer.LT]);

/**
 * `a.b.c`: `a` may be a managed package's namespace (`npsp.Util.run()`), which is unknown here. With one dot
 * (`a.b = 1`, `a.b()`), or `?.`, `a` is a variable or a type: a namespace alone names neither a value nor a method.
 */
const mayBeNamespace = (tokens: CodeToken[], i: number) =>
  tokens[i + 1]?.type === ApexLexer.DOT && tokens[i + 3]?.type === ApexLexer.DOT;
/** What may start the operand of a cast: `(ns.Type) value`, `(ns.Type) (x)`, `(ns.Type) new …`, `(ns.Type) 'text'`. */
const CAST_OPERAND = new Set([ApexLexer.LPAREN, ApexLexer.NEW, ApexLexer.StringLiteral, ApexLexer.THIS, ApexLexer.NULL]);

/**
 * `ns.Type x` (a declaration, a parameter, a catch clause's exception, a method's return type: `ns.Type run(`),
 * `List<ns.Type>` or a cast `(ns.Type) x`: `ns` starts a qualified type, a namespace (a managed package's, such as
 * CPQB2BConnector's `ccrz`, or the org's own: FluentAssert's `catch (Fluent.AssertException e)`) or an outer class,
 * not a value. Two words in a row are a declaration in Apex, never an expression.
 */
function startsQualifiedType(tokens: CodeToken[], i: number): boolean {
  let j = i;
  while (tokens[j + 1]?.type === ApexLexer.DOT && isWord(tokens[j + 2])) j += 2;
  if (j === i) return false;
  let next = j + 1;
  while (tokens[next]?.type === ApexLexer.LBRACK && tokens[next + 1]?.type === ApexLexer.RBRACK) next += 2;
  const before = tokens[i - 1]?.type;
  if (tokens[next]?.type === ApexLexer.GT && (before === ApexLexer.LT || before === ApexLexer.COMMA)) return true; // a type argument
  if (before === ApexLexer.LPAREN && tokens[next]?.type === ApexLexer.RPAREN) {
    const operand = tokens[next + 1];
    return !!operand && (isWord(operand) || CAST_OPERAND.has(operand.type));
  }
  return isWord(tokens[next]) && (AFTER_DECLARED.has(tokens[next + 1]?.type ?? -1) || tokens[next + 1]?.type === ApexLexer.LPAREN);
}

/** Names the language declares: a property setter's argument. */
const IMPLICIT = ['value'];

export interface ApexVariables {
  /** Names used as values that the file declares nowhere, once each, where first used. */
  undeclared: ApexTypeUse[];
  /** The fields, variables, parameters and enum values the file declares (lower case), which a subclass inherits. */
  declared: string[];
  /** The types its classes extend, as written (`Base`, `ns.Base`). */
  extended: string[];
}

/** Marks the tokens of annotations' arguments, `when` clauses' values and enum bodies: no value is used there. */
function skippedRanges(tokens: CodeToken[]): boolean[] {
  const skipped = new Array<boolean>(tokens.length).fill(false);
  const skipUntil = (from: number, open: number, close: number) => {
    let depth = 0;
    for (let j = from; j < tokens.length; j++) {
      skipped[j] = true;
      if (tokens[j]!.type === open) depth++;
      else if (tokens[j]!.type === close && --depth <= 0) return;
    }
  };
  tokens.forEach((t, i) => {
    if (t.type === ApexLexer.ATSIGN && tokens[i + 2]?.type === ApexLexer.LPAREN) skipUntil(i + 2, ApexLexer.LPAREN, ApexLexer.RPAREN);
    else if (t.type === ApexLexer.WHEN) {
      for (let j = i; j < tokens.length && tokens[j]!.type !== ApexLexer.LBRACE; j++) skipped[j] = true;
    } else if (t.type === ApexLexer.ENUM && tokens[i + 2]?.type === ApexLexer.LBRACE) skipUntil(i + 2, ApexLexer.LBRACE, ApexLexer.RBRACE);
  });
  return skipped;
}

/** The names a class or trigger declares, those it uses as values without declaring them, and what it extends. */
export function apexVariables(source: string): ApexVariables {
  const tokens = codeTokens(source);
  const skipped = skippedRanges(tokens);
  const declaredAt = new Set<number>();
  const declared = new Set(IMPLICIT);
  tokens.forEach((t, i) => {
    const enumValue = skipped[i] && tokens[i - 1] && (tokens[i - 1]!.type === ApexLexer.LBRACE || tokens[i - 1]!.type === ApexLexer.COMMA);
    const declaration = endsType(tokens, i - 1) && AFTER_DECLARED.has(tokens[i + 1]?.type ?? -1);
    if (t.inQuery || !isWord(t) || !(declaration || enumValue)) return;
    const declare = (j: number) => { declaredAt.add(j); declared.add(tokens[j]!.text.toLowerCase()); };
    declare(i);
    if (declaration) moreDeclaredAfter(tokens, i).forEach(declare);
  });
  for (const type of typesDeclared(source)) declared.add(type.toLowerCase());
  const types = new Set(typeTokenIndexes(tokens));
  const undeclared = new Map<string, ApexTypeUse>();
  tokens.forEach((t, i) => {
    if (t.type !== ApexLexer.Identifier || t.inQuery || skipped[i] || declaredAt.has(i) || types.has(i) || t.text.includes('__')) return;
    const [before, after] = [tokens[i - 1]?.type ?? -1, tokens[i + 1]?.type ?? -1];
    if (NOT_A_VALUE_AFTER.has(before) || NOT_A_VALUE_BEFORE.has(after) || mayBeNamespace(tokens, i) || startsQualifiedType(tokens, i)) return;
    // A field set by name in a constructor's arguments: `new Account(Name = 'x', Industry = y)`.
    if (after === ApexLexer.ASSIGN && (before === ApexLexer.LPAREN || before === ApexLexer.COMMA)) return;
    const key = t.text.toLowerCase();
    if (!declared.has(key) && !undeclared.has(key)) undeclared.set(key, { name: t.text, lineNumber: t.line, columnNumber: t.column });
  });
  const extended = tokens.flatMap((t, i) => (t.type === ApexLexer.EXTENDS ? [qualifiedNameAt(tokens, i + 1)] : []));
  return { undeclared: [...undeclared.values()], declared: [...declared], extended };
}

const OPENING = new Set([ApexLexer.LPAREN, ApexLexer.LBRACE, ApexLexer.LBRACK]);
const CLOSING = new Set([ApexLexer.RPAREN, ApexLexer.RBRACE, ApexLexer.RBRACK]);

/** The names declared after the first in one statement, `String key, where = '', rest;`: at its top level, after a comma. */
function moreDeclaredAfter(tokens: CodeToken[], first: number): number[] {
  const more: number[] = [];
  let depth = 0;
  for (let j = first + 1; j < tokens.length; j++) {
    const type = tokens[j]!.type;
    if (OPENING.has(type)) depth++;
    else if (CLOSING.has(type) && --depth < 0) break; // a parameter list ends
    else if (depth === 0 && type === ApexLexer.SEMI) break;
    else if (depth === 0 && type === ApexLexer.COMMA && isWord(tokens[j + 1])
      && [ApexLexer.ASSIGN, ApexLexer.SEMI, ApexLexer.COMMA].includes(tokens[j + 2]?.type ?? -1)) more.push(j + 1);
  }
  return more;
}

/** `a.b.c` from token i on. */
function qualifiedNameAt(tokens: CodeToken[], i: number): string {
  let name = tokens[i]?.text ?? '';
  while (tokens[i + 1]?.type === ApexLexer.DOT && tokens[i + 2]) { name += `.${tokens[i + 2]!.text}`; i += 2; }
  return name;
}
