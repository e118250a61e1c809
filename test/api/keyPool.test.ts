import Database from 'better-sqlite3';
import { readMasterKey, SecretBox } from '../../src/store/secretBox';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { main } from '../../src/cli';
import {
  asArray, certsZip, deployAndWait, retrieveCerts, soapLogin, startTestServer, tokenConnection, type LocalforceServer,
} from '../support/localforce';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'localforce-pool-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/**
 * Reads the pool of a stored (file) org from outside the server, as a second SQLite connection; the
 * keys are sealed at rest, so they are opened with the location's master key.
 */
function poolKeys(location: string, bits = 2048): string[] {
  const db = new Database(join(location, 'localforce.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const sealed = (db.prepare('SELECT private_key_pem FROM key_pool WHERE bits = ? ORDER BY seq').all(bits) as { private_key_pem: string }[])
      .map((r) => r.private_key_pem);
    if (!sealed.length) return [];
    const box = new SecretBox(readMasterKey(join(location, 'master.key')));
    return sealed.map((v) => {
      expect(v).toMatch(/^lfenc:v1:/);
      return box.open(v, 'key_pool');
    });
  } finally {
    db.close();
  }
}

/** Polls until `check` holds; no time is asserted, the test timeout bounds it. */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 100));
}

const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
const certKeys = (files: Record<string, string>) =>
  Object.entries(files).filter(([name]) => name.endsWith('.crt')).map(([, pem]) => spki(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }) as string));

describe('the key pool', () => {
  const location = tempDir();
  let pooledPublicKeys: string[];

  it('fills up to its size in the background and keeps the keys in the store', async () => {
    const server = await startTestServer({ inMemory: false, location, keyPoolSize: 3 });
    try {
      await waitFor(() => poolKeys(location).length >= 3);
    } finally {
      await server.close();
    }
    const keys = poolKeys(location);
    expect(keys).toHaveLength(3); // never past its size
    for (const pem of keys) expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    pooledPublicKeys = keys.map(spki);
    expect(new Set(pooledPublicKeys).size).toBe(3);
  });

  it('survives a restart; a deploy takes its keys once each and makes the rest', async () => {
    // Size 0: the pool is used but not refilled, so what a deploy takes shows in the count.
    const server = await startTestServer({ inMemory: false, location, keyPoolSize: 0 });
    try {
      expect(poolKeys(location)).toHaveLength(3);
      const conn = tokenConnection(server);
      const names = ['Pool1', 'Pool2', 'Pool3', 'Pool4', 'Pool5'];
      const result = await deployAndWait(conn, await certsZip(names.map((name) => ({ name }))));
      expect(result.status).toBe('Succeeded');
      expect(poolKeys(location)).toHaveLength(0);

      const { files } = await retrieveCerts(conn, names);
      const keys = certKeys(files);
      expect(keys).toHaveLength(5);
      expect(new Set(keys).size).toBe(5); // no key twice
      expect(keys.filter((k) => pooledPublicKeys.includes(k))).toHaveLength(3); // every pooled key, once

      // The pool is empty: the next deploy makes its keys, all new.
      await deployAndWait(conn, await certsZip([{ name: 'Pool6' }]));
      const again = certKeys((await retrieveCerts(conn, ['*'])).files);
      expect(new Set(again).size).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('stays empty with keyPool false (--no-key-pool)', async () => {
    const dir = tempDir();
    const server = await startTestServer({ inMemory: false, location: dir, keyPool: false });
    try {
      const result = await deployAndWait(tokenConnection(server), await certsZip([{ name: 'NoPool1' }, { name: 'NoPool2' }]));
      expect(result.status).toBe('Succeeded');
      expect(poolKeys(dir)).toHaveLength(0);
    } finally {
      await server.close();
    }
    expect(poolKeys(dir)).toHaveLength(0);
  });

  it('keeps 4096-bit keys once that size is used, and they survive a restart too', async () => {
    const dir = tempDir();
    let server = await startTestServer({ inMemory: false, location: dir, keyPoolSize: 2 });
    try {
      await waitFor(() => poolKeys(dir).length >= 2);
      expect(poolKeys(dir, 4096)).toHaveLength(0); // not made until asked for
      await deployAndWait(tokenConnection(server), await certsZip([{ name: 'Big', keySize: 4096 }]));
      await waitFor(() => poolKeys(dir, 4096).length >= 1);
    } finally {
      await server.close();
    }
    server = await startTestServer({ inMemory: false, location: dir, keyPoolSize: 0 });
    try {
      expect(poolKeys(dir, 4096)).toHaveLength(1);
      await deployAndWait(tokenConnection(server), await certsZip([{ name: 'Big2', keySize: 4096 }]));
      expect(poolKeys(dir, 4096)).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('pooled keys never leave through the API', () => {
  let server: LocalforceServer;
  let proxy: Server;
  const bodies: string[] = [];
  const location = tempDir();

  // Every byte the server sends passes through this recording proxy.
  beforeAll(async () => {
    server = await startTestServer({ inMemory: false, location, keyPoolSize: 4 });
    proxy = createServer((req, res) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          bodies.push(body.toString('utf8'));
          res.writeHead(up.statusCode ?? 500, up.headers);
          res.end(body);
        });
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    await waitFor(() => poolKeys(location).length >= 4);
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    await server.close();
  });

  it('no response holds a private key, pooled or made', async () => {
    const pooled = poolKeys(location);
    const proxied: LocalforceServer = { ...server, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
    const conn = await soapLogin(proxied);
    const names = ['Leak1', 'Leak2', 'Leak3', 'Leak4', 'Leak5', 'Leak6'];
    const zip = await certsZip(names.map((name, i) => ({ name, caSigned: i % 2 === 1 })));
    const result = await deployAndWait(conn, zip);
    expect(result.status).toBe('Succeeded');
    await conn.metadata.checkDeployStatus(result.id, true);
    await conn.metadata.list([{ type: 'Certificate' }]);
    await conn.metadata.read('Certificate', names);
    await conn.metadata.describe('66.0');
    const { result: retrieved, files } = await retrieveCerts(conn, ['*']);
    await conn.request('/services/data');
    await conn.request(`/services/data/v66.0/metadata/deployRequest/${result.id}?includeDetails=true`);

    expect(bodies.length).toBeGreaterThan(8);
    // Any PEM private key, and any line of a key that was in the pool, in any response or retrieved file.
    const keyLines = pooled.flatMap((pem) => pem.split('\n').filter((l) => l.length === 64));
    const zipFiles = [...Object.values(files)];
    const inner = await JSZip.loadAsync(Buffer.from(retrieved.zipFile as string, 'base64'));
    for (const f of Object.values(inner.files)) if (!f.dir) zipFiles.push(await f.async('string'));
    for (const text of [...bodies, ...zipFiles]) {
      expect(text).not.toMatch(/PRIVATE KEY/);
      for (const line of keyLines) expect(text.includes(line)).toBe(false);
    }
    expect(asArray(retrieved.fileProperties).length).toBe(names.length + 1);
  });
});

describe('the command line', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    jest.spyOn(console, 'error').mockImplementation((m: string) => { errors.push(m); });
    jest.spyOn(console, 'log').mockImplementation((m: string) => { logs.push(m); });
  });
  afterEach(() => jest.restoreAllMocks());

  it('documents --key-pool-size and --no-key-pool', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(logs.join('\n')).toMatch(/--key-pool-size <n>/);
    expect(logs.join('\n')).toMatch(/--no-key-pool/);
  });

  it('refuses a pool size that is not a whole number', async () => {
    expect(await main(['start', '--in-memory', '--key-pool-size', 'many'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--key-pool-size must be a whole number/);
    expect(await main(['start', '--in-memory', '--key-pool-size', '-3'])).toBe(2);
  });
});
