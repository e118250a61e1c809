/**
 * The Apex syntax check a deploy runs on every ApexClass (classes/X.cls) and ApexTrigger (triggers/X.trigger):
 * what a real org's Apex compiler refuses as a syntax error is refused here, with the org's wording, line and column.
 *
 * Parsing is done by @apexdevtools/apex-parser (an ANTLR4 grammar of Apex). ANTLR's own messages are never shown:
 * the wording tables below turn them into the org's. Their wording is taken from real org deploy errors
 * (DeployMessage.problem) and from the compiler's message templates (jorje's messages_en_US.properties).
 */
import { ApexErrorListener, ApexParser, ApexParserFactory, type ApexToken } from '@apexdevtools/apex-parser';

export interface ApexSyntaxProblem {
  problem: string;
  /** 1-based */
  lineNumber: number;
  /** 1-based, counted in UTF-16 code units as the org (a Java compiler) counts them */
  columnNumber: number;
}

/** What the source is: a class, a trigger, or an anonymous block (what executeAnonymous compiles). */
export type ApexUnitKind = 'class' | 'trigger' | 'anonymous';

/**
 * One row of a wording table: an ANTLR message (or, for the lexer, the text it could not read) that the row
 * recognises, and the org's words for it. `was` is the offending text as the org shows it.
 */
interface WordingRule {
  readonly antlr: RegExp;
  readonly org: (match: RegExpMatchArray, was: string) => string;
}

const expecting = (token: string, was: string) => `Expecting '${token}' but was: '${was}'`;
const unexpectedToken = (was: string) => `Unexpected token '${was}'.`;

/**
 * Parser errors, matched on ANTLR's message; `was` is the offending token's text, '' at the end of the file.
 * Ordered from most to least specific: the first row that matches words the error, and of two errors on the same
 * token the one worded by the earlier row is reported.
 */
const PARSER_WORDING: readonly WordingRule[] = [
  // A class or block still open at the end of the file: real orgs say "Expecting '}' but was: ''".
  { antlr: /^(?:extraneous|mismatched) input '<EOF>' expecting .*'\}'/s, org: (_, was) => expecting('}', was) },
  // ANTLR would insert the one token it expected (a forgotten ';', say).
  { antlr: /^missing '(.+?)' at /s, org: ([, token], was) => expecting(token, was) },
  // Exactly one token could come here; a set of them, or a token class such as Identifier, is no single expectation.
  { antlr: /^mismatched input .* expecting '(.+)'$/s, org: ([, token], was) => expecting(token, was) },
  // extraneous input, mismatched input against a set, no viable alternative, failed predicate
  { antlr: /^/, org: (_, was) => unexpectedToken(was) },
];

/**
 * Lexer errors ("token recognition error at: '<text>'"), matched on the text the lexer could not make a token of;
 * `was` is the whole string literal's content when that text opens one.
 */
const LEXER_WORDING: readonly WordingRule[] = [
  { antlr: /^'[^\r\n]*[\r\n]/, org: () => 'Line breaks are not allowed in string literals' },
  { antlr: /^'.*\\(.)$/s,
    org: ([, escaped], literal) => `Invalid string literal '${literal}'. Illegal character sequence '\\${escaped}' in string literal.` },
  { antlr: /^'/, org: () => "Missing closing quote character ' on string." },
  { antlr: /^[\x00-\x1f\x7f]/, org: ([control]) => {
    const code = control.charCodeAt(0);
    return `Found control character hex 0x${code.toString(16).toUpperCase().padStart(2, '0')} (decimal ${code}) that isn't valid in Apex.`;
  } },
  { antlr: /^[!-\/:-@[-`{-~]/, org: ([symbol]) => `Found punctuation symbol or operator '${symbol}' that isn't valid in Apex.` },
  { antlr: /^./su, org: ([symbol]) => `Unrecognized symbol '${symbol}', which is not a valid Apex identifier.` },
];

const LEXER_ERROR = /^token recognition error at: '([\s\S]*)'$/;
const STRING_LITERAL_CONTENT = /'((?:[^'\\\r\n]|\\.)*)/y;
/** ANTLR prediction modes: SLL is fast and never accepts invalid input, but may refuse valid input that LL accepts. */
const SLL = 0;
const LL = 1;

/** A syntax error as ANTLR reported it; `offending` is the offending token's text, or null from the lexer. */
interface ReportedError {
  message: string;
  offending: string | null;
  line: number;
  codePointColumn: number;
}

/** Thrown to stop the quick SLL pass at its first error: that pass only answers "valid or not". */
class SllRefused extends Error {}

/** Collects every syntax error the lexer and the parser report. */
class CollectedErrors extends ApexErrorListener {
  readonly errors: ReportedError[] = [];

  constructor(private readonly stopAtFirst: boolean) {
    super();
  }

  override syntaxError(_recognizer: unknown, offendingSymbol: ApexToken | number | null, line: number, column: number, message: string): void {
    if (this.stopAtFirst) throw new SllRefused();
    this.errors.push({ message, offending: offendingSymbol === null ? null : offendingText(offendingSymbol), line, codePointColumn: column });
  }

  // Every report arrives through syntaxError above, which also gets the offending token.
  override apexSyntaxError(): void {}
}

function offendingText(symbol: ApexToken | number): string {
  if (typeof symbol === 'number' || symbol.type === ApexParser.EOF) return '';
  return symbol.text ?? '';
}

function parse(source: string, kind: ApexUnitKind, mode: typeof SLL | typeof LL): ReportedError[] {
  const listener = new CollectedErrors(mode === SLL);
  const lexer = ApexParserFactory.createLexer(source);
  lexer.addErrorListener(listener);
  const tokens = ApexParserFactory.createTokenStream(lexer);
  // Lex the whole file before parsing, as the org's compiler does: an unreadable character is reported before the
  // parse errors it causes (a parser looking ahead past it can fail earlier in the file because of it).
  tokens.fill();
  const parser = ApexParserFactory.createParser(tokens);
  parser.addErrorListener(listener);
  // The typings declare predictionMode as the PredictionMode class; at run time it is one of its numbers.
  (parser._interp as unknown as { predictionMode: number }).predictionMode = mode;
  parser.buildParseTrees = false; // only the errors are wanted
  if (kind === 'trigger') parser.triggerUnit();
  else if (kind === 'anonymous') parser.anonymousUnit();
  else parser.compilationUnit();
  return listener.errors;
}

/** Parses quickly in SLL mode; only code SLL refuses is parsed again in full LL mode, whose errors are reported. */
function syntaxErrors(source: string, kind: ApexUnitKind): ReportedError[] {
  try {
    return parse(source, kind, SLL);
  } catch (error) {
    if (!(error instanceof SllRefused)) throw error;
    return parse(source, kind, LL);
  } finally {
    boundPredictionCache();
  }
}

/**
 * The parser caches its predictions (DFA states) in a static table shared by every parse. That cache is what makes
 * parses after the first fast, but it never shrinks and grows with every new shape of code, by some 6.5 KB a state:
 * 30 MB of varied public Apex grew it to 70,000 states and 470 MB. Past this many states it is dropped and refills.
 */
const MAX_CACHED_PREDICTION_STATES = 20_000;

/** The parts of antlr4's DFA that the cache bound needs; the package's typings do not declare them. */
interface PredictionDfa {
  readonly atnStartState: unknown;
  readonly decision: number;
  readonly states: { readonly length: number };
  readonly constructor: new (atnStartState: unknown, decision: number) => PredictionDfa;
}

function boundPredictionCache(): void {
  const cache = ApexParser as unknown as { DecisionsToDFA: PredictionDfa[] };
  const states = cache.DecisionsToDFA.reduce((sum, dfa) => sum + dfa.states.length, 0);
  if (states <= MAX_CACHED_PREDICTION_STATES) return;
  // Each parser takes the static table when it is made, so new empty DFAs serve the parses from now on.
  cache.DecisionsToDFA = cache.DecisionsToDFA.map((dfa) => new dfa.constructor(dfa.atnStartState, dfa.decision));
}

function word(rules: readonly WordingRule[], matched: string, was: string): { problem: string; rank: number } {
  for (const [rank, rule] of rules.entries()) {
    const match = rule.antlr.exec(matched);
    if (match) return { problem: rule.org(match, was), rank };
  }
  return { problem: unexpectedToken(was), rank: rules.length };
}

/** ANTLR counts columns in code points; the org, in UTF-16 code units (they differ after an emoji, say). */
function utf16Offset(source: string, line: number, codePointColumn: number): { lineStart: number; offset: number } {
  let lineStart = 0;
  for (let at = 1; at < line; at++) lineStart = source.indexOf('\n', lineStart) + 1;
  let offset = lineStart;
  for (let seen = 0; seen < codePointColumn && offset < source.length; seen++) offset += source.codePointAt(offset)! > 0xffff ? 2 : 1;
  return { lineStart, offset };
}

function stringLiteralContentAt(source: string, offset: number): string | undefined {
  STRING_LITERAL_CONTENT.lastIndex = offset;
  return STRING_LITERAL_CONTENT.exec(source)?.[1];
}

interface RankedProblem extends ApexSyntaxProblem {
  fromParser: boolean;
  rank: number;
}

function toProblem(error: ReportedError, source: string): RankedProblem {
  const { lineStart, offset } = utf16Offset(source, error.line, error.codePointColumn);
  const unreadable = error.offending === null ? LEXER_ERROR.exec(error.message)?.[1] : undefined;
  const { problem, rank } = unreadable === undefined
    ? word(PARSER_WORDING, error.message, error.offending ?? '')
    : word(LEXER_WORDING, unreadable, stringLiteralContentAt(source, offset) ?? unreadable);
  return { problem, lineNumber: error.line, columnNumber: offset - lineStart + 1, fromParser: unreadable === undefined, rank };
}

/** Unreadable characters first (the org's compiler lexes the whole file before parsing), then by place, then by row. */
const reportedFirst = (a: RankedProblem, b: RankedProblem) => Number(a.fromParser) - Number(b.fromParser)
  || a.lineNumber - b.lineNumber || a.columnNumber - b.columnNumber || a.rank - b.rank;

/**
 * The syntax error a real org would refuse this class or trigger for, or [] if there is none. Only the first error
 * is given: the earliest unreadable character if there is one, else the earliest parse error. After a syntax error
 * the compiler's further reports are mostly its own confusion.
 */
export function apexSyntaxProblems(source: string, kind: ApexUnitKind): ApexSyntaxProblem[] {
  const text = source.replace(/^\uFEFF/, ''); // a byte order mark is no part of the code
  const errors = syntaxErrors(text, kind);
  if (errors.length === 0) return [];
  const [first] = errors.map((error) => toProblem(error, text)).sort(reportedFirst);
  return [{ problem: first.problem, lineNumber: first.lineNumber, columnNumber: first.columnNumber }];
}

/**
 * The parser's first use builds its prediction caches and costs far more than any later parse; a server calls this
 * at start so the first deploy does not pay for it. The class touches the common member and statement forms.
 */
export function warmApexParser(): void {
  const refused = [...apexSyntaxProblems(WARM_UP_CLASS, 'class'), ...apexSyntaxProblems(WARM_UP_TRIGGER, 'trigger')];
  // Valid code takes the quick path a deploy mostly takes; refused code would warm the wrong one.
  if (refused.length > 0) throw new Error(`The Apex parser warm-up code is refused: ${refused[0].problem}`);
}

const WARM_UP_CLASS = `public with sharing class LocalforceWarmUp implements Comparable {
  public enum Mode { ONE, TWO }
  private static final Integer LIMIT_SIZE = 10;
  @TestVisible private Map<Id, List<Account>> byOwner { get; set; }
  public LocalforceWarmUp() { this.byOwner = new Map<Id, List<Account>>(); }
  @AuraEnabled(cacheable=true)
  public static List<Account> find(String name, Set<Id> ids) {
    List<Account> found = [SELECT Id, Name FROM Account WHERE Name = :name AND Id IN :ids ORDER BY Name LIMIT 10];
    for (Account a : found) { a.Name = a.Name?.trim() ?? ''; }
    for (Integer i = 0; i < found.size(); i++) { if (i > LIMIT_SIZE) { break; } else if (i == 0) { continue; } }
    switch on found.size() { when 0 { return null; } when 1, 2 { insert found; } when else { update found; } }
    try { Database.insert(found, false); } catch (DmlException e) { System.debug(e.getMessage()); } finally { delete found; }
    return (List<Account>) JSON.deserialize('[]', List<Account>.class);
  }
  public Integer compareTo(Object other) { return other instanceof LocalforceWarmUp ? 0 : -1; }
  private class Inner { Boolean ok = !false && true || 1 + 2 * 3 >= 4; }
}`;

const WARM_UP_TRIGGER = `trigger LocalforceWarmUp on Account (before insert, after update) {
  if (Trigger.isBefore) { for (Account a : Trigger.new) { a.Name = 'x'; } }
}`;
