import type * as ApexSyntax from './apexSyntax';
import type * as ApexTypeNames from './apexTypeNames';
import type * as ApexTypeReferences from './apexTypeReferences';
import type * as ApexVariables from './apexVariables';

/*
 * The Apex checks are loaded at their first use: the ANTLR grammar they parse with takes about a fifth of a
 * second to load, which a server starting, or one whose deploys carry no Apex, should not pay.
 */
let syntax: typeof ApexSyntax | undefined;
let typeReferences: typeof ApexTypeReferences | undefined;
let typeNames: typeof ApexTypeNames | undefined;
let variables: typeof ApexVariables | undefined;

export const apexSyntax = (): typeof ApexSyntax => (syntax ??= require('./apexSyntax') as typeof ApexSyntax);
export const apexTypeReferences = (): typeof ApexTypeReferences =>
  (typeReferences ??= require('./apexTypeReferences') as typeof ApexTypeReferences);
export const apexTypeNames = (): typeof ApexTypeNames => (typeNames ??= require('./apexTypeNames') as typeof ApexTypeNames);
export const apexVariables = (): typeof ApexVariables => (variables ??= require('./apexVariables') as typeof ApexVariables);
