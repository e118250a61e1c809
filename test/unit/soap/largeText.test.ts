import { setAsideLargeText } from '../../../src/soap/largeText';
import { RequestReader } from '../../../src/soap/requestReader';
import { metadataSchema } from '../../../src/soap/wsdlSchema';

const envelope = (body: string) =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata">' +
  `<SessionHeader><sessionId>00D000000000001AAA!localforce</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

describe('large base64 text set aside while a SOAP request is read', () => {
  const reader = new RequestReader(metadataSchema());
  const zip = 'UEsDBBQAAAAIAA'.repeat(10_000);

  it('gives the read value back whole, with surrounding whitespace trimmed', () => {
    const request = reader.read(envelope(`<deploy><ZipFile>\n${zip}\n</ZipFile><DeployOptions><checkOnly>true</checkOnly></DeployOptions></deploy>`));
    expect(request.input.ZipFile).toBe(zip);
    expect((request.input.DeployOptions as Record<string, unknown>).checkOnly).toBe(true);
  });

  it('leaves small text and text that is not base64 to the parser', () => {
    const text = `a${'x&amp;'.repeat(5000)}`;
    expect(setAsideLargeText(`<a>${text}</a><b>short</b>`).xml).toBe(`<a>${text}</a><b>short</b>`);
    const read = reader.read(envelope(`<listMetadata><queries><type>${'&amp;'.repeat(3000)}</type></queries></listMetadata>`));
    expect((read.input.queries as { type: string }[])[0]!.type).toBe('&'.repeat(3000));
  });

  it('still refuses a broken envelope around a large payload', () => {
    expect(() => reader.read(envelope(`<deploy><ZipFile>${zip}</ZipFile>`))).toThrow(/\[row,col\]/);
  });
});
