import { membersReached, methodsDeclared } from '../../../src/checks/apex/apexMethods';

const staticCallsMade = (source: string) => membersReached(source).calls;
const memberReadsMade = (source: string) => membersReached(source).reads;

describe('the static calls Apex makes on classes by their bare names', () => {
  it('finds each call once, at the method\'s name, with its arguments\' types when they are certain', () => {
    const source = [
      'public class A {',
      '  void m(Integer n, Thing__c t) {',
      '    Util.run();',
      '    Util.add(\'x\', 1, 2L, 1.5, true, n, t);',
      '    Util.run();',
      '  }',
      '}',
    ].join('\n');
    expect(staticCallsMade(source)).toEqual([
      { type: 'Util', onVariable: false, receiver: 'Util', method: 'run', argumentTypes: [], lineNumber: 3, columnNumber: 10 },
      { type: 'Util', onVariable: false, receiver: 'Util', method: 'add', argumentTypes: ['String', 'Integer', 'Long', 'Decimal', 'Boolean', 'Integer', 'Thing__c'], lineNumber: 4, columnNumber: 10 },
    ]);
  });

  it('finds calls on a class the lexer reads as a keyword', () => {
    expect(staticCallsMade("public class A {\n  void m() { System.debug('x'); }\n}\n")).toEqual([
      { type: 'System', onVariable: false, receiver: 'System', method: 'debug', argumentTypes: ['String'], lineNumber: 2, columnNumber: 21 },
    ]);
  });

  it('finds calls on a variable the file gives one simple type as calls on that type', () => {
    expect(staticCallsMade('public class A {\n  Helper helper { get; set; }\n  void m() { helper.run(2); }\n}\n')).toEqual([
      { type: 'Helper', onVariable: true, receiver: 'helper', method: 'run', argumentTypes: ['Integer'], lineNumber: 3, columnNumber: 21 },
    ]);
  });

  it('leaves alone calls whose arguments\' types are not certain, variables of several or generic types, chains and queries', () => {
    expect(staticCallsMade([
      'public class A {',
      '  Helper helper { get; set; }',
      '  List<Helper> helpers;',
      '  void n(Other helper) { helpers.add(1); }',
      '  void m(List<String> names, Object o) {',
      '    Util.a(names); Util.b(o.toString()); Util.c(null); Util.d(1 + 2);',
      '    helper.run(); this.x.run(); ns.Util.run(); new Util().run();',
      '    List<Account> l = [SELECT Id FROM Account WHERE Name = :Util.name()];',
      '  }',
      '}',
    ].join('\n')).map((c) => `${c.type}.${c.method}`)).toEqual(['Object.toString']); // o.toString() is certain: o is an Object
  });

  it('lists the methods a source may declare, with the enums\' and every object\'s own', () => {
    expect(methodsDeclared('public class A { public static User owner() { return helper(); } void run(Integer n) { new B().go(); x.y(); } }').sort())
      .toEqual(['clone', 'equals', 'hashcode', 'helper', 'name', 'ordinal', 'owner', 'run', 'tostring', 'valueof', 'values']);
  });
});

describe('the members Apex reads on classes by their bare names and on simply typed variables', () => {
  it('finds each read once, at the member, on a class or a variable, with a dot or a safe-navigation dot', () => {
    const source = [
      'public class A {',
      '  Meter gauge;',
      '  Integer m() {',
      '    Integer n = Meter.MAX + gauge.reading;',
      '    return gauge?.reading + Meter.MAX;',
      '  }',
      '}',
    ].join('\n');
    expect(memberReadsMade(source)).toEqual([
      { type: 'Meter', onVariable: false, receiver: 'Meter', member: 'MAX', lineNumber: 4, columnNumber: 23 },
      { type: 'Meter', onVariable: true, receiver: 'gauge', member: 'reading', lineNumber: 4, columnNumber: 35 },
    ]);
  });

  it('leaves alone calls, chains, objects made, class literals, annotations, queries and variables of several or generic types', () => {
    expect(memberReadsMade([
      'public class A {',
      '  List<Meter> meters; Meter x; Other x;',
      '  @TestVisible Integer n = a.b.c;',
      '  void m() {',
      '    Meter.run(); new Meter.Unit(); Type t = Meter.class; meters.size; x.reading;',
      '    List<Account> l = [SELECT Id FROM Account WHERE Name = :Meter.NAME];',
      '  }',
      '}',
    ].join('\n')).map((r) => `${r.type}.${r.member}`)).toEqual(['a.b']); // `a` may be a class: the check resolves it
  });
});
