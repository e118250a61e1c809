import { ApexLexer } from '@apexdevtools/apex-parser';
import { codeTokens } from './apexTokens';
import { CHECKABLE } from '../references/customNames';
import type { ApexMemberRead } from './apexMethods';

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


/**
 * The org's own custom objects (`Merchandise__c`, `Setting__mdt`, `Change__e`) that Apex code uses as types:
 * declared (`Merchandise__c item`), made (`new Merchandise__c()`), cast, or in a collection (`List<Merchandise__c>`).
 * Apex names cannot hold `__`, so such a name outside a query and not reached through a dot is an sObject type;
 * a missing one is `Invalid type: X`. Names in other places are fields, or are refused in other words, and are left
 * alone (the sets below), as are a trigger's own object and the names inside queries.
 * Read from the lexer's tokens only, which cost a small part of a parse.
 */
export function customTypesUsed(source: string): ApexTypeUse[] {
  const tokens = codeTokens(source);
  const used = new Map<string, ApexTypeUse>();
  tokens.forEach((token, i) => {
    if (token.inQuery || token.type !== ApexLexer.Identifier || !CHECKABLE.CustomObject!(token.text)) return;
    const [before, after] = [tokens[i - 1], tokens[i + 1]];
    if (NOT_A_TYPE_BEFORE.has(before?.type ?? -1) || NOT_A_TYPE_AFTER.has(after?.type ?? -1) || before?.text.toLowerCase() === 'on') return;
    const key = token.text.toLowerCase();
    if (!used.has(key)) used.set(key, { name: token.text, lineNumber: token.line, columnNumber: token.column });
  });
  return [...used.values()];
}

/** A custom field Apex reads or writes through a variable of its object's type (`item.Price__c`), where it first does. */
export interface ApexFieldUse {
  object: string;
  field: string;
  lineNumber: number;
  columnNumber: number;
}

const OWN_CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/;

/**
 * The org's own custom fields that Apex reaches through a variable declared with a custom object's type
 * (`Merchandise__c item; … item.Price__c`), among the members it reads (apexMethods.ts): one the org will not
 * have is `Variable does not exist: Price__c`, as real orgs word a missing field reached with a dot. Only
 * variables every declaration of the file gives the same custom object type are followed, and method calls and
 * relationship paths are not fields.
 */
export function customFieldsRead(reads: ApexMemberRead[]): ApexFieldUse[] {
  return reads.filter((r) => r.onVariable && CHECKABLE.CustomObject!(r.type) && OWN_CUSTOM_FIELD.test(r.member))
    .map((r) => ({ object: r.type, field: r.member, lineNumber: r.lineNumber, columnNumber: r.columnNumber }));
}
