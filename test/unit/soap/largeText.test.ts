import { parseEnvelope } from '../../../src/soap/envelope';
import { setAsideLargeText } from '../../../src/soap/largeText';

const envelope = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${body}</soapenv:Body></soapenv:Envelope>`;

describe('large base64 text set aside while an envelope is parsed', () => {
  const zip = 'UEsDBBQAAAAIAA'.repeat(10_000);

  it('gives the parsed value back whole, with surrounding whitespace trimmed', () => {
    const request = parseEnvelope(envelope(`<deploy><ZipFile>\n${zip}\n</ZipFile><DeployOptions><checkOnly>true</checkOnly></DeployOptions></deploy>`));
    expect(request.body).toEqual({ ZipFile: zip, DeployOptions: { checkOnly: 'true' } });
  });

  it('leaves small text and text that is not base64 to the parser', () => {
    const text = `a${'x&amp;'.repeat(5000)}`;
    const { xml } = setAsideLargeText(`<a>${text}</a><b>short</b>`);
    expect(xml).toBe(`<a>${text}</a><b>short</b>`);
    expect(parseEnvelope(envelope(`<deploy><ZipFile>${'&amp;'.repeat(3000)}</ZipFile></deploy>`)).body).toEqual({ ZipFile: '&'.repeat(3000) });
  });

  it('still refuses a broken envelope around a large payload', () => {
    expect(() => parseEnvelope(envelope(`<deploy><ZipFile>${zip}</ZipFile>`))).toThrow();
  });
});
