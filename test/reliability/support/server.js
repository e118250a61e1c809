'use strict';
/**
 * A Localforce server in a process of its own, built from dist/ as users run it, for the reliability
 * suite: the suite can kill it (kill -9), and this process measures its own event loop's delay with
 * perf_hooks and reports it on request, so the figures are the server's alone.
 *
 * argv[2]: startLocalforce options as JSON. IPC in: 'delay' (report and reset), 'stop'.
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { startLocalforce } = require('../../../dist/index.js');

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;

startLocalforce(JSON.parse(process.argv[2] || '{}')).then((server) => {
  process.send({ ready: { url: server.url, port: server.port, org: server.org, adminToken: server.adminToken } });
  process.on('message', (message) => {
    if (message === 'delay') {
      process.send({ delay: { max: ms(histogram.max), p99: ms(histogram.percentile(99)), mean: ms(histogram.mean) } });
      histogram.reset();
    } else if (message === 'stop') {
      server.close().then(() => process.exit(0), () => process.exit(1));
    }
  });
}, (err) => {
  process.send({ error: err.message });
  process.exit(2);
});
