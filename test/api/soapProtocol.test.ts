import * as soap from 'soap';
import { startTestServer, type LocalforceServer } from '../support/localforce';

let server: LocalforceServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const DEFAULT_TOKEN = '00D000000000001AAA!localforce';
const envelope = (body: string, sessionId = DEFAULT_TOKEN) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  `<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${sessionId}</sessionId></SessionHeader><CallOptions><client>test</client></CallOptions></soapenv:Header>` +
  `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

async function post(path: string, body: string) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const unescape = (text: string | undefined) =>
  text?.replace(/&(quot|apos|lt|gt|amp);/g, (_, e: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[e]!);

const faultOf = (text: string) => ({
  code: /<faultcode>([^<]*)<\/faultcode>/.exec(text)?.[1],
  string: unescape(/<faultstring>([^<]*)<\/faultstring>/.exec(text)?.[1]),
});

describe('the SOAP endpoint', () => {
  it('serves its WSDL with this server as the address', async () => {
    const res = await fetch(`${server.url}/services/Soap/m/66.0?wsdl`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('targetNamespace="http://soap.sforce.com/2006/04/metadata"');
    expect(text).toContain(`location="${server.url}/services/Soap/m/66.0"`);
  });

  it('is callable by a node-soap client built from that WSDL', async () => {
    const client = await soap.createClientAsync(`${server.url}/services/Soap/m/66.0?wsdl`);
    client.addSoapHeader({ SessionHeader: { sessionId: server.org.accessToken } }, '', 'tns', 'http://soap.sforce.com/2006/04/metadata');
    const [described] = await client.describeMetadataAsync({ asOfVersion: 66.0 });
    const certificate = [described.result.metadataObjects].flat().find((o: { xmlName: string }) => o.xmlName === 'Certificate');
    expect(certificate).toEqual(expect.objectContaining({ directoryName: 'certs', suffix: 'crt', metaFile: true, inFolder: false }));
    const [valueType] = await client.describeValueTypeAsync({ type: '{http://soap.sforce.com/2006/04/metadata}Certificate' });
    const names = valueType.result.valueTypeFields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['caSigned', 'keySize', 'masterLabel', 'privateKeyExportable']));
  });

  it('answers in the exact envelope jsforce parses: prefixed Envelope and Body, Body bare, WSDL order', async () => {
    const res = await post('/services/Soap/m/66.0', envelope('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml; charset=utf-8');
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/" xmlns="http:\/\/soap.sforce.com\/2006\/04\/metadata" xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance"><soapenv:Body><describeMetadataResponse><result>/);
    const order = ['metadataObjects', 'organizationNamespace', 'partialSaveAllowed', 'testRequired'].map((n) => res.text.indexOf(`<${n}>`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(res.text).toContain('<directoryName>certs</directoryName><inFolder>false</inFolder><metaFile>true</metaFile><suffix>crt</suffix><xmlName>Certificate</xmlName>');
  });

  it('collapses repeated slashes in the path', async () => {
    const res = await post('//services//Soap/m/66.0', envelope('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
    expect(res.status).toBe(200);
  });

  it('answers on the org id path, with a trailing slash, in any case, and leaves other methods to the REST answer', async () => {
    for (const path of ['/services/Soap/m/66.0/00D000000000001AAA', '/services/Soap/m/66.0/', '/services/soap/M/66.0']) {
      const res = await post(path, envelope('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.text).toContain('<describeMetadataResponse>');
    }
    const head = await fetch(`${server.url}/services/Soap/m/66.0?wsdl`, { method: 'HEAD' });
    expect({ status: head.status, type: head.headers.get('content-type') }).toEqual({ status: 200, type: 'text/xml; charset=utf-8' });
    const put = await fetch(`${server.url}/services/Soap/m/66.0`, { method: 'PUT' });
    expect(put.status).toBe(404);
    expect(await put.json()).toEqual([{ errorCode: 'NOT_FOUND', message: expect.stringContaining('PUT /services/Soap/m/66.0') }]);
  });

  it.each(['v62.0', '30.0', '69.0', 'abc'])('refuses API version %s with UNSUPPORTED_API_VERSION', async (version) => {
    const res = await post(`/services/Soap/m/${version}`, envelope('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
    expect(res.status).toBe(500);
    expect(faultOf(res.text)).toEqual({ code: 'sf:UNSUPPORTED_API_VERSION', string: 'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL' });
  });

  it.each([
    ['malformed XML', envelope('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadat>'), /^soapenv:Client$/, /\[row,col\]/],
    ['not an envelope', `<?xml version="1.0"?><hello><SessionHeader><sessionId>${DEFAULT_TOKEN}</sessionId></SessionHeader></hello>`, /^soapenv:Client$/, /SOAP envelope/],
    ['an unknown operation', envelope('<frobnicate/>'), /^soapenv:Client$/, /No operation available for request \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}frobnicate/],
    ['a bad boolean', envelope('<checkDeployStatus><asyncProcessId>0Af000000000001AAA</asyncProcessId><includeDetails>maybe</includeDetails></checkDeployStatus>'), /^soapenv:Client$/, /'maybe' is not a valid value for the type xsd:boolean/],
    ['elements inside a simple value', envelope('<describeMetadata><asOfVersion><type>Certificate</type></asOfVersion></describeMetadata>'), /^soapenv:Client$/, /Unexpected element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}type during simple type deserialization/],
    ['an unknown element', envelope('<describeMetadata><asOfVersion>66.0</asOfVersion><colour>red</colour></describeMetadata>'), /^soapenv:Client$/, /Unexpected element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}colour/],
    ['a bad enum value', envelope('<deploy><ZipFile>UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==</ZipFile><DeployOptions><testLevel>RunEverything</testLevel></DeployOptions></deploy>'), /^soapenv:Client$/, /'RunEverything' is not a valid value for the enum 'TestLevel'/],
    ['a DOCTYPE', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x><SessionHeader><sessionId>${DEFAULT_TOKEN}</sessionId></SessionHeader></x>`, /^soapenv:Client$/, /DOCTYPE/],
    ['nesting deeper than 100 elements', envelope('<describeMetadata/>').replace('<SessionHeader>', `<Extra>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</Extra><SessionHeader>`), /^soapenv:Client$/, /has a depth of "101" that exceeds the limit "100"/],
    ['a control character', envelope('<listMetadata><queries><type>Certificate\u0001</type></queries></listMetadata>'), /^soapenv:Client$/, /An invalid XML character \(Unicode: 0x1\)/],
    ['an unknown deploy id', envelope('<checkDeployStatus><asyncProcessId>0Af000000000001AAA</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>'), /^sf:INVALID_ID_FIELD$/, /INVALID_ID_FIELD: Invalid deploy ID/],
    ['a cancel of an unknown deploy (jsforce\'s <id>)', envelope('<cancelDeploy><id>0Af000000000001AAA</id></cancelDeploy>'), /^sf:INVALID_ID_FIELD$/, /Invalid deploy ID/],
  ])('faults %s in the client\'s terms', async (_label, body, code, message) => {
    const res = await post('/services/Soap/m/66.0', body);
    expect(res.status).toBe(500);
    expect(res.type).toBe('text/xml; charset=utf-8');
    const fault = faultOf(res.text);
    expect(fault.code).toMatch(code);
    expect(fault.string).toMatch(message);
  });

  it.each([
    ['no Header', '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><describeMetadata/></soapenv:Body></soapenv:Envelope>'],
    ['garbage', '<soapenv:Envelope><oops>'],
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'],
    ['an unknown session', envelope('<describeMetadata/>', '00D000000000001AAA!nope')],
    ['a session after the Body', envelope('<describeMetadata/>', '').replace('</soapenv:Body>', `</soapenv:Body><SessionHeader><sessionId>${DEFAULT_TOKEN}</sessionId></SessionHeader>`)],
    ['a session in a comment only', envelope('<describeMetadata/>', '').replace('<SessionHeader>', `<!-- <sessionId>${DEFAULT_TOKEN}</sessionId> --><SessionHeader>`)],
    ['one element with a million attributes', envelope('', '').replace('<soapenv:Body', `<soapenv:Body ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}=""`).join(' ')}`)],
  ])('faults %s with INVALID_SESSION_ID before reading the message', async (_label, body) => {
    const res = await post('/services/Soap/m/66.0', body);
    expect(res.status).toBe(500);
    expect(faultOf(res.text)).toEqual({ code: 'sf:INVALID_SESSION_ID', string: 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session' });
  });

  it('faults one element with a million attributes, with a session, as too many attributes', async () => {
    const res = await post('/services/Soap/m/66.0', envelope('<describeMetadata/>').replace('<soapenv:Body', `<soapenv:Body ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}=""`).join(' ')}`));
    expect(faultOf(res.text)).toEqual({ code: 'soapenv:Client', string: expect.stringMatching(/^Element "soapenv:Body" has more than "64" attributes/) });
  });

  it('faults a SOAP message over the 50 MB limit without reading it all', async () => {
    const res = await post('/services/Soap/m/66.0', envelope(`<deploy><ZipFile>${'A'.repeat(51 * 1024 * 1024)}</ZipFile></deploy>`));
    expect(res.status).toBe(500);
    expect(faultOf(res.text)).toEqual({ code: 'soapenv:Client', string: 'Maximum size of request reached. Maximum size of request is 52428800 bytes.' });
  });

  it.each([
    ['listMetadata', '<listMetadata><queries><type>Certificate</type></queries></listMetadata>'],
    ['describeValueType', '<describeValueType><type>{http://soap.sforce.com/2006/04/metadata}Certificate</type></describeValueType>'],
    ['readMetadata', '<readMetadata><type>Certificate</type><fullNames>X</fullNames></readMetadata>'],
  ])('agrees in %s that API 35.0 has no Certificate type', async (_op, body) => {
    const res = await post('/services/Soap/m/35.0', envelope(body));
    expect(res.status).toBe(500);
    expect(faultOf(res.text)).toEqual({ code: 'sf:INVALID_TYPE', string: expect.stringMatching(/^INVALID_TYPE: The Certificate type is available from API version 36\.0/) });
  });

  it('answers unknown paths with a JSON 404, not HTML', async () => {
    const res = await fetch(`${server.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'NOT_FOUND' })]);
  });

  it('reports health', async () => {
    const res = await fetch(`${server.url}/_localforce/health`);
    expect(await res.json()).toEqual(expect.objectContaining({ status: 'ok', version: expect.any(String) }));
  });
});
