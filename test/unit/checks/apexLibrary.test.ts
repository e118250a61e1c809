import { isPlatformType, platformMethods } from '../../../src/checks/apex/apexLibrary';

describe("the platform's methods, from the stubs' table", () => {
  it('gives a type\'s static and instance methods, its superclasses\' and every object\'s, in any case', () => {
    const string = platformMethods('string')!;
    expect(['isblank', 'capitalize', 'touppercase', 'valueof', 'equals', 'hashcode'].filter((m) => !string.has(m))).toEqual([]);
    expect(string.has('capitalise')).toBe(false);
    // DmlException extends Exception.
    expect(['getdmlmessage', 'getmessage', 'getcause'].filter((m) => !platformMethods('DmlException')!.has(m))).toEqual([]);
    expect(platformMethods('LoggingLevel')!.has('valueof')).toBe(true);
    // Classes the lexer reads as keywords, and classes named like a namespace.
    expect(['debug', 'assert', 'runas'].filter((m) => !platformMethods('System')!.has(m))).toEqual([]);
    expect(['query', 'insert', 'setsavepoint'].filter((m) => !platformMethods('Database')!.has(m))).toEqual([]);
  });

  it('cannot speak for an sObject, an empty stub, a namespace alone or a name it does not know', () => {
    expect(platformMethods('Account')).toBeUndefined();
    expect(platformMethods('ChatterServiceRegisterController')).toBeUndefined();
    expect(platformMethods('ConnectApi')).toBeUndefined();
    expect(platformMethods('ThingService')).toBeUndefined();
  });
});

describe("the platform's sObjects", () => {
  it('holds those the stubs miss that the table adds, with why', () => {
    expect(isPlatformType('ContentNote')).toBe(true);
    expect(isPlatformType('MarketingAppExtAction')).toBe(true);
  });
});
