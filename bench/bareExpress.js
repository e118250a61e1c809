'use strict';
// The baseline of the benchmark: a bare express server. With a file argument it answers every POST
// with that file's bytes (the same size as the Localforce response it is compared with).
const start = process.hrtime.bigint();
const express = require('express');
const { readFileSync } = require('node:fs');

const body = process.argv[2] ? readFileSync(process.argv[2]) : Buffer.from('ok');
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.post('*', (_req, res) => { res.type('text/xml; charset=utf-8').send(body); });
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port} after ${Number(process.hrtime.bigint() - start) / 1e6} ms`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
