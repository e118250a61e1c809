#!/usr/bin/env node
'use strict';
const { main } = require('../dist/cli.js');

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code; },
  (err) => { console.error(`localforce: ${err && err.message ? err.message : err}`); process.exit(1); },
);
