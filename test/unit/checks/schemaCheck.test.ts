import { checkAgainstSchema } from '../../../src/checks/schema/schemaCheck';
import { readMetadataRoot } from '../../../src/package/metadataXml';
import { METADATA_NS as NS } from '../../../src/soap/wsdlSchema';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The first schema problem of a document whose root is `type`, read at `apiVersion`. */
function check(type: string, body: string, apiVersion = 66) {
  const read = readMetadataRoot(`${DECL}<${type} xmlns="${NS}">\n${body}</${type}>\n`, [type]);
  if (!read.ok) throw new Error(read.error.problem);
  return checkAgainstSchema(read.root, type, { apiVersion });
}

const field = (inner: string) => `    <fields>\n${inner}    </fields>\n`;

describe('the schema check of a metadata file', () => {
  it('accepts a file of known elements, in any order', () => {
    expect(check('CustomObject', `    <label>Thing</label>\n${field('        <fullName>A__c</fullName>\n        <type>Text</type>\n        <length>10</length>\n')}    <deploymentStatus>Deployed</deploymentStatus>\n`)).toBeUndefined();
  });

  it('refuses an element the type does not have, where it stands, in the real words', () => {
    expect(check('CustomObject', `    <label>Thing</label>\n    <colour>red</colour>\n`)).toEqual({
      problem: `Error parsing file: Element {${NS}}colour invalid at this location in type CustomObject`, lineNumber: 4, columnNumber: 5,
    });
  });

  it('accepts, in a file older than the oldest schema known (47.0), elements and enumeration values the history lacks', () => {
    // purealoe's objects, at 44.0, carry enableChangeDataCapture, which no schema from 47.0 on has.
    const old = `    <label>Thing</label>\n    <enableChangeDataCapture>false</enableChangeDataCapture>\n${field('        <fullName>A__c</fullName>\n        <type>hat</type>\n')}`;
    expect(check('CustomObject', old, 44)).toBeUndefined();
    expect(check('CustomObject', old, 47)?.problem).toBe(`Error parsing file: Element {${NS}}enableChangeDataCapture invalid at this location in type CustomObject`);
    // An element in another namespace is still refused.
    expect(check('CustomObject', '    <x:colour xmlns:x="urn:x">red</x:colour>\n', 44)?.problem).toMatch(/^Error parsing file: Element \{urn:x\}colour invalid/);
  });

  it('names the nested type an element is refused in', () => {
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <size>3</size>\n'))?.problem)
      .toBe(`Error parsing file: Element {${NS}}size invalid at this location in type CustomField`);
  });

  it('accepts an enumeration\'s value in another case, as real orgs took purealoe-lwc\'s ACTIVE flows', () => {
    expect(check('Flow', '    <status>ACTIVE</status>\n')).toBeUndefined();
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <type>TEXT</type>\n        <length>10</length>\n'))).toBeUndefined();
  });

  it('refuses a value an enumeration does not have', () => {
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <type>hat</type>\n'))).toEqual({
      problem: "Error parsing file: 'hat' is not a valid value for the enum 'FieldType'", lineNumber: 5, columnNumber: 9,
    });
  });

  it('refuses a number or a boolean that is not one, and accepts 1 and 0 for a boolean', () => {
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <length>ten</length>\n'))?.problem)
      .toBe("Error parsing file: 'ten' is not valid for the type xsd:int");
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <required>yes</required>\n'))?.problem)
      .toBe("Error parsing file: 'yes' is not valid for the type xsd:boolean");
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <required>1</required>\n'))).toBeUndefined();
    expect(check('ApexClass', '    <apiVersion>sixty</apiVersion>\n    <status>Active</status>\n')?.problem)
      .toBe("Error parsing file: 'sixty' is not valid for the type xsd:double");
  });

  it('reads an empty value as no value', () => {
    expect(check('CustomObject', field('        <fullName>A__c</fullName>\n        <type></type>\n'))).toBeUndefined();
  });

  it('refuses markup inside a simple value', () => {
    expect(check('CustomObject', '    <description>a <p>b</p></description>\n')).toEqual({
      problem: `Error parsing file: Unexpected element {${NS}}p during simple type deserialization`, lineNumber: 3, columnNumber: 20,
    });
  });

  it('refuses a singleton twice, and copies of a list that are not together', () => {
    expect(check('CustomObject', '    <label>A</label>\n    <label>B</label>\n')).toEqual({
      problem: 'Error parsing file: Element label is duplicated at this location in type CustomObject', lineNumber: 4, columnNumber: 5,
    });
    const fields = field('        <fullName>A__c</fullName>\n') + field('        <fullName>B__c</fullName>\n');
    expect(check('CustomObject', fields)).toBeUndefined();
    expect(check('CustomObject', `${field('        <fullName>A__c</fullName>\n')}    <label>X</label>\n${field('        <fullName>B__c</fullName>\n')}`))
      .toMatchObject({ problem: 'Error parsing file: Element fields is duplicated at this location in type CustomObject', lineNumber: 7 });
  });

  it('refuses a property newer than the file\'s API version, from the version before the first WSDL that shows it', () => {
    // elementType is in the WSDLs from 60.0; orgs take what their release's WSDL shows only in the next (Lightning-Enhanced-Calendar's
    // translations at 58.0, DataCloudAndAgentForceForHospitality's prompt templates at 63.0…).
    const body = field('        <fullName>A__c</fullName>\n        <elementType>Text</elementType>\n');
    expect(check('CustomObject', body, 58)).toMatchObject({ problem: "Property 'elementType' not valid in version 58.0", lineNumber: 5 });
    expect(check('CustomObject', body, 59)).toBeUndefined();
    const translation = '    <description>x</description>\n    <label>A</label>\n    <name>A</name>\n';
    expect(check('CustomApplicationTranslation', translation, 58)).toBeUndefined();
    expect(check('CustomApplicationTranslation', translation, 57)?.problem).toBe("Property 'description' not valid in version 57.0");
  });

  it('accepts a property the WSDL dropped in a later version than the file\'s, as real orgs took IssueBox\'s', () => {
    expect(check('SecuritySettings', '    <isTLSv12Required>false</isTLSv12Required>\n', 53)).toBeUndefined();
  });

  it('accepts the fields real orgs write into retrieved files that no WSDL declares (retrievedSchema.json)', () => {
    expect(check('CustomObject', '    <label>Log</label>\n    <language>en_US</language>\n')).toBeUndefined();
    expect(check('ApexTrigger', '    <apiVersion>56.0</apiVersion>\n    <status>Active</status>\n    <targetObject>SDG__c</targetObject>\n')).toBeUndefined();
    const filter = '        <lookupFilter>\n            <active>true</active>\n            <developerName>nf_01IU00000000WpxMAE_00NU0000000IK2lMAG</developerName>\n' +
      '            <isOptional>false</isOptional>\n        </lookupFilter>\n';
    expect(check('CustomObject', field(`        <fullName>Pred__c</fullName>\n        <type>Lookup</type>\n${filter}`), 47)).toBeUndefined();
  });

  it('takes a field from the version real orgs wrote it in, before the WSDLs show it, and the enumeration values they write', () => {
    // happysoup's CI deployed flows with <environments> at 53.0; the WSDLs have it from 55.0.
    expect(check('Flow', '    <environments>Default</environments>\n    <label>F</label>\n', 53)).toBeUndefined();
    expect(check('Flow', '    <environments>Default</environments>\n    <label>F</label>\n', 52)?.problem).toBe("Property 'environments' not valid in version 52.0");
    expect(check('OmniIntegrationProcedure', '    <omniProcessType>Integration Procedure</omniProcessType>\n')).toBeUndefined();
    // A field of a release newer than the newest WSDL kept: pozil/df25-pronto-demo's prompt templates, retrieved at 67.0.
    const template = '    <masterLabel>Extract Menu</masterLabel>\n    <overridable>false</overridable>\n';
    expect(check('GenAiPromptTemplate', template, 67)).toBeUndefined();
    expect(check('GenAiPromptTemplate', template, 66)?.problem).toBe("Property 'overridable' not valid in version 66.0");
    // RelationshipResearchAgent's templates at 62.0: a configuration brings its own fields with it (64.0 in the WSDLs).
    const version = '    <templateVersions>\n        <content>x</content>\n        <generationTemplateConfigs>\n' +
      '            <generationConfigDeveloperName>einstein_gpt__enUsLanguageStyle</generationConfigDeveloperName>\n' +
      '        </generationTemplateConfigs>\n        <status>Published</status>\n    </templateVersions>\n';
    expect(check('GenAiPromptTemplate', `    <masterLabel>T</masterLabel>\n${version}`, 62)).toBeUndefined();
    expect(check('GenAiPromptTemplate', `    <masterLabel>T</masterLabel>\n${version}`, 61)?.problem).toBe("Property 'generationTemplateConfigs' not valid in version 61.0");
  });

  it('does not look inside values of any XML (target configurations) or typed ones (xsi:type)', () => {
    const targets = '    <targetConfigs>\n        <targetConfig targets="lightning__AppPage"><property name="x" type="String"/></targetConfig>\n    </targetConfigs>\n';
    expect(check('LightningComponentBundle', `    <apiVersion>66.0</apiVersion>\n${targets}`)).toBeUndefined();
    const value = '    <values>\n        <field>A__c</field>\n        <value xsi:type="xsd:string" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">x</value>\n    </values>\n';
    expect(check('CustomMetadata', `    <label>R</label>\n${value}`)).toBeUndefined();
  });

  it('refuses a file without a field real orgs require (and only those: the WSDL\'s minOccurs is not the rule)', () => {
    expect(check('ApexPage', '    <apiVersion>66.0</apiVersion>\n')).toEqual({ problem: 'Required field is missing: label', lineNumber: 2, columnNumber: 1 });
    expect(check('ApexClass', '    <apiVersion>66.0</apiVersion>\n')).toBeUndefined();
  });

  it('leaves a type the schema does not have to the other checks', () => {
    expect(check('NoSuchType', '    <anything>at all</anything>\n')).toBeUndefined();
  });
});
