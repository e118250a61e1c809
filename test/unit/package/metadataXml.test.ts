import { parseManifest } from '../../../src/package/manifest';
import { parseMetadataXml, type ParsedXml } from '../../../src/package/metadataXml';

/*
 * The strict meta-file parser: what the real service's validating XML parser refuses, each refusal
 * with the line and column of what is wrong. CRUD calls do not go through here (any order is fine
 * there); file-based deploys do.
 */

const NS = 'http://soap.sforce.com/2006/04/metadata';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SKIP = ['fullName', 'content'];

/** A Certificate meta file; `body` goes between the root tags, one field per line. */
const cert = (body: string, root = `<Certificate xmlns="${NS}">`) => `${DECL}${root}\n${body}</Certificate>\n`;
const parse = (text: string, type = 'Certificate'): ParsedXml => parseMetadataXml(text, type, type === 'Certificate' ? SKIP : []);

function error(text: string, type?: string) {
  const r = parse(text, type);
  if (r.ok) throw new Error(`expected an error, parsed ${JSON.stringify(r.value)}`);
  expect(r.error.problem).toMatch(/^Error parsing file: /);
  return r.error;
}

describe('a valid meta file', () => {
  it('gives typed values and where each field stands', () => {
    const r = parse(cert('    <caSigned>true</caSigned>\n    <expirationDate>2017-03-19</expirationDate>\n    <keySize>4096</keySize>\n    <masterLabel>My Certificate Name</masterLabel>\n'));
    expect(r).toEqual({
      ok: true,
      value: { caSigned: true, expirationDate: '2017-03-19', keySize: 4096, masterLabel: 'My Certificate Name' },
      rootAt: { lineNumber: 2, columnNumber: 1 },
      fieldsAt: {
        caSigned: { lineNumber: 3, columnNumber: 5 }, expirationDate: { lineNumber: 4, columnNumber: 5 },
        keySize: { lineNumber: 5, columnNumber: 5 }, masterLabel: { lineNumber: 6, columnNumber: 5 },
      },
    });
  });

  it('accepts a retrieved file: full dateTime, every field, CRLF line endings, a BOM, comments, CDATA and entities', () => {
    const text = `\uFEFF${cert(
      '    <!-- exported -->\n    <caSigned>false</caSigned>\n    <encryptedWithPlatformEncryption>false</encryptedWithPlatformEncryption>\n' +
      '    <expirationDate>2026-11-12T14:40:53.000Z</expirationDate>\n    <keySize>2048</keySize>\n' +
      '    <masterLabel><![CDATA[R&D <certs>]]> &amp; &#x263A; &lt;ok&gt;</masterLabel>\n    <privateKeyExportable>true</privateKeyExportable>\n',
    )}`.replace(/\n/g, '\r\n');
    const r = parse(text);
    expect(r).toMatchObject({
      ok: true,
      value: {
        caSigned: false, encryptedWithPlatformEncryption: false, expirationDate: '2026-11-12T14:40:53.000Z', keySize: 2048,
        masterLabel: 'R&D <certs> & \u263A <ok>', privateKeyExportable: true,
      },
    });
    expect(r.ok && r.fieldsAt.caSigned).toEqual({ lineNumber: 4, columnNumber: 5 });
  });

  it('accepts a prefixed metadata namespace and no XML declaration', () => {
    const r = parse(`<md:Certificate xmlns:md="${NS}">\n  <md:caSigned>true</md:caSigned>\n  <md:masterLabel>x</md:masterLabel>\n</md:Certificate>`);
    expect(r).toMatchObject({ ok: true, value: { caSigned: true, masterLabel: 'x' }, fieldsAt: { masterLabel: { lineNumber: 3, columnNumber: 3 } } });
  });

  it('reads a manifest leniently: its elements in any order, and those the Package type lacks passed over', () => {
    const text = `${DECL}<Package xmlns="${NS}">\n    <version>66.0</version>\n    <fullName>Sortable Datagrid</fullName>\n` +
      '    <auraComponents>\n        <access>public</access>\n        <name>ObjectHelper</name>\n    </auraComponents>\n' +
      '    <types>\n        <name>ApexClass</name>\n        <members>A</members>\n    </types>\n</Package>\n';
    expect(parseManifest(text, true)).toEqual({ ok: true, manifest: { fullName: 'Sortable Datagrid', version: 66, types: [{ name: 'ApexClass', members: ['A'] }] } });
    // Strict reading of the same text refuses the version before the types.
    expect(error(text, 'Package').problem).toMatch(/fullName invalid at this location in type Package/);
  });

  it('reads a manifest with its repeated elements', () => {
    const r = parse(`${DECL}<Package xmlns="${NS}">\n    <types>\n        <members>A</members>\n        <members>B</members>\n        <name>Certificate</name>\n    </types>\n    <version>66.0</version>\n</Package>\n`, 'Package');
    expect(r).toMatchObject({ ok: true, value: { types: [{ members: ['A', 'B'], name: 'Certificate' }], version: '66.0' } });
  });
});

describe('refusals, each with line and column', () => {
  it.each([
    ['text before the root', `hello${DECL}<Certificate xmlns="${NS}"/>`],
    ['whitespace before the XML declaration', ` ${DECL}<Certificate xmlns="${NS}"/>`],
  ])('prolog: %s', (_what, text) => {
    expect(error(text)).toEqual({ problem: 'Error parsing file: Content is not allowed in prolog.', lineNumber: 1, columnNumber: 1 });
  });

  it('an empty file', () => {
    expect(error('  \n ')).toEqual({ problem: 'Error parsing file: Premature end of file.', lineNumber: 1, columnNumber: 1 });
  });

  it('a DOCTYPE (and so any entity declaration) is refused', () => {
    const text = `${DECL}<!DOCTYPE Certificate [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<Certificate xmlns="${NS}"><masterLabel>&xxe;</masterLabel></Certificate>`;
    expect(error(text)).toEqual({
      problem: 'Error parsing file: DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.',
      lineNumber: 2, columnNumber: 1,
    });
  });

  it('an entity that is not declared, in text or in an attribute', () => {
    expect(error(cert('    <masterLabel>a &amp; &nope;</masterLabel>\n'))).toEqual({
      problem: 'Error parsing file: The entity "nope" was referenced, but not declared.', lineNumber: 3, columnNumber: 26,
    });
    expect(error(cert('', `<Certificate xmlns="${NS}" a="&nope;">`))).toMatchObject({ problem: expect.stringMatching(/The entity "nope" was referenced/), lineNumber: 2, columnNumber: 65 });
  });

  it('a character reference to a non-character', () => {
    expect(error(cert('    <masterLabel>&#1114112;</masterLabel>\n'))).toEqual({
      problem: 'Error parsing file: Character reference "&#1114112" is an invalid XML character.', lineNumber: 3, columnNumber: 18,
    });
  });

  it('a document that is not well-formed', () => {
    expect(error(cert('    <caSigned>true</caSigned>\n    <masterLabel>x</masterLabl>\n'))).toMatchObject({
      lineNumber: 4, problem: 'Error parsing file: The element type "masterLabel" must be terminated by the matching end-tag "</masterLabel>".',
    });
    expect(error(`${DECL}<Certificate xmlns="${NS}">\n    <caSigned>true</caSigned>\n`)).toMatchObject({
      lineNumber: 2, columnNumber: 1, problem: 'Error parsing file: XML document structures must start and end within the same entity.',
    });
    expect(error(cert('    <caSigned>true</caSigned>\n    <masterLabel>x</masterLabel\n'))).toMatchObject({
      lineNumber: 4, problem: 'Error parsing file: The end-tag for element type "masterLabel" must end with a \'>\' delimiter.',
    });
    expect(error(cert('    <caSigned>true & false</caSigned>\n'))).toMatchObject({
      problem: "Error parsing file: The entity name must immediately follow the '&' in the entity reference.",
    });
  });

  it('a second root element, or text after the root', () => {
    expect(error(`${DECL}<Certificate xmlns="${NS}"/>\n<Certificate xmlns="${NS}"/>\n`)).toEqual({
      problem: 'Error parsing file: The markup in the document following the root element must be well-formed.', lineNumber: 3, columnNumber: 1,
    });
    expect(error(`${DECL}<Certificate xmlns="${NS}"/>\n  trailing`)).toEqual({
      problem: 'Error parsing file: Content is not allowed in trailing section.', lineNumber: 3, columnNumber: 3,
    });
  });

  it.each([
    ['a wrong root', `${DECL}\n<Certificat xmlns="${NS}"/>`, 'Certificat', 3],
    ['another namespace', `${DECL}<Certificate xmlns="urn:other">\n</Certificate>`, 'Certificate', 2],
  ])('%s', (_what, text, root, line) => {
    expect(error(text)).toEqual({
      problem: `Error parsing file: Cannot find the declaration of element '${root}'. Expected {${NS}}Certificate.`, lineNumber: line, columnNumber: 1,
    });
  });

  it('takes a root in no namespace at all as the metadata namespace, as real orgs take the settings files the sf CLI writes', () => {
    expect(parse(`${DECL}<Certificate>\n  <masterLabel>Plain</masterLabel>\n</Certificate>`)).toMatchObject({ ok: true, value: { masterLabel: 'Plain' } });
  });

  it('an unbound prefix', () => {
    expect(error(cert('  <q:caSigned>true</q:caSigned>\n'))).toEqual({
      problem: 'Error parsing file: The prefix "q" for element "q:caSigned" is not bound.', lineNumber: 3, columnNumber: 3,
    });
  });

  it.each([
    ['an unknown element', '    <caSigned>true</caSigned>\n    <colour>blue</colour>\n', `{${NS}}colour`, 4],
    ['an element out of WSDL order', '    <masterLabel>x</masterLabel>\n    <caSigned>true</caSigned>\n', `{${NS}}caSigned`, 4],
    ['a duplicate element', '    <caSigned>true</caSigned>\n    <keySize>2048</keySize>\n    <keySize>2048</keySize>\n', `{${NS}}keySize`, 5],
    ['fullName, which comes from the file name', '    <fullName>X</fullName>\n    <caSigned>true</caSigned>\n', `{${NS}}fullName`, 3],
    ['content, which is the .crt file', '    <content>AAAA</content>\n', `{${NS}}content`, 3],
    ['an element of another namespace', '    <caSigned xmlns="urn:x">true</caSigned>\n', '{urn:x}caSigned', 3],
  ])('%s', (_what, body, element, line) => {
    expect(error(cert(body))).toEqual({
      problem: `Error parsing file: Element ${element} invalid at this location in type Certificate`, lineNumber: line, columnNumber: 5,
    });
  });

  it('child elements inside a simple value', () => {
    expect(error(cert('    <masterLabel><b>x</b></masterLabel>\n'))).toEqual({
      problem: `Error parsing file: Element {${NS}}masterLabel must have no element children`, lineNumber: 3, columnNumber: 5,
    });
  });

  it.each([
    ['yes', 'caSigned', 'xsd:boolean'],
    ['TRUE', 'privateKeyExportable', 'xsd:boolean'],
    // xsd:boolean's 1 and 0 are loose input in a meta file: a flag is written true or false.
    ['1', 'caSigned', 'xsd:boolean'],
    ['0', 'privateKeyExportable', 'xsd:boolean'],
    ['', 'caSigned', 'xsd:boolean'],
    ['20x48', 'keySize', 'xsd:int'],
    ['2048.0', 'keySize', 'xsd:int'],
    ['2147483648', 'keySize', 'xsd:int'],
    ['next year', 'expirationDate', 'xsd:dateTime'],
  ])("a bad value '%s' for %s", (value, field, xsd) => {
    const order = ['caSigned', 'encryptedWithPlatformEncryption', 'expirationDate', 'keySize', 'masterLabel', 'privateKeyExportable'];
    const before = order.indexOf(field) > 0 ? '    <caSigned>true</caSigned>\n' : '';
    const line = before ? 4 : 3;
    expect(error(cert(`${before}    <${field}>${value}</${field}>\n`))).toEqual({
      problem: `Error parsing file: '${value}' is not a valid value for the type ${xsd}`, lineNumber: line, columnNumber: 5,
    });
  });

  it('control characters, raw or as references', () => {
    expect(error(cert('    <masterLabel>\u0000</masterLabel>\n'))).toEqual({
      problem: 'Error parsing file: An invalid XML character (Unicode: 0x0) was found in the content of the document.', lineNumber: 3, columnNumber: 18,
    });
    expect(error(cert('    <masterLabel>a\u001Bb</masterLabel>\n')).problem).toMatch(/Unicode: 0x1B/);
    expect(error(cert('    <masterLabel>&#1;</masterLabel>\n')).problem).toMatch(/Character reference "&#1" is an invalid XML character/);
    // Tab, line feed and carriage return are characters like any other.
    expect(parse(cert('    <masterLabel>a\tb</masterLabel>\n'))).toMatchObject({ ok: true, value: { masterLabel: 'a\tb' } });
  });

  it('nesting deeper than 100 elements, and more than 64 attributes on one element', () => {
    const deep = `${'<a>'.repeat(101)}${'</a>'.repeat(101)}`;
    expect(error(cert(`    <masterLabel>${deep}</masterLabel>\n`))).toMatchObject({
      problem: 'Error parsing file: The element "a" has a depth of "101" that exceeds the limit "100" imposed by Localforce.', lineNumber: 3,
    });
    const attributes = Array.from({ length: 65 }, (_, i) => `a${i}="${i}"`).join(' ');
    expect(error(cert('', `<Certificate xmlns="${NS}" ${attributes.slice(attributes.indexOf('a1='))}>`))).toEqual({
      problem: 'Error parsing file: Element "Certificate" has more than "64" attributes, "64" is the limit imposed by Localforce.', lineNumber: 2, columnNumber: 1,
    });
    // A million attributes are refused as fast as they are read, before any parser keeps them.
    const huge = `<Certificate xmlns="${NS}" ${Array.from({ length: 1_000_000 }, (_, i) => `b${i}=""`).join(' ')}>`;
    expect(error(cert('', huge)).problem).toMatch(/has more than "64" attributes/);
  });

  it('accepts the int bounds', () => {
    expect(parse(cert('    <keySize>-2147483648</keySize>\n'))).toMatchObject({ ok: true, value: { keySize: -2147483648 } });
    expect(parse(cert('    <keySize> 2147483647 </keySize>\n'))).toMatchObject({ ok: true, value: { keySize: 2147483647 } });
  });
});
