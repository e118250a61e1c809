import { typeNamesUsed, typesDeclared } from '../../../src/checks/apex/apexTypeNames';
import { isPlatformType } from '../../../src/checks/apex/apexLibrary';

const names = (source: string) => typeNamesUsed(source).map((u) => u.name);

describe('the bare type names Apex uses', () => {
  it('finds declarations, parameters, returns, arrays, constructions, type arguments, extends, implements and instanceof, once each, where first used', () => {
    const source = [
      'public class A extends Base implements Shape, Comparable {',
      '  Widget w;',
      '  Map<String, List<Gadget>> byName = new Map<String, List<Gadget>>();',
      '  Part[] parts;',
      '  public Result run(Input i) { Object o = new Maker(); return o instanceof Check ? null : null; }',
      '  Prop p { get; set; }',
      '  void m() { for (Item it : items) {} switch on x { when Kind k {} } }',
      '}',
    ].join('\n');
    expect(typeNamesUsed(source).slice(0, 2)).toEqual([
      { name: 'Base', lineNumber: 1, columnNumber: 24 },
      { name: 'Shape', lineNumber: 1, columnNumber: 40 },
    ]);
    expect(names(source)).toEqual(['Base', 'Shape', 'Comparable', 'Widget', 'Map', 'String', 'List', 'Gadget', 'Part', 'Result', 'Input',
      'Object', 'Maker', 'Check', 'Prop', 'Item', 'Kind'].filter((n) => !['Map', 'List'].includes(n)));
  });

  it('takes a variable named by a keyword Apex allows as one', () => {
    expect(names('public class A { void m() { Helper user = null; Helper limit; } }')).toEqual(['Helper']);
  });

  it('leaves alone what could be a variable, a member, a query, a DML statement or a custom object', () => {
    expect(names([
      'public class A {',
      '  void m() {',
      '    if (a < b) x = 1;',
      '    Integer n = Util.count(); Util.Inner i;',
      '    Object o = (Cast) y;',
      '    merge master duplicate; upsert rows key;',
      '    upsert as user goals Name; merge as system winner loser; insert as user rows;',
      '    List<Account> l = [SELECT Id FROM Account a WHERE Name IN :names];',
      '    Gadget__c g; ns.Thing t;',
      '  }',
      '  @TestVisible',
      '  A(Integer z) {}',
      '}',
    ].join('\n'))).toEqual(['Integer', 'Object', 'Account']);
  });

  it('leaves a trigger\'s header alone', () => {
    expect(names('trigger T on Account (before insert, after update) { Handler h = new Handler(); }')).toEqual(['Handler']);
  });

  it('lists the types a class declares, nested ones too', () => {
    expect(typesDeclared('public class Outer { class Inner {} interface Shape {} enum Colour { RED } }')).toEqual(['Outer', 'Inner', 'Shape', 'Colour']);
  });
});

describe('the platform\'s Apex library', () => {
  it('knows System types, other namespaces\' types, namespaces and standard sObjects, in any case', () => {
    for (const name of ['String', 'object', 'HttpRequest', 'Schedulable', 'SingleEmailMessage', 'Database', 'ConnectApi', 'Account', 'contactchangeevent', 'AccountShare']) {
      expect([name, isPlatformType(name)]).toEqual([name, true]);
    }
    expect(isPlatformType('ThingFormatter')).toBe(false);
  });
});
