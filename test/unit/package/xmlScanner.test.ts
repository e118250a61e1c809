import { scanXml, XmlSyntaxError } from '../../../src/package/xmlScanner';

const NS = 'http://soap.sforce.com/2006/04/metadata';

/** The fault scanXml raises for `text`, as { problem, line, column }. */
function fault(text: string) {
  try {
    scanXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError) return { problem: err.problem, line: err.line, column: err.column };
    throw err;
  }
  throw new Error('the document was read as well formed');
}

describe('scanXml reads a well-formed document in one pass', () => {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NS}">\n    <label>R&amp;D</label>\n` +
    `    <fields>\n        <fullName>A__c</fullName>\n        <!-- a note -->\n        <description><![CDATA[<b>bold</b>]]></description>\n    </fields>\n</CustomObject>\n`;
  const root = scanXml(text);

  it('gives each element its names, namespace, position and text, entities decoded', () => {
    expect(root).toMatchObject({ name: 'CustomObject', local: 'CustomObject', ns: NS, line: 2, column: 1, text: '' });
    const [label, fields] = root.children;
    expect(label).toMatchObject({ local: 'label', ns: NS, text: 'R&D', line: 3, column: 5, children: [] });
    expect(fields!.children.map((c) => [c.local, c.text, c.line])).toEqual([['fullName', 'A__c', 5], ['description', '<b>bold</b>', 7]]);
  });

  it('gives each element its offsets in the text, so that a part can be cut from it as written', () => {
    const fields = root.children[1]!;
    expect(text.slice(fields.start, fields.end)).toMatch(/^<fields>\n[\s\S]*<\/fields>$/);
    expect(text.slice(root.start, root.end)).toBe(text.slice(text.indexOf('<CustomObject'), text.lastIndexOf('>') + 1));
  });

  it('resolves prefixes and the default namespace, and reads an undeclared one as the given default', () => {
    const prefixed = scanXml(`<md:Profile xmlns:md="${NS}"><md:custom>true</md:custom></md:Profile>`);
    expect(prefixed.children[0]).toMatchObject({ name: 'md:custom', local: 'custom', ns: NS });
    expect(scanXml('<LightningExperienceSettings/>', NS)).toMatchObject({ ns: NS, children: [] });
  });

  it('does not count a byte order mark as a column', () => {
    expect(scanXml(`\uFEFF<a>\n  <b/></a>`).children[0]).toMatchObject({ line: 2, column: 3 });
  });
});

describe('scanXml refuses what is not well formed, in the JDK parser\'s words, at the fault', () => {
  it.each([
    ['<a><b></a>', 'The element type "b" must be terminated by the matching end-tag "</b>".', 1, 7],
    ['<a>\n  <b>x</b\n</a>', 'The end-tag for element type "b" must end with a \'>\' delimiter.', 2, 10],
    ['<a>\n  <b>', 'XML document structures must start and end within the same entity.', 2, 3],
    ['<a x=1/>', 'Open quote is expected for attribute "x" associated with an  element type  "a".', 1, 6],
    ['<a x="1" x="2"/>', 'Attribute "x" was already specified for element "a".', 1, 12],
    ['<a x="1"y="2"/>', 'Element type "a" must be followed by either attribute specifications, ">" or "/>".', 1, 9],
    ['<a x "1"/>', 'Attribute name "x" associated with an element type "a" must be followed by the \' = \' character.', 1, 6],
    ['<a x="<"/>', 'The value of attribute "x" associated with an element type "a" must not contain the \'<\' character.', 1, 7],
    ['<a>x ]]> y</a>', 'The character sequence "]]>" must not appear in content unless used to mark the end of a CDATA section.', 1, 6],
    ['<a><!-- a -- b --></a>', 'The string "--" is not permitted within comments.', 1, 11],
    ['<a>&nbsp;</a>', 'The entity "nbsp" was referenced, but not declared.', 1, 4],
    ['<a>R & D</a>', "The entity name must immediately follow the '&' in the entity reference.", 1, 6],
    ['<a>&#1;</a>', 'Character reference "&#1" is an invalid XML character.', 1, 4],
    ['<a><1/></a>', 'The content of elements must consist of well-formed character data or markup.', 1, 5],
    ['<a/><b/>', 'The markup in the document following the root element must be well-formed.', 1, 5],
    ['<a/>x', 'Content is not allowed in trailing section.', 1, 5],
    ['x<a/>', 'Content is not allowed in prolog.', 1, 1],
    ['<a/>\n<?xml version="1.0"?>', 'The processing instruction target matching "[xX][mM][lL]" is not allowed.', 2, 6],
    ['<!DOCTYPE a [<!ENTITY e "e">]><a>&e;</a>', 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.', 1, 1],
    ['<q:a/>', 'The prefix "q" for element "q:a" is not bound.', 1, 1],
    ['', 'Premature end of file.', 1, 1],
  ])('%j', (text, problem, line, column) => {
    expect(fault(text)).toEqual({ problem, line, column });
  });

  it('keeps the nesting and attribute bounds', () => {
    expect(fault('<a>'.repeat(101)).problem).toMatch(/has a depth of "101" that exceeds the limit "100"/);
    expect(fault(`<a ${Array.from({ length: 65 }, (_, k) => `x${k}="1"`).join(' ')}/>`).problem).toMatch(/has more than "64" attributes/);
  });
});
