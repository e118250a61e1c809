#!/usr/bin/env node
/*
 * Derives Localforce's table of Metadata API schema history (src/checks/schema/wsdlHistory.json)
 * from every release of resources/metadata.wsdl in the git history of forcedotcom/wsdl: for each
 * complexType and enumeration, the API version it appeared in (and left in, if gone), its base type,
 * and for each element and enumeration value its first (and last) version, type and occurrence flags.
 * Run by hand by a maintainer with a clone of forcedotcom/wsdl:
 *   node scripts/derive-wsdl-history.js <git-dir>
 * The output is committed, because that repository is not published on npm.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { XMLParser } = require('fast-xml-parser');

const WSDL = 'resources/metadata.wsdl';
const FIRST = 47;
const XSD = 'http://www.w3.org/2001/XMLSchema';
const OUT = join(__dirname, '..', 'src', 'checks', 'schema', 'wsdlHistory.json');

const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: node scripts/derive-wsdl-history.js <git-dir of a forcedotcom/wsdl clone>');
  process.exit(2);
}
const git = (...args) =>
  execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** API version -> WSDL text, keeping the last commit of each version (git log lists newest first). */
function readVersions() {
  const byVersion = new Map();
  for (const commit of git('log', '--format=%H', '--', WSDL).split('\n').filter(Boolean)) {
    const text = git('show', `${commit}:${WSDL}`);
    const m = /Metadata API version (\d+)\.0/.exec(text.slice(0, 1000));
    if (!m) throw new Error(`${commit}: no version in the header of ${WSDL}`);
    const version = Number(m[1]);
    if (version >= FIRST && !byVersion.has(version)) byVersion.set(version, text);
  }
  return new Map([...byVersion].sort((a, b) => a[0] - b[0]));
}

const LISTS = new Set(['complexType', 'simpleType', 'element', 'enumeration']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  ignoreDeclaration: true,
  parseTagValue: false,
  isArray: (tag) => LISTS.has(tag.slice(tag.indexOf(':') + 1)),
});
const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const xmlnsOf = (node, into) => {
  for (const [k, v] of Object.entries(node)) if (k === '@xmlns' || k.startsWith('@xmlns:')) into[k.slice(7)] = v;
  return into;
};

/** One WSDL's schema: { types: Map(name -> {base, fields: Map(name -> {type, flags})}), enums: Map(name -> [values]) }. */
function parseSchema(text, version) {
  const doc = parser.parse(text);
  const defs = doc[Object.keys(doc).find((k) => k.endsWith('definitions'))];
  const ns = xmlnsOf(defs, {});
  const xs = Object.keys(ns).find((p) => ns[p] === XSD);
  const tag = (local) => (xs ? `${xs}:${local}` : local);
  const types = defs[Object.keys(defs).find((k) => k.endsWith('types'))];
  const schema = types[tag('schema')];
  xmlnsOf(schema, ns);
  const target = schema['@targetNamespace'];
  const qname = (value) => {
    const i = value.indexOf(':');
    const uri = ns[i < 0 ? '' : value.slice(0, i)];
    const local = value.slice(i + 1);
    if (uri === XSD) return `xsd:${local}`;
    if (uri === target) return local;
    console.warn(`${version}: type ${value} is in an unexpected namespace ${uri}`);
    return value;
  };

  const out = { types: new Map(), enums: new Map() };
  for (const ct of list(schema[tag('complexType')])) {
    const ext = ct[tag('complexContent')]?.[tag('extension')];
    const seq = (ext || ct)[tag('sequence')] || {};
    const fields = new Map();
    for (const el of list(seq[tag('element')])) {
      if (!el['@type']) console.warn(`${version}: ${ct['@name']}.${el['@name']} has no type attribute`);
      const max = el['@maxOccurs'];
      const flags =
        (el['@minOccurs'] === '0' ? 'o' : '') +
        (max === 'unbounded' || Number(max) > 1 ? 'm' : '') +
        (el['@nillable'] === 'true' ? 'n' : '');
      fields.set(el['@name'], { type: el['@type'] ? qname(el['@type']) : 'anonymous', flags });
    }
    out.types.set(ct['@name'], { base: ext ? qname(ext['@base']) : undefined, fields });
  }
  for (const st of list(schema[tag('simpleType')])) {
    // enumerations, possibly still empty; skip restrictions by other facets (ID: length and pattern)
    const restriction = st[tag('restriction')] || {};
    if (Object.keys(restriction).some((k) => k !== '@base' && k !== tag('enumeration'))) continue;
    out.enums.set(st['@name'], list(restriction[tag('enumeration')]).map((e) => e['@value']));
  }
  return out;
}

/** First and last version of each key over the versions; order: the newest version's, then the removed ones. */
function spans(perVersion) {
  const seen = new Map();
  for (const [version, keys] of [...perVersion].reverse()) {
    for (const key of keys) {
      const span = seen.get(key);
      if (span) span.since = version;
      else seen.set(key, { since: version, until: version });
    }
  }
  const stay = [...seen].filter(([, s]) => s.until === newest);
  return new Map([...stay, ...[...seen].filter(([, s]) => s.until !== newest)]);
}

const wsdls = readVersions();
const versions = [...wsdls.keys()];
const newest = versions[versions.length - 1];
for (let v = FIRST; v < newest; v++) if (!wsdls.has(v)) console.warn(`no WSDL for API ${v}.0 in the history`);
const schemas = new Map(versions.map((v) => [v, parseSchema(wsdls.get(v), v)]));
const at = (v, kind, name) => schemas.get(v)[kind].get(name);
const has = (kind, name) => versions.filter((v) => at(v, kind, name));
const odd = (msg) => console.warn(`note: ${msg}`);

const sortedNames = (kind) => [...new Set(versions.flatMap((v) => [...schemas.get(v)[kind].keys()]))].sort();
const typeLines = [];
let fieldCount = 0;
for (const name of sortedNames('types')) {
  const inVersions = has('types', name);
  const last = inVersions[inVersions.length - 1];
  if (inVersions.length !== last - inVersions[0] + 1) odd(`type ${name} is missing from some versions in between`);
  const bases = new Set(inVersions.map((v) => at(v, 'types', name).base));
  if (bases.size > 1) odd(`type ${name} changed base: ${[...bases].map((b) => b || '(none)').join(' -> ')}`);
  const entry = { since: inVersions[0] };
  if (last !== newest) entry.until = last;
  const base = at(last, 'types', name).base;
  if (base) entry.base = base;
  entry.fields = {};
  const fieldSpans = spans(new Map(inVersions.map((v) => [v, at(v, 'types', name).fields.keys()])));
  for (const [field, { since, until }] of fieldSpans) {
    const { type, flags } = at(until, 'types', name).fields.get(field);
    const types = new Set(inVersions.map((v) => at(v, 'types', name).fields.get(field)?.type).filter(Boolean));
    if (types.size > 1) odd(`${name}.${field} changed type: ${[...types].join(' -> ')}`);
    entry.fields[field] = [since, until === newest ? null : until, type, flags];
    fieldCount++;
  }
  typeLines.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
}

const enumLines = [];
for (const name of sortedNames('enums')) {
  const inVersions = has('enums', name);
  const last = inVersions[inVersions.length - 1];
  if (inVersions.length !== last - inVersions[0] + 1) odd(`enum ${name} is missing from some versions in between`);
  const entry = { since: inVersions[0] };
  if (last !== newest) entry.until = last;
  entry.values = {};
  for (const [value, { since, until }] of spans(new Map(inVersions.map((v) => [v, at(v, 'enums', name)])))) {
    entry.values[value] = until === newest ? since : [since, until];
  }
  enumLines.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
}

const head = { source: `forcedotcom/wsdl ${WSDL}, API ${versions[0]}.0 to ${newest}.0`, versions };
const json =
  `${JSON.stringify(head).slice(0, -1)},"types":{\n${typeLines.join(',\n')}\n},` +
  `"enums":{\n${enumLines.join(',\n')}\n}}\n`;
JSON.parse(json); // sanity check of the hand-built text
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, json);
console.log(
  `read ${versions.length} versions (${versions[0]}..${newest}): ${typeLines.length} types, ${fieldCount} fields, ` +
    `${enumLines.length} enums, ${json.length} bytes -> ${OUT}`,
);
