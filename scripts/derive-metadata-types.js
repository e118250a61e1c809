#!/usr/bin/env node
/*
 * Derives Localforce's table of metadata types (dist/metadata-types.json) from the registry of
 * @salesforce/source-deploy-retrieve, the library the sf CLI itself converts source with. Run by
 * `npm run build`. The library is a development dependency only: its registry is one JSON file,
 * read here without loading the library (which would pull @salesforce/core and needs Node 22), so
 * the server starts with a small table of our own shape and none of the library's dependencies.
 *
 * What each field means is documented in src/metadata/typeFacts.ts, which reads the output.
 */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const PACKAGE = '@salesforce/source-deploy-retrieve';
const registry = require(`${PACKAGE}/lib/src/registry/metadataRegistry.json`);
const { version } = require(`${PACKAGE}/package.json`);
const OUT = join(__dirname, '..', 'dist', 'metadata-types.json');

/** How a type's files sit in a metadata-format zip: the registry's adapters, in our words. */
function layoutOf(type) {
  if (type.folderContentType) return 'folder';
  const adapter = type.strategies && type.strategies.adapter;
  switch (adapter) {
    case undefined:
    case 'default':
    case 'decomposed': // decomposed only in source format: one parent file in metadata format
      return 'xml';
    case 'matchingContentFile':
      return 'contentFile';
    case 'mixedContent':
      if (type.name === 'StaticResource') return 'contentFile';
      if (type.name === 'Document') return 'document';
      if (type.name === 'ExperienceBundle') return 'experienceBundle';
      break;
    case 'bundle':
    case 'uiBundles':
      return 'bundle';
    case 'digitalExperience':
      return 'digitalExperience';
  }
  throw new Error(`derive-metadata-types: no layout for ${type.name} (adapter ${adapter}); teach layoutOf about it`);
}

function childrenOf(type) {
  if (!type.children) return [];
  return Object.values(type.children.types)
    .filter((c) => c.isAddressable !== false && c.strategies === undefined)
    .map((c) => ({
      name: c.name,
      element: c.xmlElementName || c.directoryName,
      idElement: c.uniqueIdElement || 'fullName',
      ...(c.ignoreParentName ? { ignoreParentName: true } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function partsOf(type) {
  return Object.values((type.children && type.children.types) || {}).filter((c) => c.strategies !== undefined).map((c) => c.name);
}

const byId = registry.types;
const types = Object.values(byId).map((t) => ({
  name: t.name,
  directoryName: t.directoryName,
  ...(t.suffix ? { suffix: t.suffix } : {}),
  layout: layoutOf(t),
  ...(t.inFolder ? { inFolder: true } : {}),
  ...(t.folderType && t.inFolder ? { folderType: byId[t.folderType].name } : {}),
  ...(t.folderContentType ? { folderContentType: byId[t.folderContentType].name } : {}),
  ...(t.aliasFor ? { aliasFor: byId[t.aliasFor].name } : {}),
  ...(t.ignoreParsedFullName ? { fixedFullName: t.name } : {}),
  // A folder type that is not inFolder: the components live in a component's folder of that type (a territory
  // model's territories and rules, and the model itself).
  ...(t.folderType && !t.inFolder ? { within: byId[t.folderType].name } : {}),
  children: childrenOf(t),
  // Pieces with files of their own inside the parent's directory (DigitalExperience in a bundle).
  ...(partsOf(t).length ? { parts: partsOf(t) } : {}),
})).sort((a, b) => a.name.localeCompare(b.name));

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ source: `${PACKAGE} ${version}`, types })}\n`);
console.log(`derive-metadata-types: ${types.length} types from ${PACKAGE} ${version} -> ${OUT}`);
