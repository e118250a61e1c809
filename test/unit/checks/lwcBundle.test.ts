import { lwcBundleProblems, type LwcResolver } from '../../../src/checks/lwc/lwcBundle';

// The @lwc packages put ES modules behind "main": Node 20.19+ require()s them, jest's module registry cannot,
// so here each resolves to the CommonJS build it ships beside them. Recording the loads shows the compiler is lazy.
const mockLoadedLwcPackages: string[] = [];
for (const lwcPackage of ['compiler', 'errors', 'shared', 'template-compiler', 'style-compiler', 'babel-plugin-component', 'ssr-compiler']) {
  jest.mock(`@lwc/${lwcPackage}`, () => {
    mockLoadedLwcPackages.push(lwcPackage);
    return jest.requireActual(`@lwc/${lwcPackage}/dist/index.cjs`);
  });
}

/** An org holding the names given, and answering true for anything else it is asked. */
function orgWith(missing: { apexClass?: string[]; component?: string[]; customLabel?: string[]; sobject?: string[]; field?: string[] } = {}) {
  const asked: string[] = [];
  const answer = (kind: keyof typeof missing) => (...name: string[]) => {
    asked.push(`${kind} ${name.join('.')}`);
    return !(missing[kind] ?? []).includes(name.join('.'));
  };
  const resolver: LwcResolver = {
    apexClass: answer('apexClass'), component: answer('component'), customLabel: answer('customLabel'),
    sobject: answer('sobject'), field: answer('field'),
  };
  return { resolver, asked };
}

const META = (apiVersion: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">\n`
  + `    <apiVersion>${apiVersion}</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n`;

/** A bundle `lwc/<name>/…`; files named without a folder go to the bundle's root. */
function bundle(name: string, files: Record<string, string>, apiVersion = '62.0'): Map<string, Buffer> {
  const entries = Object.entries({ [`${name}.js-meta.xml`]: META(apiVersion), ...files });
  return new Map(entries.map(([file, text]) => [`lwc/${name}/${file}`, Buffer.from(text)]));
}

const CLEAN_JS = `import { LightningElement, api, wire } from 'lwc';
import getOrders from '@salesforce/apex/OrderController.getOrders';
import GREETING from '@salesforce/label/c.Greeting';
import ORDER_OBJECT from '@salesforce/schema/Order__c';
import STATUS_FIELD from '@salesforce/schema/Order__c.Status__c';
import ACCOUNT_NAME from '@salesforce/schema/Account.Name';
import { formatMoney } from 'c/orderUtils';
import { NavigationMixin } from 'lightning/navigation';

export default class OrderList extends NavigationMixin(LightningElement) {
  @api recordId;
  greeting = GREETING;
  fields = [ORDER_OBJECT, STATUS_FIELD, ACCOUNT_NAME];
  @wire(getOrders, { accountId: '$recordId' }) orders;

  get total() {
    return formatMoney(this.orders?.data?.length ?? 0);
  }
}
`;

const CLEAN_HTML = `<template>
  <lightning-card title={greeting}>
    <template lwc:if={orders.data}>
      <template for:each={orders.data} for:item="order">
        <c-order-tile key={order.Id} order={order}></c-order-tile>
      </template>
    </template>
    <p class="total">{total}</p>
  </lightning-card>
</template>
`;

const CLEAN_CSS = `:host {
  display: block;
}
.total {
  font-weight: bold;
}
`;

describe('lwcBundleProblems', () => {
  it('loads the compiler only when a bundle is first checked', () => {
    expect(mockLoadedLwcPackages).toEqual([]);
    lwcBundleProblems('empty', bundle('empty', {}), orgWith().resolver);
    expect(mockLoadedLwcPackages).toEqual([]); // nothing to compile yet
    lwcBundleProblems('tiny', bundle('tiny', { 'tiny.css': ':host {}' }), orgWith().resolver);
    expect(mockLoadedLwcPackages).toContain('compiler');
  });

  it('accepts a clean bundle, asking the org only about its own custom names', () => {
    const { resolver, asked } = orgWith();
    const files = bundle('orderList', {
      'orderList.js': CLEAN_JS, 'orderList.html': CLEAN_HTML, 'orderList.css': CLEAN_CSS,
      'orderList.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      '__tests__/orderList.test.js': 'this is not JavaScript {',
      'helpers.ts': 'export const x: number = ;', // TypeScript is accepted unchecked
    });
    expect(lwcBundleProblems('orderList', files, resolver)).toEqual([]);
    expect(asked.sort()).toEqual([
      'apexClass OrderController', 'component orderTile', 'component orderUtils', 'customLabel Greeting',
      'field Order__c.Status__c', 'sobject Order__c', 'sobject Order__c',
    ]);
  });

  it('refuses an unclosed template tag as LWC1078, where the tag opens', () => {
    const files = bundle('greeter', { 'greeter.html': '<template>\n  <div>\n    <p>hello\n  </div>\n</template>\n' });
    expect(lwcBundleProblems('greeter', files, orgWith().resolver)).toEqual([
      { fileName: 'lwc/greeter/greeter.html', problem: '[Line: 3, Col: 5] LWC1078: <p> has no matching closing tag.' },
    ]);
  });

  it("judges HTML parse errors by the bundle's API version, without the compiler's link to the HTML spec", () => {
    const template = { 'greeter.html': '<template>\n  <div>\n    <span>a</span>\n</template>\n' };
    expect(lwcBundleProblems('greeter', bundle('greeter', template, '62.0'), orgWith().resolver)).toEqual([{
      fileName: 'lwc/greeter/greeter.html', problem: '[Line: 4, Col: 1] LWC1058: Invalid HTML syntax: closing-of-element-with-open-child-elements.',
    }]);
    // Before API 59 the same parse error is only a warning; the unclosed <div> still is not.
    expect(lwcBundleProblems('greeter', bundle('greeter', template, '58.0'), orgWith().resolver)).toEqual([
      { fileName: 'lwc/greeter/greeter.html', problem: '[Line: 2, Col: 3] LWC1078: <div> has no matching closing tag.' },
    ]);
  });

  it('accepts a dynamic import of a built name, as package builds take dynamic components (navikt/crm-shared-timeline)', () => {
    const js = "import { LightningElement, api } from 'lwc';\nexport default class Custom extends LightningElement {\n" +
      "    @api name;\n    connectedCallback() { import('c/' + this.name).then((m) => { this.ctor = m.default; }); }\n}\n";
    expect(lwcBundleProblems('custom', bundle('custom', { 'custom.js': js }), orgWith().resolver)).toEqual([]);
  });

  it('ignores what the compiler only warns about', () => {
    const files = bundle('lenient', { 'lenient.html': '<template><ul><li>a</li></ul></p></template>' });
    expect(lwcBundleProblems('lenient', files, orgWith().resolver)).toEqual([]);
  });

  it("refuses a JavaScript syntax error as the platform's LWC1503 parsing error, without the file path", () => {
    const files = bundle('broken', {
      'broken.js': "import { LightningElement } from 'lwc';\nexport default class Broken extends LightningElement {\n  connectedCallback() {\n    const x = ;\n  }\n}\n",
    });
    expect(lwcBundleProblems('broken', files, orgWith().resolver)).toEqual([
      { fileName: 'lwc/broken/broken.js', problem: '[Line: 4, Col: 14] LWC1503: Parsing error: Unexpected token (4:14)' },
    ]);
  });

  it('refuses a decorator used without importing it from lwc', () => {
    const files = bundle('badDecorator', {
      'badDecorator.js': "import { LightningElement } from 'lwc';\nexport default class BadDecorator extends LightningElement {\n  @api label;\n}\n",
    });
    expect(lwcBundleProblems('badDecorator', files, orgWith().resolver)).toEqual([{
      fileName: 'lwc/badDecorator/badDecorator.js',
      problem: `[Line: 3, Col: 2] LWC1102: Invalid 'api' decorator usage. Supported decorators (api, wire, track) should be imported from "lwc"`,
    }]);
  });

  it('refuses a stylesheet the style compiler cannot parse', () => {
    const files = bundle('styled', { 'styled.css': ':host {\n  color: red;\n' });
    expect(lwcBundleProblems('styled', files, orgWith().resolver)).toEqual([
      { fileName: 'lwc/styled/styled.css', problem: '[Line: 1, Col: 1] LWC1009: Unclosed block' },
    ]);
  });

  it('reports every broken file of the bundle', () => {
    const files = bundle('twice', {
      'twice.js': 'export default class {',
      'twice.html': '<template><p></template>',
      'helper.js': 'export const = 1;',
    });
    expect(lwcBundleProblems('twice', files, orgWith().resolver).map((p) => p.fileName)).toEqual([
      'lwc/twice/twice.js', 'lwc/twice/twice.html', 'lwc/twice/helper.js',
    ]);
  });

  describe('references the org must resolve', () => {
    const withImport = (specifier: string) => bundle('orderList', {
      'orderList.js': `import { LightningElement } from 'lwc';\nimport imported from '${specifier}';\nexport default class OrderList extends LightningElement {\n  value = imported;\n}\n`,
    });
    const problemsOf = (specifier: string, missing: Parameters<typeof orgWith>[0]) =>
      lwcBundleProblems('orderList', withImport(specifier), orgWith(missing).resolver);
    const refused = (problem: string) => [{ fileName: 'lwc/orderList/orderList.js', problem }];

    it.each([
      ['@salesforce/apex/OrderController.getOrders', { apexClass: ['OrderController'] },
        "Unable to find Apex action class referenced as 'OrderController'."],
      ['@salesforce/label/c.Greeting', { customLabel: ['Greeting'] },
        'Invalid reference c.Greeting of type label in file orderList.js'],
      ['@salesforce/schema/Order__c', { sobject: ['Order__c'] },
        'Invalid reference Order__c of type sobjectClass in file orderList.js'],
      ['@salesforce/schema/Order__c.Status__c', { field: ['Order__c.Status__c'] },
        'Invalid reference Order__c.Status__c of type sobjectField in file orderList.js'],
      ['@salesforce/schema/Order__c.Status__c', { sobject: ['Order__c'] },
        'Invalid reference Order__c.Status__c of type sobjectField in file orderList.js'],
      ['@salesforce/schema/Account.Region__c', { field: ['Account.Region__c'] },
        'Invalid reference Account.Region__c of type sobjectField in file orderList.js'],
      ['@salesforce/schema/Setting__mdt', { sobject: ['Setting__mdt'] },
        'Invalid reference Setting__mdt of type sobjectClass in file orderList.js'],
      ['c/orderUtils', { component: ['orderUtils'] },
        'No MODULE named markup://c:orderUtils found : [markup://c:orderList]'],
    ])('refuses %s when the org lacks %j, and accepts it otherwise', (specifier, missing, problem) => {
      expect(problemsOf(specifier, missing)).toEqual(refused(problem));
      expect(problemsOf(specifier, {})).toEqual([]);
    });

    it('never asks about standard, namespaced or platform modules, nor about the bundle itself', () => {
      const { resolver, asked } = orgWith({ apexClass: ['Ctl'], sobject: ['Account', 'ns__Thing__c'], component: ['orderList'] });
      const files = bundle('orderList', {
        'orderList.js': [
          "import { LightningElement } from 'lwc';",
          "import A from '@salesforce/schema/Account';",
          "import B from '@salesforce/schema/Account.Name';",
          "import C from '@salesforce/schema/ns__Thing__c.ns__Size__c';",
          "import D from '@salesforce/schema/Contact.Location__Latitude__s';",
          "import E from '@salesforce/apex/ns.Ctl.run';",
          "import F from '@salesforce/label/ns.Greeting';",
          "import G from '@salesforce/user/Id';",
          "import H from '@salesforce/resourceUrl/logo';",
          "import { refreshApex } from '@salesforce/apex';",
          "import I from 'lightning/uiRecordApi';",
          "import J from 'other/thing';",
          "import K from './helper';",
          "export { L } from 'c/orderList';",
          'export default class OrderList extends LightningElement {}',
        ].join('\n'),
        'helper.js': 'export default 1;',
      });
      expect(lwcBundleProblems('orderList', files, resolver)).toEqual([]);
      expect(asked).toEqual([]);
    });

    it('follows relationship paths no further than their object', () => {
      const { resolver, asked } = orgWith({ sobject: ['Order__c'] });
      const problems = lwcBundleProblems('orderList', bundle('orderList', {
        'orderList.js': "import A from '@salesforce/schema/Order__c.Account__r.Name';\nimport B from '@salesforce/schema/Contact.Account.Name';\nexport default A + B;\n",
      }), resolver);
      expect(problems).toEqual(refused('Invalid reference Order__c.Account__r.Name of type sobjectField in file orderList.js'));
      expect(asked).toEqual(['sobject Order__c']);
    });

    it("refuses a template's child component the org lacks, by LWC's camel-cased name", () => {
      const { resolver, asked } = orgWith({ component: ['orderTile'] });
      const files = bundle('orderList', {
        'orderList.html': '<template>\n  <c-order-tile></c-order-tile>\n  <c-order_row></c-order_row>\n  <lightning-button></lightning-button>\n  <c-order-list></c-order-list>\n</template>\n',
      });
      expect(lwcBundleProblems('orderList', files, resolver)).toEqual([{
        fileName: 'lwc/orderList/orderList.html', problem: 'No MODULE named markup://c:orderTile found : [markup://c:orderList]',
      }]);
      expect(asked).toEqual(['component orderTile', 'component order_row']);
    });

    it('refuses a shared stylesheet module the org lacks', () => {
      const files = bundle('styled', { 'styled.css': "@import 'c/cssLibrary';\n:host { display: block; }\n" });
      expect(lwcBundleProblems('styled', files, orgWith({ component: ['cssLibrary'] }).resolver)).toEqual([{
        fileName: 'lwc/styled/styled.css', problem: 'No MODULE named markup://c:cssLibrary found : [markup://c:styled]',
      }]);
    });

    it('resolves nothing in a file that did not compile', () => {
      const { resolver, asked } = orgWith({ apexClass: ['Ctl'] });
      const files = bundle('broken', { 'broken.js': "import run from '@salesforce/apex/Ctl.run';\nexport default class {" });
      expect(lwcBundleProblems('broken', files, resolver).map((p) => p.problem)).toEqual([expect.stringMatching(/^\[Line: 2, Col: 22\] LWC1503: Parsing error: /)]);
      expect(asked).toEqual([]);
    });
  });
});
