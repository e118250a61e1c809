import { ApexLexer } from '@apexdevtools/apex-parser';
import { ENUM_METHODS, OBJECT_METHODS } from './apexLibrary';
import { codeTokens, isWord, type CodeToken } from './apexTokens';

/*
 * The members a class or trigger reaches on a class by its bare name (`ThingService.count(5)`, `ThingService.LIMIT`)
 * or on a variable the file gives a class's type (`service.refresh(true)`, `service.total`), read from the lexer's
 * tokens in one scan, and the methods a source declares: the deploy check refuses a call to a method the class does
 * not have, as real orgs word it (`Method does not exist or incorrect signature: void count(Integer) from the type
 * ThingService`), and a member read it declares nowhere (`Variable does not exist: total`). The compiler writes a
 * call's arguments' types; a call is taken only when each argument's type is certain (a literal, or a variable every
 * declaration of the file gives one simple type), and left alone otherwise.
 */

/** A member read (not called) on a class by its bare name, or on a variable the file gives the class's type. */
export interface ApexMemberRead {
  /** The class as written, or the variable's type. */
  type: string;
  /** Read on a variable of the type, rather than on the type itself. */
  onVariable: boolean;
  /** The name the member is read on, as written: the type's, or the variable's. */
  receiver: string;
  member: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ApexStaticCall {
  type: string;
  /** Made on a variable of the type (an instance method), rather than on the type itself. */
  onVariable: boolean;
  /** The name the call is made on, as written: the type's, or the variable's. */
  receiver: string;
  method: string;
  argumentTypes: string[];
  lineNumber: number;
  columnNumber: number;
}

/** The Apex type of a literal argument. */
const LITERAL_TYPES = new Map<number, string>([
  [ApexLexer.StringLiteral, 'String'], [ApexLexer.IntegerLiteral, 'Integer'], [ApexLexer.LongLiteral, 'Long'],
  [ApexLexer.NumberLiteral, 'Decimal'], [ApexLexer.BooleanLiteral, 'Boolean'],
]);
/** What may follow a declared variable: `=`, `;`, `,`, `:` (for each), `)` (a parameter), `{` (a property). */
const AFTER_DECLARED = new Set([ApexLexer.ASSIGN, ApexLexer.SEMI, ApexLexer.COMMA, ApexLexer.COLON, ApexLexer.RPAREN, ApexLexer.LBRACE]);
/** Before these a name is no class called: a member reached, an object made, an annotation. */
const NOT_A_CLASS_AFTER = new Set([ApexLexer.DOT, ApexLexer.QUESTIONDOT, ApexLexer.NEW, ApexLexer.ATSIGN]);

/** After these a name before `(` is another type's method or a constructor called, not one declared here. */
const NOT_DECLARED_AFTER = new Set([ApexLexer.DOT, ApexLexer.QUESTIONDOT, ApexLexer.NEW]);

/** Variables (lower case) that every declaration of the file gives one simple type (`Integer n`), with that type. */
export function simplyTypedVariables(tokens: CodeToken[]): Map<string, string | null> {
  const typed = new Map<string, string | null>();
  tokens.forEach((t, i) => {
    const type = tokens[i - 1];
    if (!isWord(t) || t.inQuery || !type || !AFTER_DECLARED.has(tokens[i + 1]?.type ?? -1)) return;
    if (type.type !== ApexLexer.Identifier && type.type !== ApexLexer.GT && type.type !== ApexLexer.RBRACK) return;
    const simple = type.type === ApexLexer.Identifier && tokens[i - 2]?.type !== ApexLexer.DOT ? type.text : null;
    const name = t.text.toLowerCase();
    typed.set(name, typed.has(name) && typed.get(name)?.toLowerCase() !== simple?.toLowerCase() ? null : simple);
  });
  return typed;
}

/** The arguments' types of the call whose `(` is token `open`, or null when one is not certain. */
function argumentTypes(tokens: CodeToken[], open: number, variables: Map<string, string | null>): string[] | null {
  if (tokens[open + 1]?.type === ApexLexer.RPAREN) return [];
  const types: string[] = [];
  for (let i = open + 1; ; i += 2) {
    const [argument, after] = [tokens[i], tokens[i + 1]];
    if (!argument || (after?.type !== ApexLexer.COMMA && after?.type !== ApexLexer.RPAREN)) return null;
    const type = LITERAL_TYPES.get(argument.type) ?? (isWord(argument) ? variables.get(argument.text.toLowerCase()) : null);
    if (!type) return null;
    types.push(type);
    if (after.type === ApexLexer.RPAREN) return types;
  }
}

/**
 * What token i is when a member is reached on it (`X.m`): a class by its bare name, or a variable, with the type the
 * file gives it (null when not one simple type); undefined when it is neither. A word, not only an identifier: the
 * lexer reads some class names as keywords (`System`).
 */
export function receiverAt(tokens: CodeToken[], i: number, variables: Map<string, string | null>): { type: string | null; onVariable: boolean } | undefined {
  const t = tokens[i]!;
  if (!isWord(t) || t.inQuery || NOT_A_CLASS_AFTER.has(tokens[i - 1]?.type ?? -1)) return undefined;
  const onVariable = variables.has(t.text.toLowerCase());
  return { type: onVariable ? variables.get(t.text.toLowerCase())! : t.text, onVariable };
}

/**
 * The calls and the member reads a class or trigger makes on bare class names and on simply typed variables, each once
 * per type and member, where first made.
 */
export function membersReached(source: string): { calls: ApexStaticCall[]; reads: ApexMemberRead[] } {
  const tokens = codeTokens(source);
  const variables = simplyTypedVariables(tokens);
  const calls = new Map<string, ApexStaticCall>();
  const reads = new Map<string, ApexMemberRead>();
  tokens.forEach((t, i) => {
    const [dot, member, after] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if ((dot?.type !== ApexLexer.DOT && dot?.type !== ApexLexer.QUESTIONDOT) || !isWord(member)) return;
    const isCall = after?.type === ApexLexer.LPAREN;
    // A call with `?.` is left alone, as is `X.class`.
    if (isCall ? dot.type !== ApexLexer.DOT : member!.type === ApexLexer.CLASS) return;
    const receiver = receiverAt(tokens, i, variables);
    if (!receiver?.type) return;
    const { type, onVariable } = receiver;
    const key = `${onVariable}.${type}.${member!.text}`.toLowerCase();
    const at = { lineNumber: member!.line, columnNumber: member!.column };
    if (!isCall) {
      if (!reads.has(key)) reads.set(key, { type, onVariable, receiver: t.text, member: member!.text, ...at });
      return;
    }
    const types = argumentTypes(tokens, i + 3, variables);
    if (types && !calls.has(key)) calls.set(key, { type, onVariable, receiver: t.text, method: member!.text, argumentTypes: types, ...at });
  });
  return { calls: [...calls.values()], reads: [...reads.values()] };
}

/**
 * The methods a source may declare, in any of its classes (lower case): every name before `(` that is not
 * reached with a dot or made with `new`, so calls too, and return types the lexer reads as keywords
 * (`User owner()`) are no obstacle; and the ones every enum and every object has.
 */
export function methodsDeclared(source: string): string[] {
  const tokens = codeTokens(source);
  const names = new Set([...ENUM_METHODS, ...OBJECT_METHODS]);
  tokens.forEach((t, i) => {
    if (tokens[i + 1]?.type === ApexLexer.LPAREN && isWord(t) && !NOT_DECLARED_AFTER.has(tokens[i - 1]?.type ?? -1)) {
      names.add(t.text.toLowerCase());
    }
  });
  return [...names];
}
