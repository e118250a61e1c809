'use strict';
/**
 * Zip libraries side by side on the benchmark's own packages: the time to read (unzip every entry)
 * and write (zip every file, deflated at level 6) each package, and the peak RSS growth of doing so.
 * Each measurement runs in a fresh process, so one library's garbage is not another's peak.
 *
 *   node bench/zipLibraries.js           every library on every package (a table)
 *   node bench/zipLibraries.js one LIB OP PACKAGE   one measurement, as JSON (what the table runs)
 */
const { spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { certificatePackage, mixedPackage } = require('./packages');

const ROOT = path.join(__dirname, '..');
const PACKAGES = {
  certificates: () => certificatePackage('Large', 1000),
  mixed: () => mixedPackage(10_000),
};

/** Each library's way of reading every entry into a Buffer, and of writing a zip from Buffers. */
const LIBRARIES = {
  jszip: {
    label: 'jszip 3 (pure JS, pako)',
    async read(zip) {
      const JSZip = require('jszip');
      const archive = await JSZip.loadAsync(zip, { checkCRC32: true });
      const out = new Map();
      for (const f of Object.values(archive.files)) if (!f.dir) out.set(f.name, await f.async('nodebuffer'));
      return out;
    },
    async write(files) {
      const JSZip = require('jszip');
      const zip = new JSZip();
      for (const [name, bytes] of files) zip.file(name, bytes);
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
    },
  },
  'fflate-sync': {
    label: 'fflate 0.8 unzipSync/zipSync (pure JS, blocks the event loop)',
    async read(zip) {
      const { unzipSync } = require('fflate');
      return new Map(Object.entries(unzipSync(zip)).filter(([n]) => !n.endsWith('/')).map(([n, b]) => [n, Buffer.from(b.buffer, b.byteOffset, b.length)]));
    },
    async write(files) {
      const { zipSync } = require('fflate');
      return Buffer.from(zipSync(Object.fromEntries(files), { level: 6 }));
    },
  },
  'fflate-async': {
    label: 'fflate 0.8 unzip/zip (pure JS; large entries on worker threads)',
    read(zip) {
      const { unzip } = require('fflate');
      return new Promise((resolve, reject) => unzip(zip, (err, out) => (err ? reject(err)
        : resolve(new Map(Object.entries(out).filter(([n]) => !n.endsWith('/')).map(([n, b]) => [n, Buffer.from(b.buffer, b.byteOffset, b.length)]))))));
    },
    write(files) {
      const { zip } = require('fflate');
      return new Promise((resolve, reject) => zip(Object.fromEntries(files), { level: 6 }, (err, out) => (err ? reject(err) : resolve(Buffer.from(out)))));
    },
  },
  'yauzl-yazl-streams': {
    label: 'yauzl 3 read streams / yazl 3 addBuffer (node zlib, every entry at once)',
    read(zip) {
      const yauzl = require('yauzl');
      return new Promise((resolve, reject) => {
        const out = new Map();
        yauzl.fromBuffer(zip, { lazyEntries: true }, (err, archive) => {
          if (err) return reject(err);
          archive.on('entry', (entry) => {
            if (entry.fileName.endsWith('/')) return archive.readEntry();
            archive.openReadStream(entry, (e, stream) => {
              if (e) return reject(e);
              const chunks = [];
              stream.on('data', (c) => chunks.push(c));
              stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); archive.readEntry(); });
              stream.on('error', reject);
            });
          });
          archive.on('end', () => resolve(out));
          archive.on('error', reject);
          archive.readEntry();
        });
      });
    },
    write(files) {
      const yazl = require('yazl');
      const zip = new yazl.ZipFile();
      for (const [name, bytes] of files) zip.addBuffer(bytes, name, { compressionLevel: 6 });
      zip.end();
      return collect(zip.outputStream);
    },
  },
  localforce: {
    label: 'Localforce: yauzl reads the directory, node zlib inflates entry by entry (src/package/zipReader.ts); node zlib deflates entry by entry into fflate\'s streaming Zip container (src/package/zipWriter.ts)',
    async read(zip) {
      return (await require(path.join(ROOT, 'dist/package/zipReader')).readZip(zip)).files;
    },
    async write(files) {
      // The retrieve hands each chunk to the store's parts as it comes; here they are gathered, as jszip gives its zip.
      const chunks = [];
      await require(path.join(ROOT, 'dist/package/zipWriter')).writeZip(new Map(files), (chunk) => chunks.push(chunk));
      return Buffer.concat(chunks);
    },
  },
};

function collect(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function rss() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** One measurement in this process: prints { ms, peakGrowth, bytes, entries }. */
async function one(lib, op, pkg) {
  const { zipSync } = require('fflate');
  const files = new Map(Object.entries(PACKAGES[pkg]()).map(([n, t]) => [n, Buffer.from(t)]));
  const zip = op === 'read' ? Buffer.from(zipSync(Object.fromEntries(files), { level: 6 })) : undefined;
  const input = op === 'read' ? zip : files;
  const run = () => LIBRARIES[lib][op](input);
  await run(); // first-call costs (loading, JIT) out of the way
  global.gc();
  writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := VmRSS
  const before = rss().rss;
  const t0 = process.hrtime.bigint();
  const result = await run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const peakGrowth = rss().peak - before;
  const entries = op === 'read' ? result.size : files.size;
  if (op === 'read' && entries !== files.size) throw new Error(`${lib} read ${entries} of ${files.size} entries`);
  console.log(JSON.stringify({ ms, peakGrowth, zipBytes: op === 'read' ? zip.length : result.length, entries }));
}

/** Runs every library on every package, each measurement `rounds` times in fresh processes; the median is kept. */
function compare(rounds = 3, log = console.log) {
  const rows = [];
  for (const pkg of Object.keys(PACKAGES)) {
    for (const op of ['read', 'write']) {
      for (const lib of Object.keys(LIBRARIES)) {
        if (lib === 'yauzl-yazl-streams' && op === 'write' && pkg === 'mixed') {
          // yazl's addBuffer starts a zlib stream per entry at once: +400 MB for the 2,001 certificate entries already.
          log(`   ${pkg} ${op} ${lib}: not run (one zlib stream per entry at once)`);
          rows.push({ pkg, op, lib, label: LIBRARIES[lib].label, skipped: true });
          continue;
        }
        const runs = [];
        for (let r = 0; r < rounds; r++) {
          const res = spawnSync(process.execPath, ['--expose-gc', __filename, 'one', lib, op, pkg], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
          if (res.status !== 0) throw new Error(`${lib} ${op} ${pkg}: ${res.stderr || res.error}`);
          runs.push(JSON.parse(res.stdout.trim().split('\n').pop()));
        }
        const mid = (key) => { const s = runs.map((x) => x[key]).sort((a, b) => a - b); return s[s.length >> 1]; };
        const row = { pkg, op, lib, label: LIBRARIES[lib].label, ms: mid('ms'), peakGrowth: mid('peakGrowth'), zipBytes: mid('zipBytes'), entries: runs[0].entries };
        log(`   ${pkg} ${op} ${lib}: ${row.ms.toFixed(0)} ms, peak RSS +${(row.peakGrowth / 1048576).toFixed(1)} MB (zip ${(row.zipBytes / 1048576).toFixed(1)} MB, ${row.entries} entries)`);
        rows.push(row);
      }
    }
  }
  return rows;
}

module.exports = { compare, LIBRARIES };

if (require.main === module) {
  if (process.argv[2] === 'one') {
    one(process.argv[3], process.argv[4], process.argv[5]).catch((err) => { console.error(err); process.exit(1); });
  } else {
    compare(Number(process.env.BENCH_ROUNDS ?? 3));
  }
}
