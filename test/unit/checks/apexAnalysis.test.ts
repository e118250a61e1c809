import { analyseApex } from '../../../src/checks/apex/apexAnalysis';
import { apexSyntax } from '../../../src/checks/apex/apexChecksLoader';

describe('the Apex analysis a deploy reads', () => {
  it('gives the syntax errors, or the custom objects and fields, the other types it names and those it declares', () => {
    expect(analyseApex('public class A { Gadget__c g; Helper h; void m() { g.Size__c = 1; } }', 'class')).toEqual({
      syntax: [], types: [{ name: 'Gadget__c', lineNumber: 1, columnNumber: 18 }], fields: [{ object: 'Gadget__c', field: 'Size__c', lineNumber: 1, columnNumber: 54 }],
      typeNames: [{ name: 'Helper', lineNumber: 1, columnNumber: 31 }], declared: ['A'],
      variables: { undeclared: [], declared: expect.arrayContaining(['g', 'h', 'a']), extended: [] },
      staticCalls: [], memberReads: [{ type: 'Gadget__c', onVariable: true, receiver: 'g', member: 'Size__c', lineNumber: 1, columnNumber: 54 }],
      methods: expect.arrayContaining(['m']), queryFields: [],
    });
    expect(analyseApex('public class A { Gadget__c g }', 'class')).toEqual({
      syntax: [expect.objectContaining({ lineNumber: 1, columnNumber: 30 })], types: [], fields: [], typeNames: [], declared: [],
      variables: { undeclared: [], declared: [], extended: [] }, staticCalls: [], memberReads: [], methods: [], queryFields: [],
    });
  });

  it('parses a source it has seen once only, kept by its text and kind', () => {
    const parse = jest.spyOn(apexSyntax(), 'apexSyntaxProblems');
    const source = 'public class Seen { Integer n = 1; }';
    const first = analyseApex(source, 'class');
    expect(analyseApex(source, 'class')).toEqual(first);
    expect(parse).toHaveBeenCalledTimes(1);
    analyseApex(`${source} `, 'class');
    analyseApex(source, 'trigger');
    expect(parse).toHaveBeenCalledTimes(3);
    parse.mockRestore();
  });
});
