import { randomBytes } from 'node:crypto';
import { writeCompact, type XmlNode } from '../../../src/package/xmlTree';
import { PART_BYTES, PartedBytes } from '../../../src/soap/partedBytes';
import { metadataSchema, type FieldDef } from '../../../src/soap/wsdlSchema';
import { escapeXml, StringSink, WrittenXml, XML_BODY, XmlWriter, XSI_TYPE, type XmlSink } from '../../../src/soap/xmlWriter';

const schema = metadataSchema();

/**
 * The writing rules, read field by field from the WSDL on every value: what the generated writers
 * must give byte for byte.
 */
function reference(name: string, value: unknown, field: FieldDef): string {
  if (field.many && Array.isArray(value)) return value.map((item) => one(name, item, field)).join('');
  return one(name, value, field);
}

function one(name: string, value: unknown, field: FieldDef): string {
  if (value === undefined) return '';
  if (value === null) return field.nillable ? `<${name} xsi:nil="true"/>` : '';
  if (!field.complex) {
    let text: string;
    switch (field.type) {
      case 'boolean': text = value ? 'true' : 'false'; break;
      case 'int': case 'long': text = String(Math.trunc(Number(value))); break;
      case 'double': { const n = Number(value); text = Number.isInteger(n) ? n.toFixed(1) : String(n); break; }
      case 'dateTime': text = value instanceof Date ? value.toISOString() : String(value); break;
      case 'base64Binary': text = Buffer.isBuffer(value) ? value.toString('base64') : String(value); break;
      default: text = String(value);
    }
    return `<${name}>${escapeXml(text)}</${name}>`;
  }
  if (value instanceof WrittenXml) return value.bytes.toString('utf8');
  const actual = (value as { [XSI_TYPE]?: string })[XSI_TYPE] ?? field.type;
  const open = actual === field.type ? `<${name}>` : `<${name} xsi:type="${actual}">`;
  const body = (value as { [XML_BODY]?: XmlNode[] })[XML_BODY];
  if (body) return `${open}${writeCompact(body)}</${name}>`;
  const fields = schema.fieldsOf(actual).map((f) => reference(f.name, (value as Record<string, unknown>)[f.name], f)).join('');
  return `${open}${fields}</${name}>`;
}

/** A small seeded generator, so that a failure can be run again as it was. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

type Random = ReturnType<typeof random>;

const TEXTS = ['', 'plain', 'A<B & "C">', 'élan – ✓ 𝄞', ' spaced ', '0', 'x'.repeat(40)];

function simpleValue(r: Random, field: FieldDef): unknown {
  switch (field.type) {
    case 'boolean': return r.pick([true, false, 0, 1, '', 'false']);
    case 'int': case 'long': return r.pick([0, 12, -3, 7.8, '42', 'NaN']);
    case 'double': return r.pick([0, 1.5, -2, '3', 1e21, 0.1 + 0.2]);
    case 'dateTime': return r.pick([new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-12-07T00:00:00.000Z', 'a<b']);
    case 'base64Binary': return r.pick([Buffer.from('zip bytes \u00ff'), Buffer.alloc(0), 'QUJD']);
    default: return r.pick(TEXTS);
  }
}

function complexValue(r: Random, type: string, depth: number): Record<string, unknown> {
  // Metadata records of a subtype, as readMetadata answers them.
  if (type === 'Metadata' && r.next() < 0.6) {
    const record = complexValue(r, 'Certificate', depth);
    Object.defineProperty(record, XSI_TYPE, { value: 'Certificate', enumerable: false });
    return record;
  }
  if (type === 'Metadata' && r.next() < 0.5) {
    const record: Record<string, unknown> = {};
    Object.defineProperty(record, XSI_TYPE, { value: 'ApexClass', enumerable: false });
    Object.defineProperty(record, XML_BODY, { value: [{ fullName: [{ '#text': 'A&B' }] }, { status: [{ '#text': 'Active' }] }], enumerable: false });
    return record;
  }
  const value: Record<string, unknown> = {};
  for (const f of schema.fieldsOf(type)) {
    const v = fieldValue(r, f, depth);
    if (v !== undefined || r.next() < 0.1) value[f.name] = v;
  }
  return value;
}

function itemValue(r: Random, field: FieldDef, depth: number): unknown {
  const roll = r.next();
  if (roll < 0.15) return undefined;
  if (roll < 0.25) return null;
  if (!field.complex) return simpleValue(r, field);
  return depth > 3 ? undefined : complexValue(r, field.type, depth + 1);
}

function fieldValue(r: Random, field: FieldDef, depth: number): unknown {
  if (!field.many || r.next() < 0.2) return itemValue(r, field, depth);
  return Array.from({ length: Math.floor(r.next() * 4) }, () => itemValue(r, field, depth));
}

const writer = new XmlWriter(schema);
const resultField = (operation: string) => schema.elementFields(`${operation}Response`)![0]!;

describe('XmlWriter (a writer generated per type from the WSDL)', () => {
  it('writes what the field-by-field rules give, byte for byte, for every response of the API', () => {
    let compared = 0;
    for (const operation of schema.operations) {
      const field = resultField(operation);
      for (let seed = 1; seed <= 60; seed++) {
        const r = random(seed * 7919 + operation.length);
        const result = field.many
          ? Array.from({ length: Math.floor(r.next() * 5) }, () => itemValue(r, field, 0))
          : field.complex ? complexValue(r, field.type, 0) : simpleValue(r, field);
        const expected = `<${operation}Response>${reference('result', result, field)}</${operation}Response>`;
        expect({ operation, seed, xml: writer.response(operation, result) }).toEqual({ operation, seed, xml: expected });
        compared++;
      }
    }
    expect(compared).toBe(schema.operations.length * 60);
  });

  it('formats each simple type as the reference does, for values of the wrong JavaScript type too', () => {
    const cases: [string, unknown, string][] = [
      ['boolean', 1, 'true'], ['boolean', '', 'false'], ['int', '42', '42'], ['int', 7.9, '7'], ['long', -3.2, '-3'],
      ['double', 0, '0.0'], ['double', '2.5', '2.5'], ['dateTime', new Date(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00.000Z'],
      ['dateTime', 'a&b', 'a&amp;b'], ['base64Binary', Buffer.from('hi'), 'aGk='], ['string', 'x"<y>', 'x&quot;&lt;y&gt;'], ['string', 12, '12'],
    ];
    for (const [type, value, text] of cases) {
      const field: FieldDef = { name: 'v', type, builtin: true, complex: false, optional: false, many: false, nillable: false };
      expect([type, writer.element('v', value, field)]).toEqual([type, `<v>${text}</v>`]);
    }
  });

  it('never reads a name as code: element names are written as the text they are', () => {
    const name = 'a");throw new Error("injected';
    const field: FieldDef = { name, type: 'string', builtin: true, complex: false, optional: false, many: false, nillable: true };
    expect(writer.element(name, 'v', field)).toBe(`<${name}>v</${name}>`);
    expect(writer.element(name, null, field)).toBe(`<${name} xsi:nil="true"/>`);
  });

  it('hands bytes to the sink as base64 slices, never as one string, wherever the field is', () => {
    const calls: string[] = [];
    const sink: XmlSink = {
      write: (text) => calls.push(`text:${text}`),
      writeBase64: (bytes) => calls.push(`base64:${Buffer.isBuffer(bytes) ? bytes.length : 'parts'}`),
      writeBytes: (bytes) => calls.push(`bytes:${bytes.length}`),
    };
    const zip = Buffer.alloc(100_000, 1);
    writer.writeResponse(sink, 'checkRetrieveStatus', { done: true, id: '09S', zipFile: zip, status: 'Succeeded' });
    expect(calls.filter((c) => c.startsWith('base64:'))).toEqual(['base64:100000']);
    expect(calls.join('|')).toMatch(/<zipFile>\|base64:100000\|text:<\/zipFile>/);
    // Bytes kept in parts go to the sink the same way, unread.
    calls.length = 0;
    writer.writeResponse(sink, 'checkRetrieveStatus', { done: true, id: '09S', zipFile: new PartedBytes(() => { throw new Error('read'); }), status: 'Succeeded' });
    expect(calls.join('|')).toMatch(/<zipFile>\|base64:parts\|text:<\/zipFile>/);
  });

  it('writes bytes kept in parts as the base64 of the whole', () => {
    const whole = randomBytes(PART_BYTES * 2 + 1234);
    const parted = new PartedBytes(() => [whole.subarray(0, PART_BYTES), whole.subarray(PART_BYTES, 2 * PART_BYTES), whole.subarray(2 * PART_BYTES)]);
    const field: FieldDef = { name: 'zipFile', type: 'base64Binary', builtin: true, complex: false, optional: false, many: false, nillable: false };
    expect(writer.element('zipFile', parted, field)).toBe(`<zipFile>${whole.toString('base64')}</zipFile>`);
  });

  it('splices XML already written into its field as it is, between the fields around it', () => {
    const written = Buffer.from('<componentSuccesses><fullName>é</fullName></componentSuccesses><componentSuccesses><fullName>B</fullName></componentSuccesses>');
    const result = {
      done: true, id: '0Af',
      details: { componentFailures: [], componentSuccesses: new WrittenXml(written), runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 } },
    };
    const xml = writer.response('checkDeployStatus', result);
    expect(xml).toBe('<checkDeployStatusResponse><result><details>'
      + `${written.toString('utf8')}<runTestResult><numFailures>0</numFailures><numTestsRun>0</numTestsRun><totalTime>0.0</totalTime></runTestResult>`
      + '</details><done>true</done><id>0Af</id></result></checkDeployStatusResponse>');
  });

  it('writes a long listing to the sink in pieces of bounded size, not as one text at the end', () => {
    const sizes: number[] = [];
    const sink = new StringSink();
    const counting: XmlSink = { write: (t) => { sizes.push(t.length); sink.write(t); }, writeBase64: (b) => sink.writeBase64(b), writeBytes: (b) => sink.writeBytes(b) };
    const rows = Array.from({ length: 2000 }, (_, i) => ({ fullName: `Name${i}`, type: 'Certificate', id: `0P1${i}`, fileName: `certs/Name${i}.crt` }));
    writer.writeResponse(counting, 'listMetadata', rows);
    expect(sink.text).toBe(`<listMetadataResponse>${reference('result', rows, resultField('listMetadata'))}</listMetadataResponse>`);
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThan(20 * 1024);
  });
});
