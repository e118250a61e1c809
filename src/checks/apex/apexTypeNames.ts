import { ApexLexer } from '@apexdevtools/apex-parser';
import { codeTokens, isWord, type CodeToken } from './apexTokens';
import type { ApexTypeUse } from './apexTypeReferences';

/*
 * The Apex types (classes, interfaces, enums, the platform's types) a class or trigger names by a bare name, read
 * from the lexer's tokens at the places where only a type can stand. A name is taken where the grammar leaves no
 * doubt, and left alone where it could be a variable or a static access (`X.m()`, a cast, `a < b`): a missed
 * check is better than a false refusal. Names holding `__` are custom objects, which apexTypeReferences.ts reads;
 * qualified names (`Database.Batchable`, `ns.Type`, `Outer.Inner`) are left alone, a managed package's
 * namespace being unknown here.
 */

/** After these a bare name is a type: `new X(`, `extends X`, `implements X, Y`, `instanceof X`. */
const TYPE_AFTER = new Set([ApexLexer.NEW, ApexLexer.EXTENDS, ApexLexer.IMPLEMENTS, ApexLexer.INSTANCEOF]);
/** What may follow the variable of a declaration `X x`: `=`, `;`, `,`, `:` (for each), `)` (a parameter), `(` (a method), `{` (a property, a `when` clause). */
const AFTER_DECLARED = new Set([ApexLexer.ASSIGN, ApexLexer.SEMI, ApexLexer.COMMA, ApexLexer.COLON, ApexLexer.RPAREN, ApexLexer.LPAREN, ApexLexer.LBRACE]);
const DML = [ApexLexer.MERGE, ApexLexer.UPSERT, ApexLexer.INSERT, ApexLexer.UPDATE, ApexLexer.DELETE, ApexLexer.UNDELETE];
/** `merge a b;`, `upsert rows key;` and `@Annotation Constructor(` put two names side by side without declaring; after a dot a name is a member. */
const NOT_DECLARING_AFTER = new Set([ApexLexer.DOT, ApexLexer.QUESTIONDOT, ...DML, ApexLexer.NEW, ApexLexer.ATSIGN]);
const DML_STATEMENT = new Set(DML);
/** Generic types whose arguments are types: `List<X>`, `Set<X>`, `Map<K, V>`. */
const GENERIC = new Set([ApexLexer.LIST, ApexLexer.SET, ApexLexer.MAP]);
/** What may follow a type argument: the next one, the end of the list, an array's brackets, a nested list. */
const AFTER_ARGUMENT = new Set([ApexLexer.COMMA, ApexLexer.GT, ApexLexer.LBRACK, ApexLexer.LT]);
/** After these a name is the type being declared. */
const DECLARING = new Set([ApexLexer.CLASS, ApexLexer.INTERFACE, ApexLexer.ENUM]);

const bare = (tokens: CodeToken[], i: number) => {
  const t = tokens[i];
  return !!t && !t.inQuery && t.type === ApexLexer.Identifier && !t.text.includes('__')
    && tokens[i - 1]?.type !== ApexLexer.DOT && tokens[i + 1]?.type !== ApexLexer.DOT;
};

/** Whether token i names a type: declared with (`X x =`, `X[] xs;`), made, extended, implemented, tested, or a type argument. */
function standsForType(tokens: CodeToken[], i: number, inTypeArguments: boolean): boolean {
  if (!bare(tokens, i)) return false;
  const before = tokens[i - 1]?.type ?? -1;
  if (TYPE_AFTER.has(before)) return true;
  if (before === ApexLexer.COMMA && isInImplementsList(tokens, i)) return true;
  if (inTypeArguments) return (before === ApexLexer.LT || before === ApexLexer.COMMA) && AFTER_ARGUMENT.has(tokens[i + 1]?.type ?? -1);
  if (NOT_DECLARING_AFTER.has(before) || isUserModeDml(tokens, i)) return false;
  let next = i + 1;
  while (tokens[next]?.type === ApexLexer.LBRACK && tokens[next + 1]?.type === ApexLexer.RBRACK) next += 2;
  return isWord(tokens[next]) && AFTER_DECLARED.has(tokens[next + 1]?.type ?? -1);
}

/** `upsert as user records Name;`: the records of a DML statement run in user or system mode, not a declaration. */
function isUserModeDml(tokens: CodeToken[], i: number): boolean {
  const mode = tokens[i - 1]?.type;
  return (mode === ApexLexer.USER || mode === ApexLexer.SYSTEM) && tokens[i - 2]?.type === ApexLexer.AS && DML_STATEMENT.has(tokens[i - 3]?.type ?? -1);
}

/** `implements A, B, C {`: walks back over names and commas to the keyword. */
function isInImplementsList(tokens: CodeToken[], i: number): boolean {
  for (let j = i - 1; j >= 0; j -= 2) {
    if (tokens[j]!.type !== ApexLexer.COMMA) return tokens[j]!.type === ApexLexer.IMPLEMENTS;
    if (tokens[j - 1]?.type !== ApexLexer.Identifier) return false;
  }
  return false;
}

/** The indexes of the tokens that stand for a type by a bare name (the types declared excepted). */
export function typeTokenIndexes(tokens: CodeToken[]): number[] {
  const found: number[] = [];
  const argumentDepths: number[] = []; // nesting of `<` opened by List, Set and Map
  let depth = 0;
  tokens.forEach((token, i) => {
    if (token.type === ApexLexer.LT) {
      depth++;
      if (GENERIC.has(tokens[i - 1]?.type ?? -1) || argumentDepths.length) argumentDepths.push(depth);
    } else if (token.type === ApexLexer.GT) {
      if (argumentDepths[argumentDepths.length - 1] === depth) argumentDepths.pop();
      depth = Math.max(0, depth - 1);
    } else if (token.type === ApexLexer.SEMI || token.type === ApexLexer.LBRACE || token.type === ApexLexer.LPAREN) {
      argumentDepths.length = 0; // a `<` that was a comparison never closes
      depth = 0;
    }
    if (standsForType(tokens, i, argumentDepths.length > 0) && !DECLARING.has(tokens[i - 1]?.type ?? -1)) found.push(i);
  });
  return found;
}

/** The bare type names a class or trigger uses, once each, where first used. */
export function typeNamesUsed(source: string): ApexTypeUse[] {
  const tokens = codeTokens(source);
  const used = new Map<string, ApexTypeUse>();
  for (const i of typeTokenIndexes(tokens)) {
    const token = tokens[i]!;
    const key = token.text.toLowerCase();
    if (!used.has(key)) used.set(key, { name: token.text, lineNumber: token.line, columnNumber: token.column });
  }
  return [...used.values()];
}

/**
 * The types a source declares, its own and those nested in it (`class X`, `interface Y`, `enum Z`): any word, as
 * some names the lexer reads as keywords (`class Network`, NebulaLogger's).
 */
export function typesDeclared(source: string): string[] {
  const tokens = codeTokens(source);
  return tokens.filter((t, i) => DECLARING.has(tokens[i - 1]?.type ?? -1) && isWord(t)).map((t) => t.text);
}
