import { memberReadsMade } from '../../../src/checks/apex/apexMemberReads';

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
