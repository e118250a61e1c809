import { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Connection } from 'jsforce';
import { generateRsaKeyPair } from '../../src/crypto';
import { asArray, soapLogin, startTestServer, tokenConnection, type LocalforceServer } from '../support/localforce';
import {
  orgMadeExpiry, expectOrgMade, foreignCsr, makeTestCa, openssl, orgSubject, pemBlocks, readCsr, signCsr, type TestCa,
} from '../support/testCa';

/*
 * The CRUD calls for Certificate through jsforce over HTTP (createMetadata, updateMetadata,
 * upsertMetadata, deleteMetadata, renameMetadata, readMetadata), and raw SOAP where jsforce cannot
 * say what is tested (AllOrNoneHeader, several types in one call, describeValueType).
 */

let server: LocalforceServer;
let conn: Connection;
let ca: TestCa;

beforeAll(async () => {
  [server, ca] = await Promise.all([startTestServer(), makeTestCa('Crud')]);
  conn = await soapLogin(server);
});
afterAll(async () => { await server?.close(); });

interface ApiError { statusCode: string; message: string; fields: string[] }
interface SaveResult { fullName: string; success: boolean; errors: ApiError[]; created?: boolean }
interface CertRecord {
  fullName: string; content?: string; caSigned: boolean; encryptedWithPlatformEncryption?: boolean; expirationDate?: string;
  keySize?: number; masterLabel: string; privateKeyExportable?: boolean;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
const isoOf = (x509Date: string): string => new Date(x509Date).toISOString();

async function create(records: Partial<CertRecord>[]): Promise<SaveResult[]> {
  return asArray(await conn.metadata.create('Certificate', records as never) as unknown as SaveResult[]).map(normalise);
}
async function update(records: Partial<CertRecord>[]): Promise<SaveResult[]> {
  return asArray(await conn.metadata.update('Certificate', records as never) as unknown as SaveResult[]).map(normalise);
}
async function upsert(records: Partial<CertRecord>[]): Promise<SaveResult[]> {
  return asArray(await conn.metadata.upsert('Certificate', records as never) as unknown as SaveResult[]).map(normalise);
}
async function read(names: string[]): Promise<CertRecord[]> {
  return asArray(await conn.metadata.read('Certificate', names) as unknown as CertRecord[]);
}
async function readOne(name: string): Promise<CertRecord> {
  const [r] = await read([name]);
  if (!r) throw new Error(`${name} is not in the org`);
  return r;
}
const normalise = (r: SaveResult): SaveResult => ({ ...r, errors: asArray(r.errors).map((e) => ({ ...e, fields: asArray(e.fields) })) });

async function lastModified(name: string): Promise<string | undefined> {
  const list = asArray(await conn.metadata.list([{ type: 'Certificate' }]));
  return list.find((p) => p.fullName === name)?.lastModifiedDate;
}

/** One SOAP call to the Metadata API, for what jsforce does not expose (headers, mixed types). */
async function soap(operation: string, bodyXml: string, headers = ''): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const envelope = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://soap.sforce.com/2006/04/metadata">
  <soapenv:Header><SessionHeader><sessionId>${conn.accessToken}</sessionId></SessionHeader>${headers}</soapenv:Header>
  <soapenv:Body><${operation}>${bodyXml}</${operation}></soapenv:Body>
</soapenv:Envelope>`;
  const res = await fetch(`${server.url}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body: envelope });
  const text = await res.text();
  const parsed = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false, isArray: (n) => ['result', 'errors', 'fields', 'valueTypeFields'].includes(n) }).parse(text) as Record<string, any>;
  return { status: res.status, body: parsed.Envelope.Body as Record<string, unknown>, text };
}

const certXml = (r: { fullName: string; caSigned?: boolean; masterLabel?: string; keySize?: number }, type = 'Certificate') =>
  `<metadata xsi:type="${type}"><fullName>${r.fullName}</fullName>${r.caSigned === undefined ? '' : `<caSigned>${r.caSigned}</caSigned>`}` +
  `${r.keySize ? `<keySize>${r.keySize}</keySize>` : ''}${r.masterLabel === undefined ? '' : `<masterLabel>${r.masterLabel}</masterLabel>`}</metadata>`;
const allOrNone = (on: boolean) => `<AllOrNoneHeader><allOrNone>${on}</allOrNone></AllOrNoneHeader>`;

describe('createMetadata and readMetadata', () => {
  it('creates a self-signed certificate and reads it back with its content as base64, like retrieve', async () => {
    const [r] = await create([{ fullName: 'Crud_Self', caSigned: false, masterLabel: '  Crud self-signed  ' }]);
    expect(r).toEqual({ fullName: 'Crud_Self', success: true, errors: [] });
    const record = await readOne('Crud_Self');
    expect(record).toMatchObject({
      fullName: 'Crud_Self', caSigned: false, encryptedWithPlatformEncryption: false, keySize: 2048, masterLabel: 'Crud self-signed', privateKeyExportable: true,
    });
    const pem = unb64(record.content);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const x509 = new X509Certificate(pem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.subject).toBe(orgSubject('Crud_Self', server.org.id));
    expect(x509.subject).toBe('CN=Crud_Self\nOU=00D000000000001\nO=Salesforce.com\nL=San Francisco\nST=CA\nC=USA');
    expect(record.expirationDate).toBe(isoOf(x509.validTo));
    expect(record.expirationDate).toBe(orgMadeExpiry(x509.validFrom, 1));
    expectOrgMade(pem);
    expect(openssl(['verify', '-CAfile', '{c.pem}', '{c.pem}'], { 'c.pem': pem }).status).toBe(0);
  });

  it('ignores expirationDate on input (in either form) and stores encryptedWithPlatformEncryption', async () => {
    const before = new Date();
    const [a, b] = await create([
      { fullName: 'Crud_Dated', caSigned: false, masterLabel: 'Dated', expirationDate: '2017-03-19' },
      { fullName: 'Crud_Encrypted', caSigned: true, masterLabel: 'Encrypted', encryptedWithPlatformEncryption: true, expirationDate: '2017-03-19T00:00:00.000Z' },
    ]);
    expect([a!.success, b!.success]).toEqual([true, true]);
    const dated = await readOne('Crud_Dated');
    expect(dated.expirationDate).toBe(isoOf(new X509Certificate(unb64(dated.content)).validTo));
    // readMetadata always carries it, false included, as a real retrieve does.
    expect(dated.encryptedWithPlatformEncryption).toBe(false);
    const encrypted = await readOne('Crud_Encrypted');
    expect(encrypted.encryptedWithPlatformEncryption).toBe(true);
    // A CSR waiting for its chain: the anniversary of the date it was made, at midnight or noon UTC.
    const after = new Date();
    expect([orgMadeExpiry(before, 1), orgMadeExpiry(after, 1)]).toContain(encrypted.expirationDate);
  });

  it('returns no record for a name that does not exist', async () => {
    const records = await read(['Crud_Self', 'No_Such_Cert']);
    expect(records.map((r) => r.fullName)).toEqual(['Crud_Self']);
  });

  it('refuses a name that exists, in any case, with DUPLICATE_DEVELOPER_NAME', async () => {
    const before = await readOne('Crud_Self');
    const results = await create([
      { fullName: 'crud_self', caSigned: false, masterLabel: 'Again' },
      { fullName: 'Crud_Twice', caSigned: false, masterLabel: 'Once' },
      { fullName: 'CRUD_TWICE', caSigned: false, masterLabel: 'Twice' },
    ]);
    expect(results[0]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'DUPLICATE_DEVELOPER_NAME', fields: ['fullName'] })] });
    expect(results[0]!.errors[0]!.message).toMatch(/crud_self/);
    expect(results[1]).toMatchObject({ success: true });
    expect(results[2]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'DUPLICATE_DEVELOPER_NAME' })] });
    expect(await readOne('Crud_Self')).toEqual(before);
  });

  it.each([
    ['masterLabel missing', { fullName: 'Crud_Req1', caSigned: false }, 'REQUIRED_FIELD_MISSING', 'masterLabel', /Certificate Crud_Req1: Required field is missing: masterLabel/],
    ['masterLabel blank', { fullName: 'Crud_Req2', caSigned: false, masterLabel: '   ' }, 'REQUIRED_FIELD_MISSING', 'masterLabel', /Required field is missing: masterLabel/],
    ['caSigned missing', { fullName: 'Crud_Req3', masterLabel: 'x' }, 'REQUIRED_FIELD_MISSING', 'caSigned', /Certificate Crud_Req3: Required field is missing: caSigned/],
    ['fullName missing', { caSigned: false, masterLabel: 'x' }, 'REQUIRED_FIELD_MISSING', 'fullName', /Required field is missing: fullName/],
    ['masterLabel of 65 characters', { fullName: 'Crud_Long', caSigned: false, masterLabel: 'L'.repeat(65) }, 'STRING_TOO_LONG', 'masterLabel', /Certificate Crud_Long: Master Label: data value too large: L{65} \(max length=64\)/],
    ['keySize 1024', { fullName: 'Crud_Size', caSigned: false, masterLabel: 'x', keySize: 1024 }, 'FIELD_INTEGRITY_EXCEPTION', 'keySize', /Certificate Crud_Size: keySize 1024 is not supported. Use 2048 or 4096./],
    ['a bad name', { fullName: 'Crud__Bad_', caSigned: false, masterLabel: 'x' }, 'FIELD_INTEGRITY_EXCEPTION', 'fullName', /The Certificate name 'Crud__Bad_' is not valid/],
  ])('refuses %s', async (_what, record, statusCode, field, message) => {
    const [r] = await create([record as Partial<CertRecord>]);
    expect(r!.success).toBe(false);
    expect(r!.errors).toEqual([{ statusCode, fields: [field], message: expect.stringMatching(message), extendedErrorDetails: expect.anything() }].map(({ extendedErrorDetails: _e, ...e }) => expect.objectContaining(e)));
    if ('fullName' in record) expect(await read([record.fullName as string])).toEqual([]);
  });

  it('accepts a masterLabel of exactly 64 characters', async () => {
    const [r] = await create([{ fullName: 'Crud_Label64', caSigned: false, masterLabel: 'M'.repeat(64) }]);
    expect(r!.success).toBe(true);
    expect((await readOne('Crud_Label64')).masterLabel).toBe('M'.repeat(64));
  });

  it('refuses content holding a private key', async () => {
    const key = await generateRsaKeyPair(2048);
    const [r] = await create([{ fullName: 'Crud_Key', caSigned: false, masterLabel: 'x', content: b64(key.privateKeyPem) }]);
    expect(r).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['content'] })] });
    expect(r!.errors[0]!.message).toMatch(/Certificate Crud_Key: the content holds a private key/);
  });

  it('copies the subject of a CSR for a new CA-signed certificate', async () => {
    const theirs = await foreignCsr([{ shortName: 'CN', value: 'crud.example.net' }, { shortName: 'O', value: 'Crud Inc' }]);
    const [r] = await create([{ fullName: 'Crud_FromCsr', caSigned: true, masterLabel: 'From CSR', content: b64(theirs.pem) }]);
    expect(r!.success).toBe(true);
    const info = readCsr(unb64((await readOne('Crud_FromCsr')).content));
    expect(info.subject).toEqual([{ shortName: 'CN', value: 'crud.example.net' }, { shortName: 'O', value: 'Crud Inc' }]);
    expect(info.signatureVerifies).toBe(true);
    expect(info.publicKeyPem).not.toBe(theirs.key.publicKeyPem);
  });

  it('saves what it can when records fail (partial save is the default)', async () => {
    const results = await create([
      { fullName: 'Crud_PartOk', caSigned: false, masterLabel: 'ok' },
      { fullName: 'Crud_PartBad', caSigned: false, masterLabel: '' },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect((await read(['Crud_PartOk', 'Crud_PartBad'])).map((r) => r.fullName)).toEqual(['Crud_PartOk']);
  });
});

describe('updateMetadata: the signed chain of a CA-signed certificate', () => {
  const name = 'Crud_Signed';
  let csr: string;

  beforeAll(async () => {
    const [r] = await create([{ fullName: name, caSigned: true, masterLabel: 'CRUD signed' }]);
    expect(r!.success).toBe(true);
    csr = unb64((await readOne(name)).content);
    expect(readCsr(csr).signatureVerifies).toBe(true);
  });

  it('refuses a chain for another key with a message naming the component, leaving it as it was', async () => {
    const before = await readOne(name);
    const other = await generateRsaKeyPair(2048);
    const wrong = await signCsr(ca, csr, { publicKeyPem: other.publicKeyPem });
    const [r] = await update([{ fullName: name, caSigned: true, masterLabel: 'CRUD signed', content: b64(wrong + ca.inter) }]);
    expect(r).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['content'] })] });
    expect(r!.errors[0]!.message).toMatch(/^Certificate Crud_Signed: the certificate chain does not match this certificate's private key/);
    expect(await readOne(name)).toEqual(before);
  });

  it('takes the chain the CA signed for its CSR', async () => {
    const leaf = await signCsr(ca, csr);
    const [r] = await update([{ fullName: name, caSigned: true, masterLabel: 'CRUD signed', content: b64(leaf + ca.inter) }]);
    expect(r).toEqual({ fullName: name, success: true, errors: [] });
    const record = await readOne(name);
    const chain = unb64(record.content);
    expect(pemBlocks(chain)).toEqual([leaf, ca.inter]);
    expect(record.expirationDate).toBe(isoOf(new X509Certificate(leaf).validTo));
    const v = openssl(['verify', '-CAfile', '{root.pem}', '-untrusted', '{inter.pem}', '{leaf.pem}'], { 'root.pem': ca.root, 'inter.pem': ca.inter, 'leaf.pem': pemBlocks(chain)[0]! });
    expect(v.status).toBe(0);
  });

  it('leaves the certificate untouched when the record read back is saved as it is', async () => {
    const before = await readOne(name);
    const stamp = await lastModified(name);
    expect(stamp).toBeDefined();
    const [r] = await update([before]);
    expect(r!.success).toBe(true);
    expect(await readOne(name)).toEqual(before);
    expect(await lastModified(name)).toBe(stamp);
  });

  it.each([
    ['caSigned', { caSigned: false }],
    ['keySize', { keySize: 4096 }],
    ['privateKeyExportable', { privateKeyExportable: false }],
  ])('refuses a change of %s, naming the field', async (field, change) => {
    const before = await readOne(name);
    const [r] = await update([{ fullName: name, caSigned: true, masterLabel: 'CRUD signed', ...change }]);
    expect(r).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [field] })] });
    expect(r!.errors[0]!.message).toMatch(new RegExp(`^Certificate Crud_Signed: ${field} cannot be changed after the certificate is created`));
    expect(await readOne(name)).toEqual(before);
  });

  it('updates the label and keeps the content when no content is sent', async () => {
    const before = await readOne(name);
    const [r] = await update([{ fullName: name, caSigned: true, masterLabel: 'CRUD signed, renamed' }]);
    expect(r!.success).toBe(true);
    const after = await readOne(name);
    expect(after).toEqual({ ...before, masterLabel: 'CRUD signed, renamed' });
  });

  it('refuses an update of a certificate that does not exist with INVALID_CROSS_REFERENCE_KEY', async () => {
    const [r] = await update([{ fullName: 'Crud_Ghost', caSigned: false, masterLabel: 'x' }]);
    expect(r).toMatchObject({
      success: false,
      errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'In field: fullName - no Certificate named Crud_Ghost found', fields: ['fullName'] })],
    });
    expect(await read(['Crud_Ghost'])).toEqual([]);
  });
});

describe('upsertMetadata', () => {
  it('creates what is new and updates what exists, saying which', async () => {
    await create([{ fullName: 'Crud_Up1', caSigned: false, masterLabel: 'First' }]);
    const before = await readOne('Crud_Up1');
    const results = await upsert([
      { fullName: 'Crud_Up1', caSigned: false, masterLabel: 'First, updated' },
      { fullName: 'Crud_Up2', caSigned: true, masterLabel: 'Second' },
    ]);
    expect(results).toEqual([
      { fullName: 'Crud_Up1', success: true, created: false, errors: [] },
      { fullName: 'Crud_Up2', success: true, created: true, errors: [] },
    ]);
    expect(await readOne('Crud_Up1')).toEqual({ ...before, masterLabel: 'First, updated' });
    expect(unb64((await readOne('Crud_Up2')).content)).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  });
});

describe('deleteMetadata and renameMetadata', () => {
  beforeAll(async () => {
    const results = await create(['Crud_Del1', 'Crud_Del2', 'Crud_Ren1', 'Crud_Ren2'].map((fullName) => ({ fullName, caSigned: false, masterLabel: fullName })));
    expect(results.every((r) => r.success)).toBe(true);
  });

  it('deletes what exists and reports INVALID_CROSS_REFERENCE_KEY for what does not', async () => {
    const results = asArray(await conn.metadata.delete('Certificate', ['Crud_Del1', 'Crud_Nope']) as unknown as SaveResult[]).map(normalise);
    expect(results[0]).toEqual({ fullName: 'Crud_Del1', success: true, errors: [] });
    expect(results[1]).toMatchObject({
      fullName: 'Crud_Nope', success: false,
      errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'In field: fullName - no Certificate named Crud_Nope found' })],
    });
    expect(await read(['Crud_Del1'])).toEqual([]);
  });

  it('renames, keeping the certificate', async () => {
    const before = await readOne('Crud_Ren1');
    const r = normalise(await conn.metadata.rename('Certificate', 'Crud_Ren1', 'Crud_Renamed') as unknown as SaveResult);
    // As the real service does (client libraries' own suites check it), the answer names the old name.
    expect(r).toEqual({ fullName: 'Crud_Ren1', success: true, errors: [] });
    expect(await read(['Crud_Ren1'])).toEqual([]);
    expect(await readOne('Crud_Renamed')).toEqual({ ...before, fullName: 'Crud_Renamed' });
  });

  it.each([
    ['onto an existing name', 'Crud_Renamed', 'Crud_Ren2', 'DUPLICATE_DEVELOPER_NAME'],
    ['a certificate that does not exist', 'Crud_Nope', 'Crud_Other', 'INVALID_CROSS_REFERENCE_KEY'],
    ['to a name that is not valid', 'Crud_Renamed', '9_Crud', 'FIELD_INTEGRITY_EXCEPTION'],
  ])('refuses a rename %s', async (_what, from, to, statusCode) => {
    const r = normalise(await conn.metadata.rename('Certificate', from, to) as unknown as SaveResult);
    expect(r).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode })] });
    expect(await read(['Crud_Renamed', 'Crud_Ren2'])).toHaveLength(2);
  });
});

describe('call limits and headers', () => {
  const eleven = Array.from({ length: 11 }, (_, i) => ({ fullName: `Crud_Lim${i}`, caSigned: false, masterLabel: `Limit ${i}` }));

  it('takes at most 10 components per call', async () => {
    await expect(create(eleven)).rejects.toThrow(/EXCEEDED_ID_LIMIT/);
    await expect(read(eleven.map((r) => r.fullName))).rejects.toThrow(/EXCEEDED_ID_LIMIT/);
    await expect(conn.metadata.delete('Certificate', eleven.map((r) => r.fullName))).rejects.toThrow(/EXCEEDED_ID_LIMIT/);
    expect(await read(eleven.slice(0, 10).map((r) => r.fullName))).toEqual([]);
  });

  it('takes one type per call', async () => {
    const res = await soap('createMetadata', certXml({ fullName: 'Crud_Mixed1', caSigned: false, masterLabel: 'x' }) + certXml({ fullName: 'Crud_Mixed2' }, 'MetadataWithContent'));
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>sf:INVALID_TYPE</faultcode>');
    expect(await read(['Crud_Mixed1'])).toEqual([]);
  });

  it('AllOrNoneHeader allOrNone=true: one bad record rolls back all', async () => {
    const records = certXml({ fullName: 'Crud_Aon1', caSigned: false, masterLabel: 'All or none' }) + certXml({ fullName: 'Crud_Aon2', caSigned: false, masterLabel: '' });
    const res = await soap('createMetadata', records, allOrNone(true));
    expect(res.status).toBe(200);
    const results = (res.body.createMetadataResponse as { result: { fullName: string; success: string; errors: { statusCode: string; message: string }[] }[] }).result;
    expect(results.map((r) => [r.fullName, r.success, r.errors[0]!.statusCode])).toEqual([
      ['Crud_Aon1', 'false', 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      ['Crud_Aon2', 'false', 'REQUIRED_FIELD_MISSING'],
    ]);
    expect(results[0]!.errors[0]!.message).toBe('Record rolled back because not all records were valid and the request was using AllOrNone header');
    expect(await read(['Crud_Aon1', 'Crud_Aon2'])).toEqual([]);

    const partial = await soap('createMetadata', records, allOrNone(false));
    const saved = (partial.body.createMetadataResponse as { result: { success: string }[] }).result;
    expect(saved.map((r) => r.success)).toEqual(['true', 'false']);
    expect((await read(['Crud_Aon1', 'Crud_Aon2'])).map((r) => r.fullName)).toEqual(['Crud_Aon1']);
  });

  it('AllOrNoneHeader allOrNone=true on deleteMetadata: a missing name keeps the others', async () => {
    const res = await soap('deleteMetadata', '<type>Certificate</type><fullNames>Crud_Aon1</fullNames><fullNames>Crud_Missing</fullNames>', allOrNone(true));
    const results = (res.body.deleteMetadataResponse as { result: { success: string; errors: { statusCode: string }[] }[] }).result;
    expect(results.map((r) => [r.success, r.errors[0]!.statusCode])).toEqual([
      ['false', 'ALL_OR_NONE_OPERATION_ROLLED_BACK'], ['false', 'INVALID_CROSS_REFERENCE_KEY'],
    ]);
    expect(await read(['Crud_Aon1'])).toHaveLength(1);
  });
});

describe('API versions', () => {
  it('knows Certificate from API 36.0 only', async () => {
    const old = tokenConnection(server, conn.accessToken!);
    old.version = '35.0';
    await expect(old.metadata.create('Certificate', [{ fullName: 'Crud_V35', caSigned: false, masterLabel: 'x' }] as never)).rejects.toThrow(/INVALID_TYPE: The Certificate type is available from API version 36.0/);
    await expect(old.metadata.read('Certificate', ['Crud_Self'])).rejects.toThrow(/INVALID_TYPE/);
    const v36 = tokenConnection(server, conn.accessToken!);
    v36.version = '36.0';
    expect((await v36.metadata.read('Certificate', ['Crud_Self']) as unknown as CertRecord[])).toHaveLength(1);
    expect(await read(['Crud_V35'])).toEqual([]);
  });
});

describe('describeValueType', () => {
  it('lists the fields of Certificate with their types and which are required', async () => {
    const res = await conn.metadata._invoke('describeValueType', { type: '{http://soap.sforce.com/2006/04/metadata}Certificate' }) as {
      apiCreatable: string; apiDeletable: string; apiReadable: string; apiUpdatable: string;
      valueTypeFields: { name: string; soapType: string; valueRequired: string; minOccurs: string; isNameField: string }[];
    };
    expect([res.apiCreatable, res.apiDeletable, res.apiReadable, res.apiUpdatable]).toEqual(['true', 'true', 'true', 'true']);
    const fields = asArray(res.valueTypeFields).map((f) => [f.name, f.soapType, f.valueRequired, f.minOccurs]);
    expect(fields).toEqual([
      ['fullName', 'string', 'false', '0'],
      ['content', 'base64Binary', 'false', '0'],
      ['caSigned', 'boolean', 'true', '1'],
      ['encryptedWithPlatformEncryption', 'boolean', 'false', '0'],
      ['expirationDate', 'dateTime', 'false', '0'],
      ['keySize', 'int', 'false', '0'],
      ['masterLabel', 'string', 'true', '1'],
      ['privateKeyExportable', 'boolean', 'false', '0'],
    ]);
    expect(asArray(res.valueTypeFields).find((f) => f.isNameField === 'true')?.name).toBe('fullName');
  });

  it('faults an unknown type with INVALID_TYPE', async () => {
    await expect(conn.metadata._invoke('describeValueType', { type: '{http://soap.sforce.com/2006/04/metadata}NoSuchType' })).rejects.toThrow(/INVALID_TYPE/);
  });
});
