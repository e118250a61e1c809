import { codeLines, codeOnly, declaredLines, triggerObject, unitsUnderTest, type ApexUnit } from '../../../src/apexRuns/coverage';

const CLASS = [
  'public with sharing class Invoice {',        // 1 declaration
  '    /* the total',                           // 2 comment
  '       of lines */',                         // 3 comment
  '    @AuraEnabled',                           // 4 annotation alone
  '    public static Decimal total(List<Decimal> lines) {', // 5
  '        Decimal sum = 0; // running',        // 6
  "        String s = '}';",                     // 7
  '        for (Decimal d : lines) {',          // 8
  '            sum += d;',                      // 9
  '        }',                                  // 10
  '        return sum;',                        // 11
  '    }',                                      // 12
  '}',                                          // 13
].join('\n');

describe('code lines', () => {
  it('keeps line breaks when comments and strings are blanked out', () => {
    const code = codeOnly(CLASS);
    expect(code.split('\n')).toHaveLength(13);
    expect(code).not.toContain('total\n');
    expect(code.split('\n')[6]).toBe("        String s = ' ';");
  });

  it('counts statements and signatures, not declarations, comments, annotations or braces', () => {
    expect(codeLines(CLASS)).toEqual([5, 6, 7, 8, 9, 11]);
    expect(codeLines('trigger T on Account (before insert) {\n  if (Trigger.isBefore) {\n    x();\n  } else {\n    y();\n  }\n}')).toEqual([2, 3, 5]);
    expect(codeLines('')).toEqual([]);
  });
});

describe('declaredLines', () => {
  it('covers the declared share of the code lines from the first, never less than declared', () => {
    expect(declaredLines(CLASS, 75)).toEqual({ coveredLines: [5, 6, 7, 8, 9], uncoveredLines: [11] });
    expect(declaredLines(CLASS, 50)).toEqual({ coveredLines: [5, 6, 7], uncoveredLines: [8, 9, 11] });
    expect(declaredLines(CLASS, 0)).toEqual({ coveredLines: [], uncoveredLines: [5, 6, 7, 8, 9, 11] });
    expect(declaredLines(CLASS, 100)).toEqual({ coveredLines: [5, 6, 7, 8, 9, 11], uncoveredLines: [] });
    expect(declaredLines(CLASS, 1)).toEqual({ coveredLines: [5], uncoveredLines: [6, 7, 8, 9, 11] });
  });
});

describe('unitsUnderTest', () => {
  const unit = (name: string, kind: ApexUnit['kind'], body: string): ApexUnit => ({ id: name, name, kind, body });
  const units = [
    unit('Invoice', 'ApexClass', CLASS),
    unit('InvoiceTest', 'ApexClass', '@isTest class InvoiceTest {}'),
    unit('Helper', 'ApexClass', 'public class Helper {}'),
    unit('AccountTrigger', 'ApexTrigger', 'trigger AccountTrigger on Account (before insert) { }'),
    unit('CaseTrigger', 'ApexTrigger', '// on Account\ntrigger CaseTrigger on Case (after update) { }'),
  ];

  it('finds the classes a test names in its code and the triggers on the objects it names', () => {
    const test = "@isTest class InvoiceTest {\n  @isTest static void t() {\n    insert new Account(Name = 'Helper');\n    // Case\n    System.assertEquals(1, INVOICE.total(null));\n  }\n}";
    expect(unitsUnderTest(test, units, new Set(['invoicetest'])).map((u) => u.name)).toEqual(['Invoice', 'AccountTrigger']);
  });

  it('never counts a test class as under test', () => {
    expect(unitsUnderTest('class X { InvoiceTest t; }', units, new Set(['invoicetest']))).toEqual([]);
  });

  it('reads the object of a trigger past comments', () => {
    expect(triggerObject(units[4]!.body)).toBe('case');
  });
});
