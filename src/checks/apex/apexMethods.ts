import { ApexLexer } from '@apexdevtools/apex-parser';
import { ENUM_METHODS, OBJECT_METHODS } from './apexLibrary';
import { codeTokens, isWord, type CodeToken } from './apexTokens';

/*
 * Static calls on a class by its bare name (`ThingService.count(5)`), read from the lexer's tokens, and the methods
 * a source declares: the deploy check refuses a call to a method the org's class does not declare, as real orgs
 * word it: `Method does not exist or incorrect signature: void count(Integer) from the type ThingService`.
 * The compiler writes the arguments' types; a call is taken only when each argument's type is certain (a literal,
 * or a variable every declaration of the file gives one simple type), and left alone otherwise.
 */

/**
 * A call on a class by its bare name, or on a variable every declaration of the file gives that class's type:
 * the class as written, the method and the position of its name, and the arguments' types.
 */
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

/** The calls a class or trigger makes on bare class names and on simply typed variables, once per class and method, where first made. */
export function staticCallsMade(source: string): ApexStaticCall[] {
  const tokens = codeTokens(source);
  const variables = simplyTypedVariables(tokens);
  const calls = new Map<string, ApexStaticCall>();
  tokens.forEach((t, i) => {
    const [dot, method, open] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (dot?.type !== ApexLexer.DOT || !isWord(method) || open?.type !== ApexLexer.LPAREN) return;
    const receiver = receiverAt(tokens, i, variables);
    if (!receiver?.type) return;
    const { type, onVariable } = receiver;
    const types = argumentTypes(tokens, i + 3, variables);
    const key = `${onVariable}.${type}.${method!.text}`.toLowerCase();
    if (types && !calls.has(key)) calls.set(key, { type, onVariable, receiver: t.text, method: method!.text, argumentTypes: types, lineNumber: method!.line, columnNumber: method!.column });
  });
  return [...calls.values()];
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
