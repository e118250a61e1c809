#!/usr/bin/env node
/*
 * Derives the scratch org features a Dev Hub here knows (dist/scratch-org-features.json) from the lists
 * @salesforce/core publishes for the sf CLI's check of definition files: features that are named
 * alone (`Communities`) and those that take a number (`MaxApexCodeSize:20`). Run by `npm run build`;
 * the two list modules are plain data, read without loading the library.
 */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const PACKAGE = '@salesforce/core';
// The package exports neither file: they are found beside its entry point (lib/index.js).
const ROOT = join(dirname(require.resolve(PACKAGE)), '..');
const DIR = join(ROOT, 'lib', 'schema', 'project-scratch-def');
const { simpleFeaturesList } = require(join(DIR, 'simpleFeaturesList.js'));
const { patternFeaturesList } = require(join(DIR, 'patternFeaturesList.js'));
const { version } = require(join(ROOT, 'package.json'));
const OUT = join(__dirname, '..', 'dist', 'scratch-org-features.json');

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ source: `${PACKAGE} ${version}`, named: simpleFeaturesList, counted: patternFeaturesList })}\n`);
console.log(`derive-scratch-org-features: ${simpleFeaturesList.length} named and ${patternFeaturesList.length} counted features from ${PACKAGE} ${version} -> ${OUT}`);
