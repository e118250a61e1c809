import { metadataSchema } from '../../../src/soap/wsdlSchema';
import { RequestReader } from '../../../src/soap/requestReader';
import { writeCompact, type XmlNode } from '../../../src/package/xmlTree';
import { XML_BODY, XmlWriter, XSI_TYPE } from '../../../src/soap/xmlWriter';

const schema = metadataSchema();
const writer = new XmlWriter(schema);
const reader = new RequestReader(schema, (op) => (op === 'retrieve' ? { request: 'retrieveRequest' } : undefined));
const read = (xml: string) => reader.read(xml).input;

const body = (inner: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</soapenv:Body></soapenv:Envelope>`;

describe('the WSDL schema', () => {
  it('declares every operation the endpoint serves', () => {
    expect(schema.operations.sort()).toEqual([
      'cancelDeploy', 'checkDeployStatus', 'checkRetrieveStatus', 'createMetadata', 'deleteMetadata', 'deploy', 'deployRecentValidation',
      'describeMetadata', 'describeValueType', 'listMetadata', 'readMetadata', 'renameMetadata', 'retrieve', 'updateMetadata', 'upsertMetadata',
    ]);
  });

  it('puts base type fields first', () => {
    expect(schema.fieldsOf('Certificate').map((f) => f.name)).toEqual([
      'fullName', 'content', 'caSigned', 'encryptedWithPlatformEncryption', 'expirationDate', 'keySize', 'masterLabel', 'privateKeyExportable',
    ]);
  });
});

describe('XmlWriter', () => {
  it('writes fields in WSDL order whatever the object order, and skips absent optional ones', () => {
    const xml = writer.response('checkDeployStatus', {
      success: true, status: 'Succeeded', id: '0Af000000000001AAA', done: true, details: { componentSuccesses: [], componentFailures: [] },
      createdDate: '2026-01-01T00:00:00.000Z', checkOnly: false, numberComponentsTotal: 1,
    });
    expect(xml).toBe('<checkDeployStatusResponse><result><checkOnly>false</checkOnly><createdDate>2026-01-01T00:00:00.000Z</createdDate>'
      + '<details></details><done>true</done><id>0Af000000000001AAA</id><numberComponentsTotal>1</numberComponentsTotal>'
      + '<status>Succeeded</status><success>true</success></result></checkDeployStatusResponse>');
  });

  it('writes arrays as repeated elements, empty strings as open-close pairs and escapes text', () => {
    const xml = writer.response('listMetadata', [{ fullName: 'A<B', type: 'Certificate', id: '' }, { fullName: 'C', type: 'Certificate' }]);
    expect(xml).toBe('<listMetadataResponse><result><fullName>A&lt;B</fullName><id></id><type>Certificate</type></result>'
      + '<result><fullName>C</fullName><type>Certificate</type></result></listMetadataResponse>');
  });

  it('marks a subtype with xsi:type and formats doubles with a decimal point', () => {
    const record = { fullName: 'X', caSigned: true, keySize: 2048, masterLabel: 'x' };
    Object.defineProperty(record, XSI_TYPE, { value: 'Certificate' });
    expect(writer.response('readMetadata', { records: [record] })).toContain('<records xsi:type="Certificate"><fullName>X</fullName><caSigned>true</caSigned><keySize>2048</keySize>');
    expect(writer.element('totalTime', 0, { name: 'totalTime', type: 'double', builtin: true, complex: false, optional: false, many: false, nillable: false })).toBe('<totalTime>0.0</totalTime>');
  });
});

describe('RequestReader', () => {
  it('types values by the WSDL, accepts any child order and the name variants clients send', () => {
    const input = read(body('<retrieve><request><unpackaged><version>66.0</version><types><name>Certificate</name><members>A</members></types></unpackaged><singlePackage>true</singlePackage><apiVersion>66.0</apiVersion></request></retrieve>'));
    expect(input.retrieveRequest).toEqual({
      apiVersion: 66, packageNames: [], singlePackage: true, specificFiles: [],
      unpackaged: { objectPermissions: [], types: [{ members: ['A'], name: 'Certificate' }], version: '66.0' },
    });
  });

  it('resolves xsi:type records to their subtype', () => {
    const input = read(body('<createMetadata><metadata xsi:type="Certificate"><fullName>X</fullName><caSigned>false</caSigned><keySize>4096</keySize><masterLabel>L</masterLabel></metadata></createMetadata>')) as { metadata: Record<string | symbol, unknown>[] };
    expect(input.metadata[0]).toEqual({ fullName: 'X', caSigned: false, keySize: 4096, masterLabel: 'L' });
    expect(input.metadata[0]![XSI_TYPE]).toBe('Certificate');
  });

  it('keeps a record of a type the WSDL does not declare as ordered XML, for the registry to read', () => {
    const input = read(body('<createMetadata><metadata xsi:type="CustomObject"><fullName>Broker__c</fullName><label>Broker</label>' +
      '<fields><fullName>Email__c</fullName><type>Email</type></fields><fields><fullName>Phone__c</fullName><description xsi:nil="true"/></fields></metadata></createMetadata>')) as { metadata: Record<string | symbol, unknown>[] };
    const record = input.metadata[0]!;
    expect(record).toEqual({ fullName: 'Broker__c' });
    expect(record[XSI_TYPE]).toBe('CustomObject');
    expect(writeCompact(record[XML_BODY] as XmlNode[])).toBe('<fullName>Broker__c</fullName><label>Broker</label>' +
      '<fields><fullName>Email__c</fullName><type>Email</type></fields><fields><fullName>Phone__c</fullName></fields>');
  });

  it('reads xsi:nil as null', () => {
    expect(read(body('<checkRetrieveStatus><asyncProcessId>09S000000000001AAA</asyncProcessId><includeZip xsi:nil="true"/></checkRetrieveStatus>')))
      .toEqual({ asyncProcessId: '09S000000000001AAA', includeZip: null });
  });

  it('reads declared headers typed, and skips the rest', () => {
    const xml = body('<describeMetadata/>').replace('<soapenv:Body', '<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId> abc </sessionId></SessionHeader>' +
      '<AllOrNoneHeader><allOrNone>1</allOrNone></AllOrNoneHeader><CallOptions><client>x</client><defaultNamespace>ns</defaultNamespace></CallOptions><Unknown><a>1</a></Unknown></soapenv:Header><soapenv:Body');
    expect(reader.read(xml).headers).toEqual({ SessionHeader: { sessionId: 'abc' }, AllOrNoneHeader: { allOrNone: true }, CallOptions: { client: 'x' } });
  });

  it.each([
    ['<describeMetadata><asOfVersion>66.0</describeMetadata>', /^The element type "asOfVersion" must be terminated by the matching end-tag "<\/asOfVersion>"\. at \[row,col\]: \[1,\d+\]$/],
    ['<describeMetadata/><describeMetadata/>', /^The SOAP Body must hold exactly one operation element$/],
    ['', /^The SOAP Body must hold exactly one operation element$/],
    ['<describeMetadata><asOfVersion>&foo;</asOfVersion></describeMetadata>', /^The entity "foo" was referenced, but not declared\. at \[row,col\]: \[1,\d+\]$/],
    ['<describeMetadata><asOfVersion>6\u000b</asOfVersion></describeMetadata>', /^An invalid XML character \(Unicode: 0xB\) was found in the content of the document\. at \[row,col\]: \[1,\d+\]$/],
    ['<x:describeMetadata/>', /^The prefix "x" for element "x:describeMetadata" is not bound\. at \[row,col\]: \[1,\d+\]$/],
    ['<describeMetadata>66.0</describeMetadata>', /^Unexpected text '66\.0' in element describeMetadata$/],
    ['<describeMetadata><asOfVersion><a/></asOfVersion></describeMetadata>', /^Unexpected element \{http:\/\/soap\.sforce\.com\/2006\/04\/metadata\}a during simple type deserialization$/],
  ])('refuses the malformed %s', (inner, message) => {
    expect(() => read(body(inner))).toThrow(message);
  });

  it('refuses a message that is not a SOAP envelope, and a DOCTYPE', () => {
    expect(() => reader.read('<Envelopes/>')).toThrow(/not a SOAP envelope/);
    expect(() => reader.read(`<!DOCTYPE x [<!ENTITY e "x">]>${body('<describeMetadata/>')}`)).toThrow(/^DOCTYPE is disallowed .* at \[row,col\]: \[1,1\]$/);
  });

  it('refuses nesting and attributes beyond the bounds, before reading further', () => {
    const deep = `${'<a>'.repeat(120)}${'</a>'.repeat(120)}`;
    expect(() => read(body(`<describeMetadata>${deep}</describeMetadata>`))).toThrow(/has a depth of "101" that exceeds the limit "100"/);
    const attributes = Array.from({ length: 70 }, (_, i) => `a${i}="x"`).join(' ');
    expect(() => read(body(`<describeMetadata ${attributes}/>`))).toThrow(/has more than "64" attributes/);
  });

  it('reads a large base64 value whole, with surrounding whitespace trimmed, and still refuses a broken envelope around one', () => {
    const zip = 'UEsDBBQAAAAIAA'.repeat(100_000);
    const request = reader.read(body(`<deploy><ZipFile>\n${zip}\n</ZipFile><DeployOptions><checkOnly>true</checkOnly></DeployOptions></deploy>`));
    expect(request.input.ZipFile).toBe(zip);
    expect((request.input.DeployOptions as Record<string, unknown>).checkOnly).toBe(true);
    expect(() => reader.read(body(`<deploy><ZipFile>${zip}</ZipFile>`))).toThrow(/\[row,col\]/);
  });

  it('decodes entities in text', () => {
    const read3000 = read(body(`<listMetadata><queries><type>${'&amp;'.repeat(3000)}</type></queries></listMetadata>`));
    expect((read3000.queries as { type: string }[])[0]!.type).toBe('&'.repeat(3000));
  });

  it.each([
    ['<checkDeployStatus><includeDetails>yes</includeDetails></checkDeployStatus>', "'yes' is not a valid value for the type xsd:boolean"],
    ['<describeMetadata><asOfVersion>new</asOfVersion></describeMetadata>', "'new' is not a valid value for the type xsd:double"],
    ['<checkDeployStatus><includeDetails>true</includeDetails><includeDetails>true</includeDetails></checkDeployStatus>', 'may occur only once'],
    ['<listMetadata><queries xsi:type="Widget"><type>X</type></queries></listMetadata>', 'Unable to find type'],
  ])('refuses %s', (inner, message) => {
    expect(() => read(body(inner))).toThrow(message);
  });
});
