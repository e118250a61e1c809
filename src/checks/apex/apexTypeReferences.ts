import { ApexLexer, ApexParserFactory } from '@apexdevtools/apex-parser';
import { CHECKABLE } from '../references/customNames';

/** A custom object an Apex class or trigger uses as a type, where it first does. */
export interface ApexTypeUse {
  name: string;
  lineNumber: number;
  columnNumber: number;
}

/** A name after these is a field reached through a record (`a.X__c`, `a?.X__c`). */
const NOT_A_TYPE_BEFORE = new Set([ApexLexer.DOT, ApexLexer.QUESTIONDOT]);
/** A name before these is static access (`X__c.SObjectType`), a field set by name (`new X__c(Y__c = 1)`), or an upsert's key (`upsert rows Key__c;`). */
const NOT_A_TYPE_AFTER = new Set([ApexLexer.DOT, ApexLexer.ASSIGN, ApexLexer.SEMI]);

/** Tokens that open a query inside `[...]`, whose names are fields and objects of SOQL or SOSL, not Apex types. */
const QUERY_STARTS = new Set([ApexLexer.SELECT, ApexLexer.FIND]);

/**
 * The org's own custom objects (`Merchandise__c`, `Setting__mdt`, `Change__e`) that Apex code uses as types:
 * declared (`Merchandise__c item`), made (`new Merchandise__c()`), cast, or in a collection (`List<Merchandise__c>`).
 * Apex names cannot hold `__`, so such a name outside a query and not reached through a dot is an sObject type;
 * a missing one is `Invalid type: X`. Names in other places are fields, or are refused in other words, and are left
 * alone (the sets below), as are a trigger's own object and the names inside queries.
 * Read from the lexer's tokens only, which cost a small part of a parse.
 */
export function customTypesUsed(source: string): ApexTypeUse[] {
  const lexer = ApexParserFactory.createLexer(source.replace(/^\uFEFF/, ''));
  lexer.removeErrorListeners(); // the syntax check reports what the lexer cannot read
  const tokens = lexer.getAllTokens().filter((t) => t.channel === 0);
  const used = new Map<string, ApexTypeUse>();
  let queryDepth = 0;
  tokens.forEach((token, i) => {
    if (token.type === ApexLexer.LBRACK && (queryDepth || QUERY_STARTS.has(tokens[i + 1]?.type ?? -1))) queryDepth++;
    else if (token.type === ApexLexer.RBRACK && queryDepth) queryDepth--;
    if (queryDepth || token.type !== ApexLexer.Identifier || !CHECKABLE.CustomObject!(token.text)) return;
    const [before, after] = [tokens[i - 1], tokens[i + 1]];
    if (NOT_A_TYPE_BEFORE.has(before?.type ?? -1) || NOT_A_TYPE_AFTER.has(after?.type ?? -1) || before?.text.toLowerCase() === 'on') return;
    const key = token.text.toLowerCase();
    if (!used.has(key)) used.set(key, { name: token.text, lineNumber: token.line, columnNumber: token.column + 1 });
  });
  return [...used.values()];
}
