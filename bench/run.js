'use strict';
/**
 * Localforce benchmark (issue 5). Every figure is a ratio of two things measured side by side in this
 * run on this machine. Servers run as child processes (`bin/localforce.js start`, as users run them),
 * so their memory and CPU are their own; the client is this process. Loopback only, every loop bounded.
 *
 *   npm run bench                 all figures
 *   npm run bench -- --save       also write bench/RESULTS.md
 *   npm run bench -- cold latency soap large startup   only those steps
 *   BENCH_ROUNDS=5 BENCH_LARGE=1000   rounds of each timed figure, size of the large package (the defaults)
 */
const { spawn } = require('node:child_process');
const { generateKeyPair } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const Database = require('better-sqlite3');
const { Connection } = require('jsforce');
const JSZip = require('jszip');

const ROOT = path.join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LARGE = Number(process.env.BENCH_LARGE ?? 1000);
const SAVE = process.argv.includes('--save');
const NOTES_MARKER = '<!-- notes: kept by --save -->';
const API = '66.0';
for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const percentile = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const tempDirs = [];
const tempDir = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'localforce-bench-')); tempDirs.push(d); return d; };
const children = new Set();

// CPU accounting, to tell how much of the machine other processes took while a figure ran: the run's
// figures are only as good as the machine was quiet (key threads run at the lowest priority, so
// other work on the machine slows a deploy more than it slows raw generation).
const TICKS = 100; // USER_HZ
const childCpu = new Map(); // pid -> CPU seconds, last read
function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime + stime, all threads
  } catch {
    return undefined;
  }
}
function ourCpu() {
  for (const child of children) {
    const cpu = processCpu(child.pid);
    if (cpu !== undefined) childCpu.set(child.pid, cpu);
  }
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + [...childCpu.values()].reduce((a, b) => a + b, 0);
}
function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]; // user nice system irq softirq steal
  return { busy: busy / TICKS, wall: now() / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Spawns a node script and resolves when its stdout has a line matching `ready` (bounded). */
function spawnUntil(args, ready, timeoutMs = 30_000) {
  const started = now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms\n${err}`)); }, timeoutMs);
    child.stderr.on('data', (d) => { err += d; });
    let isReady = false;
    child.stdout.on('data', (d) => {
      // Once ready, the server's log lines (one per call) are read and dropped, not matched again.
      if (isReady) return;
      out += d;
      const match = out.match(ready);
      if (match) {
        isReady = true;
        clearTimeout(timer);
        resolve({ child, match, out, ms: now() - started });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code}\n${err}`)); });
  });
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const cpu = processCpu(child.pid);
  if (cpu !== undefined) childCpu.set(child.pid, cpu);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A Localforce server in its own process: `localforce start --port 0 ...options`. */
async function startLocalforce(...options) {
  const { child, match, ms } = await spawnUntil(['bin/localforce.js', 'start', '--port', '0', ...options],
    /listening on (\S+)\n[\s\S]*access token (\S+)\n/);
  const url = match[1];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const conn = new Connection({ instanceUrl: url, accessToken: match[2], version: API });
  return { child, url, token: match[2], conn, agent, ms, close: () => { agent.destroy(); return stop(child); } };
}

/** Peak and current resident memory of a process, from /proc (Linux). */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets a process's peak RSS (VmHWM); falls back to sampling where /proc/PID/clear_refs is not writable. */
function peakMeter(pid) {
  let sampled = 0;
  let cleared = false;
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); cleared = true; } catch { /* sample instead */ }
  const timer = setInterval(() => { sampled = Math.max(sampled, memory(pid).rss); }, 20);
  return () => { clearInterval(timer); const m = memory(pid); return Math.max(sampled, m.rss, cleared ? m.peak : 0); };
}

// ---------------------------------------------------------------------------------------------
// Requests

function post(server, body, agent = server.agent) {
  const url = new URL(`/services/Soap/m/${API}`, server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const envelope = (token, operation) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><SessionHeader><sessionId>' + token +
  `</sessionId></SessionHeader></soapenv:Header><soapenv:Body>${operation}</soapenv:Body></soapenv:Envelope>`;
const listMetadataXml = (token) => envelope(token, `<listMetadata><queries><type>Certificate</type></queries><asOfVersion>${API}</asOfVersion></listMetadata>`);
const checkDeployStatusXml = (token, id) => envelope(token, `<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>false</includeDetails></checkDeployStatus>`);

/** A deploy zip of `count` new self-signed certificates (empty content), as the sf CLI builds it. */
async function certsZip(prefix, count, keySize = 2048) {
  const zip = new JSZip();
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n${names.map((n) => `        <members>${n}</members>\n`).join('')}        <name>Certificate</name>\n    </types>\n    <version>${API}</version>\n</Package>\n`);
  for (const n of names) {
    zip.file(`certs/${n}.crt`, '');
    zip.file(`certs/${n}.crt-meta.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <caSigned>false</caSigned>\n    <keySize>${keySize}</keySize>\n    <masterLabel>${n}</masterLabel>\n</Certificate>\n`);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Deploys through jsforce and waits for the end; polls every `pollMs` so the poll interval does not dominate. */
async function deploy(conn, zip, pollMs = 50) {
  conn.metadata.pollInterval = pollMs;
  conn.metadata.pollTimeout = 900_000;
  const t0 = now();
  const result = await conn.metadata.deploy(zip, { singlePackage: true, rollbackOnError: true }).complete(false);
  const ms = now() - t0;
  if (result.status !== 'Succeeded') throw new Error(`deploy ${result.id} ended ${result.status}: ${result.errorMessage ?? ''}`);
  return { ms, result };
}

/** Waits until the stored pool of a server started with --location holds `count` keys (bounded). */
async function waitForPool(location, count, timeoutMs = 300_000) {
  const deadline = now() + timeoutMs;
  let db;
  try {
    while (now() < deadline) {
      try {
        db ??= new Database(path.join(location, 'localforce.sqlite'), { readonly: true, fileMustExist: true });
        const n = db.prepare('SELECT count(*) AS n FROM key_pool WHERE bits = 2048').get().n;
        if (n >= count) return n;
      } catch { /* not created yet */ }
      await sleep(250);
    }
    throw new Error(`the key pool did not reach ${count} keys in ${timeoutMs / 1000} s`);
  } finally {
    db?.close();
  }
}

const generateKeyPairAsync = promisify(generateKeyPair);
/** The physics: n 2048-bit keys with node's async native API, all at once, in this process. */
async function rawKeys(n) {
  const t0 = now();
  await Promise.all(Array.from({ length: n }, () => generateKeyPairAsync('rsa', {
    modulusLength: 2048, publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })));
  return now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Figures

const figures = [];
function report(name, measured, ratio, goal) {
  const ok = goal === undefined ? '' : goal.op === '<=' ? ratio <= goal.value : ratio >= goal.value;
  const row = { name, measured, ratio: ratio === undefined ? '' : ratio.toFixed(2), goal: goal ? `${goal.op === '<=' ? '≤' : '≥'} ${goal.value}` : '', ok: ok === '' ? '' : ok ? 'met' : 'MISSED' };
  figures.push(row);
  console.log(`\n>> ${name}\n   ${measured}\n   ratio ${row.ratio}${row.goal ? `  goal ${row.goal}  ${row.ok}` : ''}`);
}

async function coldAndWarm() {
  const N = 50;
  const cold = await startLocalforce('--in-memory', '--no-key-pool');
  const raws = [];
  const colds = [];
  try {
    await deploy(cold.conn, await certsZip('Warmup', 2)); // first-call costs (JIT, SQLite statements) out of the way
    // Rounds alternate which goes first, and each round's two runs are compared with each other,
    // so a drift in the machine's speed (other work on the host) weighs on both alike.
    for (let r = 0; r < ROUNDS; r++) {
      const zip = await certsZip(`Cold${r}x`, N);
      const coldRun = async () => colds.push((await deploy(cold.conn, zip)).ms);
      const rawRun = async () => raws.push(await rawKeys(N));
      if (r % 2) { await coldRun(); await rawRun(); } else { await rawRun(); await coldRun(); }
      console.log(`   round ${r + 1}: raw ${(raws[r] / 1000).toFixed(2)} s, cold deploy ${(colds[r] / 1000).toFixed(2)} s`);
    }
  } finally {
    await cold.close();
  }
  const coldMs = median(colds);
  const ratios = colds.map((c, i) => c / raws[i]);
  report(`Cold deploy of ${N} self-signed 2048-bit certificates (empty pool, jsforce) vs raw native generation of ${N} keys`,
    `deploy ${(coldMs / 1000).toFixed(2)} s vs raw ${(median(raws) / 1000).toFixed(2)} s (medians of ${ROUNDS}); ratio per round ${ratios.map((x) => x.toFixed(2)).join(', ')}, median taken`,
    median(ratios), { op: '<=', value: 1.15 });

  const location = tempDir();
  const warm = await startLocalforce('--location', location, '--key-pool-size', String(N));
  const warms = [];
  try {
    await deploy(warm.conn, await certsZip('Warmup', 2));
    for (let r = 0; r < Math.min(ROUNDS, 2); r++) {
      const t0 = now();
      await waitForPool(location, N);
      console.log(`   pool of ${N} ready (${((now() - t0) / 1000).toFixed(1)} s of idle filling)`);
      warms.push((await deploy(warm.conn, await certsZip(`Warm${r}x`, N))).ms);
      console.log(`   round ${r + 1}: warm deploy ${(warms[r] / 1000).toFixed(3)} s`);
    }
  } finally {
    await warm.close();
  }
  report(`The same deploy with a warm pool vs cold`, `warm ${(median(warms) / 1000).toFixed(3)} s vs cold ${(coldMs / 1000).toFixed(2)} s`,
    median(warms) / coldMs, { op: '<=', value: 0.10 });
}

/** Polls with a gap, like a client does (but 100 times as often), recording each call's latency. */
async function sample(server, xml, until, gapMs = 10, max = 5000) {
  const ms = [];
  while (ms.length < max && !until(ms.length)) {
    const t0 = now();
    const res = await post(server, xml);
    ms.push(now() - t0);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.toString().slice(0, 300)}`);
    await sleep(gapMs);
  }
  return ms;
}

async function latencyDuringDeploy() {
  const server = await startLocalforce('--in-memory', '--no-key-pool');
  try {
    await deploy(server.conn, await certsZip('Small', 2));
    const count = 8;
    const zip = await certsZip('Big', count, 4096);
    const { id } = await server.conn.metadata.deploy(zip, { singlePackage: true, rollbackOnError: true });
    const statusXml = checkDeployStatusXml(server.token, id);
    const listXml = listMetadataXml(server.token);
    let done = false;
    const t0 = now();
    // Two clients at once: one polls checkDeployStatus, one lists metadata.
    const [busy, busyList] = await Promise.all([
      sample(server, statusXml, () => done, 10),
      sample(server, listXml, () => done, 10),
      (async () => { // a third client, as jsforce would, watching for the end
        while (!done && now() - t0 < 600_000) {
          if ((await post(server, statusXml)).body.includes('<done>true</done>')) done = true;
          else await sleep(200);
        }
      })(),
    ]);
    const deployMs = now() - t0;
    const [idle, idleList] = await Promise.all([
      sample(server, statusXml, (n) => n >= busy.length, 10),
      sample(server, listXml, (n) => n >= busyList.length, 10),
    ]);
    const ratio = percentile(busy, 99) / percentile(idle, 99);
    report(`checkDeployStatus p99 latency while a ${count}-certificate 4096-bit deploy makes keys vs idle`,
      `p99 ${percentile(busy, 99).toFixed(2)} ms during (${busy.length} calls over ${(deployMs / 1000).toFixed(1)} s; median ${median(busy).toFixed(2)} ms) vs ${percentile(idle, 99).toFixed(2)} ms idle (median ${median(idle).toFixed(2)} ms). ` +
      `listMetadata alongside: p99 ${percentile(busyList, 99).toFixed(2)} ms during vs ${percentile(idleList, 99).toFixed(2)} ms idle`,
      ratio, { op: '<=', value: 3 });
  } finally {
    await server.close();
  }
}

/** Requests per second with `clients` concurrent keep-alive clients for `ms` (after a warm-up); `body` may be a function of the request's number. */
async function throughput(target, body, clients = 16, ms = 4000, warmupMs = 1000) {
  let sent = 0;
  const next = typeof body === 'function' ? () => body(sent++) : () => body;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    let count = 0;
    let counting = false;
    let stopAt = Infinity;
    const loop = async () => {
      while (now() < stopAt) {
        const res = await post(target, next(), agent);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        if (counting) count++;
      }
    };
    const loops = Array.from({ length: clients }, loop);
    await sleep(warmupMs);
    counting = true;
    const t0 = now();
    await sleep(ms);
    counting = false;
    const elapsed = now() - t0;
    stopAt = 0;
    await Promise.all(loops);
    return (count / elapsed) * 1000;
  } finally {
    agent.destroy();
  }
}

async function soapThroughput() {
  // Default settings (the pool on); filled first so its filling is not part of the figure.
  const location = tempDir();
  const server = await startLocalforce('--location', location);
  let bare;
  const file = path.join(tempDir(), 'listMetadata.xml');
  try {
    await deploy(server.conn, await certsZip('Listed', 10));
    await waitForPool(location, 20);
    const body = listMetadataXml(server.token);
    const response = await post(server, body);
    if (response.status !== 200 || !response.body.includes('<fullName>Listed0009</fullName>')) throw new Error('listMetadata did not list the certificates');
    writeFileSync(file, response.body);
    bare = await spawnUntil(['bench/bareExpress.js', file], /listening on (\S+)/);
    const bareTarget = { url: bare.match[1] };
    // The same request again and again, as polling clients send it (Localforce reuses its answer while
    // the org is unchanged), and every request distinct (a CallOptions client name per request), which
    // makes it parse, query and serialize each time.
    const distinct = (i) => body.replace('</SessionHeader>', `</SessionHeader><CallOptions><client>bench-${i}</client></CallOptions>`);
    if (distinct(1) === body) throw new Error('the distinct requests are not distinct');
    const lf = [];
    const lfDistinct = [];
    const ex = [];
    for (let r = 0; r < ROUNDS; r++) {
      lf.push(await throughput(server, body));
      lfDistinct.push(await throughput(server, distinct));
      ex.push(await throughput(bareTarget, body));
      console.log(`   round ${r + 1}: localforce ${lf[r].toFixed(0)} req/s (${lfDistinct[r].toFixed(0)} with distinct requests), bare express ${ex[r].toFixed(0)} req/s`);
    }
    report(`SOAP listMetadata requests per second at 16 concurrent clients vs a bare express server (static ${response.body.length}-byte response)`,
      `${median(lf).toFixed(0)} req/s vs ${median(ex).toFixed(0)} req/s (medians of ${ROUNDS})`, median(lf) / median(ex), { op: '>=', value: 0.5 });
    report('The same, every request distinct (nothing reused: parse, query and serialize each time) vs the bare express server',
      `${median(lfDistinct).toFixed(0)} req/s vs ${median(ex).toFixed(0)} req/s (medians of ${ROUNDS})`, median(lfDistinct) / median(ex));
  } finally {
    await server.close();
    if (bare) await stop(bare.child);
  }
}

async function largePackage() {
  const server = await startLocalforce('--in-memory', '--no-key-pool');
  try {
    await deploy(server.conn, await certsZip('Warmup', 2));
    const zip = await certsZip('Large', LARGE);
    const idle = memory(server.child.pid).rss;
    let peak = peakMeter(server.child.pid);
    const deployed = await deploy(server.conn, zip, 500);
    const deployPeak = peak();
    const afterDeploy = memory(server.child.pid).rss;

    peak = peakMeter(server.child.pid);
    server.conn.metadata.pollInterval = 100;
    server.conn.metadata.pollTimeout = 600_000;
    const t0 = now();
    const retrieved = await server.conn.metadata.retrieve({
      apiVersion: API, singlePackage: true, unpackaged: { types: [{ name: 'Certificate', members: ['*'] }], version: API },
    }).complete();
    const retrieveMs = now() - t0;
    const retrievePeak = peak();
    const retrievedZip = Buffer.from(retrieved.zipFile, 'base64');
    const entries = Object.keys((await JSZip.loadAsync(retrievedZip)).files).filter((f) => f.endsWith('.crt')).length;
    if (entries < LARGE) throw new Error(`the retrieve returned ${entries} certificates, not ${LARGE}`);
    report(`Retrieve of ${LARGE} certificates vs the deploy of the same package`,
      `retrieve ${(retrieveMs / 1000).toFixed(2)} s, peak RSS ${mb(retrievePeak)} (zip ${mb(retrievedZip.length)}); ` +
      `deploy ${(deployed.ms / 1000).toFixed(1)} s, peak RSS ${mb(deployPeak)} (zip ${mb(zip.length)}). ` +
      `Server RSS ${mb(idle)} idle before the deploy, ${mb(afterDeploy)} after it. Peak growth: deploy ${mb(deployPeak - idle)} ` +
      `(${((deployPeak - idle) / zip.length).toFixed(0)}× its zip), retrieve ${mb(retrievePeak - afterDeploy)} (${((retrievePeak - afterDeploy) / retrievedZip.length).toFixed(0)}× its zip)`,
      retrieveMs / deployed.ms);
    figures[figures.length - 1].ratio = `${(retrieveMs / deployed.ms).toFixed(3)} (time), ${(retrievePeak / deployPeak).toFixed(2)} (peak RSS)`;
  } finally {
    await server.close();
  }
}

async function startUp() {
  const lf = [];
  const ex = [];
  for (let r = 0; r < Math.max(5, ROUNDS); r++) {
    const a = await spawnUntil(['bin/localforce.js', 'start', '--in-memory', '--port', '0'], /listening on/);
    lf.push(a.ms);
    await stop(a.child);
    const b = await spawnUntil(['bench/bareExpress.js'], /listening on/);
    ex.push(b.ms);
    await stop(b.child);
  }
  report('Start-up to listening (--in-memory) vs a bare express server start-up (process spawn to "listening")',
    `${median(lf).toFixed(0)} ms vs ${median(ex).toFixed(0)} ms (medians of ${lf.length})`, median(lf) / median(ex), { op: '<=', value: 3 });
}

function machine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${os.availableParallelism()} cores (nproc), ${cpu}, node ${process.version}, ${os.platform()} ${os.release()}, ${mb(os.totalmem())} memory`;
}

function markdown(startedAt, seconds) {
  const lines = [
    '# Benchmark results', '',
    `Run of \`npm run bench\` on ${startedAt.toISOString().slice(0, 10)}: ${machine()}. ${ROUNDS} rounds per timed figure; ${seconds.toFixed(0)} s in all.`,
    'Each figure is a ratio of two measurements taken side by side in the same run.', '',
    'The last column is the share of the machine that other processes used meanwhile (0% = a quiet machine).', '',
    '| figure | measured | ratio | goal | | other load |', '|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.measured} | ${f.ratio} | ${f.goal} | ${f.ok} | ${f.load ?? ''} |`),
    '',
  ];
  return lines.join('\n');
}

async function main() {
  const startedAt = new Date();
  const t0 = now();
  console.log(`Localforce benchmark on ${machine()}`);
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const steps = { cold: coldAndWarm, latency: latencyDuringDeploy, soap: soapThroughput, large: largePackage, startup: startUp };
  for (const [name, step] of Object.entries(steps)) {
    if (only.length && !only.includes(name)) continue;
    const before = { machine: machineCpu(), ours: ourCpu(), figures: figures.length };
    await step();
    const after = { machine: machineCpu(), ours: ourCpu() };
    const others = Math.max(0, (after.machine.busy - before.machine.busy) - (after.ours - before.ours));
    const share = others / ((after.machine.wall - before.machine.wall) * os.availableParallelism());
    const note = `other processes on the machine: ${others.toFixed(1)} CPU-s, ${(share * 100).toFixed(0)}% of its capacity during this step`;
    console.log(`   (${note}${share > 0.15 ? ': NOT QUIET, figures disturbed' : ''})`);
    for (const f of figures.slice(before.figures)) f.load = `${(share * 100).toFixed(0)}%`;
  }
  const md = markdown(startedAt, (now() - t0) / 1000);
  console.log(`\n${md}`);
  if (SAVE) {
    // Notes written by hand below the marker outlive a new run's figures.
    const file = path.join(__dirname, 'RESULTS.md');
    let notes = '';
    try { notes = readFileSync(file, 'utf8').split(NOTES_MARKER)[1] ?? ''; } catch { /* first run */ }
    writeFileSync(file, `${md}\n${NOTES_MARKER}${notes || '\n'}`);
  }
}

main().then(
  () => { process.exitCode = figures.some((f) => f.ok === 'MISSED') ? 1 : 0; },
  (err) => { console.error(err); process.exitCode = 2; },
).finally(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
