import { atFirstUse } from '../../atFirstUse';
import type * as ApexMethods from './apexMethods';
import type * as ApexQueryFields from './apexQueryFields';
import type * as ApexSyntax from './apexSyntax';
import type * as ApexTokens from './apexTokens';
import type * as ApexTypeNames from './apexTypeNames';
import type * as ApexTypeReferences from './apexTypeReferences';
import type * as ApexVariables from './apexVariables';

/*
 * The Apex checks are loaded at their first use: the ANTLR grammar they parse with takes about a fifth of a
 * second to load, which a server starting, or one whose deploys carry no Apex, should not pay.
 */
export const apexTokens = atFirstUse(() => require('./apexTokens') as typeof ApexTokens);
export const apexSyntax = atFirstUse(() => require('./apexSyntax') as typeof ApexSyntax);
export const apexTypeReferences = atFirstUse(() => require('./apexTypeReferences') as typeof ApexTypeReferences);
export const apexTypeNames = atFirstUse(() => require('./apexTypeNames') as typeof ApexTypeNames);
export const apexVariables = atFirstUse(() => require('./apexVariables') as typeof ApexVariables);
export const apexMethods = atFirstUse(() => require('./apexMethods') as typeof ApexMethods);
export const apexQueryFields = atFirstUse(() => require('./apexQueryFields') as typeof ApexQueryFields);
