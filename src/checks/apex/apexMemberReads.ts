import { ApexLexer } from '@apexdevtools/apex-parser';
import { receiverAt, simplyTypedVariables } from './apexMethods';
import { codeTokens, isWord } from './apexTokens';

/*
 * The members a class or trigger reads on a class by its bare name (`ThingService.LIMIT_SIZE`) or on a variable the
 * file gives a class's type (`service.total`): the deploy check refuses a member the org's class declares nowhere,
 * as real orgs word it: `Variable does not exist: total`. Calls are apexMethods.ts's.
 */

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

/** The members read on bare class names and on simply typed variables, once per type and member, where first read. */
export function memberReadsMade(source: string): ApexMemberRead[] {
  const tokens = codeTokens(source);
  const variables = simplyTypedVariables(tokens);
  const reads = new Map<string, ApexMemberRead>();
  tokens.forEach((t, i) => {
    const [dot, member, after] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if ((dot?.type !== ApexLexer.DOT && dot?.type !== ApexLexer.QUESTIONDOT) || !isWord(member) || member!.type === ApexLexer.CLASS) return;
    if (after?.type === ApexLexer.LPAREN) return; // a call
    const receiver = receiverAt(tokens, i, variables);
    if (!receiver?.type) return;
    const { type, onVariable } = receiver;
    const key = `${onVariable}.${type}.${member!.text}`.toLowerCase();
    if (!reads.has(key)) reads.set(key, { type, onVariable, receiver: t.text, member: member!.text, lineNumber: member!.line, columnNumber: member!.column });
  });
  return [...reads.values()];
}
