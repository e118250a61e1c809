import { deleteComponent, renameComponent, writeComponent } from '../../../src/jobs/componentWriter';
import { MetadataRegistry } from '../../../src/metadata/registry';
import type { ComponentWrite } from '../../../src/metadata/metadataType';
import type { Org, User } from '../../../src/store/orgs';
import { Store } from '../../../src/store/store';

const AT = '2026-12-07T10:00:00.000Z';
let store: Store;
let scratch: Org;
let plain: Org;
let user: User;

const files = (entries: Record<string, string>): ComponentWrite => ({
  fields: {}, content: null, files: new Map(Object.entries(entries).map(([p, t]) => [p, Buffer.from(t)])),
});
const child = (xml: string): ComponentWrite => ({ fields: {}, content: Buffer.from(xml), files: new Map() });
const rows = (org = scratch) => store.sourceMembers.list(org.id).map((m) => ({
  key: `${m.memberType}###${m.memberName}`, counter: m.revisionCounter, isNew: m.isNewMember, obsolete: m.isNameObsolete,
}));
const keysOf = (org = scratch) => rows(org).map((r) => r.key).sort();

beforeEach(() => {
  store = Store.open(null);
  const make = (id: string, scratchOf?: string): Org => {
    const org = { id, name: id, createdDate: AT, clockOffsetMs: 0, ...(scratchOf ? { scratch: { hubOrgId: scratchOf, edition: 'Developer', expirationDate: '2030-01-01' } } : {}) };
    store.orgs.insert(org);
    return store.orgs.get(id)!;
  };
  plain = make('00D000000000009AAA');
  scratch = make('00D00000000000SAAA', plain.id);
  user = { id: '005000000000077AAA', orgId: scratch.id, username: 'u@x.test', passwordHash: 'x', fullName: 'U', email: 'u@x.test' };
  store.orgs.insertUser(user);
});

afterEach(() => store.close());

describe('what the component writer records for a scratch org', () => {
  it('writes one row per key under one counter, new on create and not on change, none when unchanged', () => {
    writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'a', 'classes/Foo.cls-meta.xml': 'm' }), true, AT);
    writeComponent(store, scratch, user, 'CustomObject', 'Broker__c', files({ 'objects/Broker__c.object': '<CustomObject/>' }), true, AT);
    writeComponent(store, scratch, user, 'CustomField', 'Broker__c.Email__c', child('<fields><fullName>Email__c</fullName></fields>'), true, AT);
    expect(rows()).toEqual([
      { key: 'ApexClass###Foo', counter: 1, isNew: true, obsolete: false },
      { key: 'CustomObject###Broker__c', counter: 2, isNew: true, obsolete: false },
      { key: 'CustomField###Broker__c.Email__c', counter: 3, isNew: true, obsolete: false },
    ]);
    const existing = store.components.get(scratch.id, 'ApexClass', 'Foo');
    writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'b', 'classes/Foo.cls-meta.xml': 'm' }), true, AT, undefined, { existing });
    writeComponent(store, scratch, user, 'CustomField', 'Broker__c.Email__c', child('<fields><fullName>Email__c</fullName></fields>'), false, AT);
    expect(rows()).toEqual([
      { key: 'CustomObject###Broker__c', counter: 2, isNew: true, obsolete: false },
      { key: 'CustomField###Broker__c.Email__c', counter: 3, isNew: true, obsolete: false },
      { key: 'ApexClass###Foo', counter: 4, isNew: false, obsolete: false },
    ]);
    const foo = store.sourceMembers.list(scratch.id).find((m) => m.memberName === 'Foo')!;
    expect(foo).toMatchObject({ id: expect.stringMatching(/^0MZ\w{15}$/), memberIdOrName: existing!.id, changedBy: '005000000000077', lastModifiedDate: AT });
    expect(store.sourceMembers.revisionCounter(scratch.id)).toBe(4);
  });

  it('writes a row for every file of a changed web component or Aura bundle, beside the bundle', () => {
    const lwc = { 'lwc/card/card.js': 'x', 'lwc/card/card.html': '<template></template>', 'lwc/card/card.js-meta.xml': '<m/>' };
    writeComponent(store, scratch, user, 'LightningComponentBundle', 'card', files(lwc), true, AT);
    writeComponent(store, scratch, user, 'AuraDefinitionBundle', 'panel', files({ 'aura/panel/panel.cmp': '<aura:component/>', 'aura/panel/panel.cmp-meta.xml': '<m/>' }), true, AT);
    expect(keysOf()).toEqual([
      'AuraDefinition###panel/panel.cmp', 'AuraDefinitionBundle###panel',
      'LightningComponentBundle###card', 'LightningComponentResource###card/card.html', 'LightningComponentResource###card/card.js',
      'LightningComponentResource###card/card.js-meta.xml',
    ]);
    // One file changed and one added: every file of the bundle moves on (the CLI waits for each), only the added one is new.
    const existing = store.components.get(scratch.id, 'LightningComponentBundle', 'card');
    writeComponent(store, scratch, user, 'LightningComponentBundle', 'card', files({ ...lwc, 'lwc/card/card.js': 'y', 'lwc/card/card.css': 'p{}' }), true, AT, undefined, { existing });
    const latest = rows().filter((r) => r.counter > 6);
    expect(latest.map((r) => [r.key, r.isNew])).toEqual([
      ['LightningComponentResource###card/card.css', true], ['LightningComponentResource###card/card.html', false],
      ['LightningComponentResource###card/card.js', false], ['LightningComponentResource###card/card.js-meta.xml', false],
      ['LightningComponentBundle###card', false],
    ]);
  });

  it('tracks labels one by one and never the labels file', () => {
    writeComponent(store, scratch, user, 'CustomLabels', 'CustomLabels', files({ 'labels/CustomLabels.labels': '<CustomLabels/>' }), true, AT);
    writeComponent(store, scratch, user, 'CustomLabel', 'Greeting', child('<labels><fullName>Greeting</fullName></labels>'), true, AT);
    writeComponent(store, scratch, user, 'CustomLabel', 'Farewell', child('<labels><fullName>Farewell</fullName></labels>'), true, AT);
    expect(keysOf()).toEqual(['CustomLabel###Farewell', 'CustomLabel###Greeting']);
  });

  it('marks deletions obsolete, with an object\'s children and a bundle\'s files', () => {
    writeComponent(store, scratch, user, 'CustomObject', 'Broker__c', files({ 'objects/Broker__c.object': '<CustomObject/>' }), true, AT);
    writeComponent(store, scratch, user, 'CustomField', 'Broker__c.Email__c', child('<fields><fullName>Email__c</fullName></fields>'), true, AT);
    writeComponent(store, scratch, user, 'ListView', 'Broker__c.All', child('<listViews><fullName>All</fullName></listViews>'), true, AT);
    writeComponent(store, scratch, user, 'LightningComponentBundle', 'card', files({ 'lwc/card/card.js': 'x' }), true, AT);
    deleteComponent(store, scratch, user, 'CustomObject', 'Broker__c', AT);
    deleteComponent(store, scratch, user, 'LightningComponentBundle', 'card', AT);
    deleteComponent(store, scratch, user, 'ApexClass', 'NotThere', AT);
    expect(rows().filter((r) => r.counter > 5)).toEqual([
      { key: 'CustomField###Broker__c.Email__c', counter: 6, isNew: false, obsolete: true },
      { key: 'ListView###Broker__c.All', counter: 7, isNew: false, obsolete: true },
      { key: 'CustomObject###Broker__c', counter: 8, isNew: false, obsolete: true },
      { key: 'LightningComponentResource###card/card.js', counter: 9, isNew: false, obsolete: true },
      { key: 'LightningComponentBundle###card', counter: 10, isNew: false, obsolete: true },
    ]);
    // Made again: the same row, no longer obsolete.
    writeComponent(store, scratch, user, 'CustomObject', 'Broker__c', files({ 'objects/Broker__c.object': '<CustomObject/>' }), true, AT);
    expect(rows().find((r) => r.key === 'CustomObject###Broker__c')).toEqual({ key: 'CustomObject###Broker__c', counter: 11, isNew: true, obsolete: false });
  });

  it('sees a rename as the old names deleted and the new ones made, children included', () => {
    writeComponent(store, scratch, user, 'CustomObject', 'Old__c', files({ 'objects/Old__c.object': '<CustomObject/>' }), true, AT);
    writeComponent(store, scratch, user, 'CustomField', 'Old__c.F__c', child('<fields><fullName>F__c</fullName></fields>'), true, AT);
    renameComponent(store, scratch, user, MetadataRegistry.get('CustomObject')!.definition, 'Old__c', 'New__c', AT);
    expect(rows().filter((r) => r.counter > 2).map((r) => [r.key, r.isNew, r.obsolete])).toEqual([
      ['CustomObject###Old__c', false, true], ['CustomField###Old__c.F__c', false, true],
      ['CustomObject###New__c', true, false], ['CustomField###New__c.F__c', true, false],
    ]);
  });

  it('writes nothing for an org that is not a scratch org', () => {
    writeComponent(store, plain, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'a' }), true, AT);
    deleteComponent(store, plain, user, 'ApexClass', 'Foo', AT);
    expect(rows(plain)).toEqual([]);
    expect(store.sourceMembers.revisionCounter(plain.id)).toBe(0);
  });

  it('keeps the counter going when the org is emptied, so a client never sees a number twice', () => {
    writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'a' }), true, AT);
    store.emptyOrg(scratch.id);
    expect(rows()).toEqual([]);
    writeComponent(store, scratch, user, 'ApexClass', 'Bar', files({ 'classes/Bar.cls': 'a' }), true, AT);
    expect(rows()).toEqual([{ key: 'ApexClass###Bar', counter: 2, isNew: true, obsolete: false }]);
  });

  it('writes the changes of a batch when it ends, the last change of a key winning, and none when it throws', () => {
    store.transaction(() => store.sourceMembers.batch(() => {
      writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'a' }), true, AT);
      expect(rows()).toEqual([]);
      deleteComponent(store, scratch, user, 'ApexClass', 'Foo', AT);
      writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'b' }), true, AT);
      writeComponent(store, scratch, user, 'ApexClass', 'Bar', files({ 'classes/Bar.cls': 'b' }), true, AT);
    }));
    expect(rows()).toEqual([
      { key: 'ApexClass###Foo', counter: 1, isNew: true, obsolete: false },
      { key: 'ApexClass###Bar', counter: 2, isNew: true, obsolete: false },
    ]);
    expect(() => store.transaction(() => store.sourceMembers.batch(() => {
      writeComponent(store, scratch, user, 'ApexClass', 'Baz', files({ 'classes/Baz.cls': 'c' }), true, AT);
      throw new Error('rolled back');
    }))).toThrow('rolled back');
    expect(rows()).toHaveLength(2);
    expect(store.sourceMembers.revisionCounter(scratch.id)).toBe(2);
  });

  it('sets a row\'s counter (tracking reset) and finds rows by either form of their id', () => {
    writeComponent(store, scratch, user, 'ApexClass', 'Foo', files({ 'classes/Foo.cls': 'a' }), true, AT);
    const [row] = store.sourceMembers.list(scratch.id);
    expect(store.sourceMembers.setRevisionCounter(scratch.id, row!.id.slice(0, 15), 0)).toBe(true);
    expect(store.sourceMembers.get(scratch.id, row!.id)!.revisionCounter).toBe(0);
    expect(store.sourceMembers.setRevisionCounter(plain.id, row!.id, 0)).toBe(false);
  });
});
