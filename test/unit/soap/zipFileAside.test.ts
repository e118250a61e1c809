import { randomBytes } from 'node:crypto';
import { RequestReader } from '../../../src/soap/requestReader';
import { metadataSchema } from '../../../src/soap/wsdlSchema';
import { ZipFileAside } from '../../../src/soap/zipFileAside';
import { SpooledZip } from '../../../src/package/spooledZip';

const envelope = (body: string) =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata">' +
  `<SessionHeader><sessionId>00D000000000001AAA!localforce</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

/** Feeds `message` in chunks of `size` bytes; returns what the message keeps and the payload. */
function feed(message: string, size: number, expectedBytes = 0, spoolFrom?: number) {
  const aside = new ZipFileAside(expectedBytes, spoolFrom);
  const bytes = Buffer.from(message, 'utf8');
  const kept: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) kept.push(...aside.push(bytes.subarray(i, i + size)));
  return { text: Buffer.concat(kept).toString('utf8'), payload: aside.payload };
}

describe('a deploy\'s ZipFile decoded as the message arrives', () => {
  const reader = new RequestReader(metadataSchema());
  const zip = randomBytes(100_003);
  const base64 = zip.toString('base64');

  it.each([1, 3, 7, 1000, 65_536, 1 << 20])('gives the same bytes whatever the chunks (%i bytes), with the rest of the message kept', (size) => {
    const message = envelope(`<deploy><ZipFile>${base64}</ZipFile><DeployOptions><checkOnly>true</checkOnly></DeployOptions></deploy>`);
    const { text, payload } = feed(message, size);
    expect((payload!.zip as Buffer).equals(zip)).toBe(true);
    expect(text).toBe(message.replace(base64, payload!.marker));
    const request = reader.read(text, payload);
    expect((request.input.ZipFile as Buffer).equals(zip)).toBe(true);
    expect((request.input.DeployOptions as Record<string, unknown>).checkOnly).toBe(true);
  });

  it.each([3, 50, 4096])('skips line breaks and blank space inside the text, and finds a prefixed tag with attributes (chunks of %i bytes)', (size) => {
    const wrapped = base64.replace(/(.{76})/g, '$1\r\n');
    const message = envelope(`<met:deploy xmlns:met="http://soap.sforce.com/2006/04/metadata"><met:ZipFile xsi:type="xsd:base64Binary" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n  ${wrapped}\n</met:ZipFile></met:deploy>`);
    const { payload } = feed(message, size, message.length);
    expect((payload!.zip as Buffer).equals(zip)).toBe(true);
  });

  it('grows past a declared length that was too small', () => {
    const { payload } = feed(envelope(`<deploy><ZipFile>${base64}</ZipFile></deploy>`), 8192, 10);
    expect((payload!.zip as Buffer).equals(zip)).toBe(true);
  });

  it.each([
    ['declared length', 300_000, 3],
    ['bytes so far', 0, 65_536],
  ])('writes a zip larger than the spooling size to a temporary file, found by the %s', (_, declared, size) => {
    const message = envelope(`<deploy><ZipFile>${base64}</ZipFile></deploy>`);
    const { text, payload } = feed(message, size, declared, 50_000);
    const spooled = payload!.zip as SpooledZip;
    expect(spooled).toBeInstanceOf(SpooledZip);
    try {
      expect(spooled.bytes().equals(zip)).toBe(true);
      expect(reader.read(text, payload).input.ZipFile).toBe(spooled);
    } finally {
      spooled.discard();
    }
  });

  it('leaves CDATA, an empty element and a message without ZipFile to the reader', () => {
    for (const body of [`<deploy><ZipFile><![CDATA[${base64}]]></ZipFile></deploy>`, '<deploy><ZipFile/></deploy>', '<deploy><ZipFile>  </ZipFile></deploy>', `<listMetadata><queries><type>ApexClass</type></queries></listMetadata>`]) {
      const message = envelope(body);
      const { text, payload } = feed(message, 5);
      expect(payload).toBeUndefined();
      expect(text).toBe(message.replace('<ZipFile>  <', '<ZipFile><')); // blank space alone is no content
    }
    const cdata = feed(envelope(`<deploy><ZipFile><![CDATA[${base64}]]></ZipFile></deploy>`), 100);
    expect(reader.read(cdata.text, cdata.payload).input.ZipFile).toBe(base64);
  });

  it('refuses a ZipFile with a character base64 has not, with the fault the reader gives', () => {
    const { text, payload } = feed(envelope(`<deploy><ZipFile>  UEsDBBQ${'A'.repeat(9000)}*AAA</ZipFile></deploy>`), 1000);
    expect(payload!.zip).toBeUndefined();
    expect(() => reader.read(text, payload)).toThrow("'UEsDBBQAAAAAAAAAAAAA' is not a valid value for the type xsd:base64Binary");
  });
});
