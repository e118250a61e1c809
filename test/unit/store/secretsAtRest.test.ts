/**
 * The store keeps secrets secret: private keys sealed under the master key (rotation included, also
 * when cut short), session tokens and passwords never in clear, files of mode 600 in a folder of 700,
 * and one server per location.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { Store } from '../../../src/store/store';

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lf-store-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

/** An org row so that private_keys' foreign key holds. */
function withOrg(store: Store): Store {
  store.orgs.insert({ id: '00D000000000009AAA', name: 'o', createdDate: '2026-01-01T00:00:00.000Z', clockOffsetMs: 0 });
  return store;
}

/** Every byte of every file of the location, as latin1 text to search. */
const allBytes = (location: string) => readdirSync(location).map((f) => readFileSync(join(location, f)).toString('latin1')).join('\n');

describe('private keys at rest', () => {
  it('are sealed in the store file and read back as they were', () => {
    const store = withOrg(Store.open(dir));
    store.components.putPrivateKey('00D000000000009AAA', '0P1000000000001AAA', PEM);
    store.keyPool.add(2048, PEM);
    expect(store.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    store.close();
    const text = allBytes(dir);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toContain(PEM.split('\n')[1]);
    const db = new Database(join(dir, 'localforce.sqlite'), { readonly: true });
    const stored = db.prepare('SELECT private_key_pem AS v FROM private_keys UNION ALL SELECT private_key_pem FROM key_pool').all() as { v: string }[];
    db.close();
    expect(stored).toHaveLength(2);
    for (const { v } of stored) expect(v).toMatch(/^lfenc:v1:[0-9a-f]{12}:/);
    const again = Store.open(dir);
    expect(again.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    expect(again.keyPool.take(2048, 5)).toEqual([PEM]);
    again.close();
  });

  it('cannot be moved to another component: each is bound to its row', () => {
    const store = withOrg(Store.open(dir));
    store.components.putPrivateKey('00D000000000009AAA', '0P1000000000001AAA', PEM);
    store.close();
    const db = new Database(join(dir, 'localforce.sqlite'));
    db.prepare("UPDATE private_keys SET component_id = '0P1000000000002AAA'").run();
    db.close();
    const again = Store.open(dir);
    expect(() => again.components.privateKey('0P1000000000002AAA')).toThrow(/unable to authenticate data|Unsupported state/);
    again.close();
  });

  it('are sealed when an older store kept them in clear', () => {
    Store.open(dir).close();
    const db = new Database(join(dir, 'localforce.sqlite'));
    db.prepare("INSERT INTO orgs (id, name, created_date) VALUES ('00D000000000009AAA', 'o', '2026')").run();
    db.prepare("INSERT INTO private_keys VALUES ('0P1000000000001AAA', '00D000000000009AAA', ?)").run(PEM);
    db.prepare('INSERT INTO key_pool (bits, private_key_pem) VALUES (2048, ?)').run(PEM);
    db.prepare("INSERT INTO users (id, org_id, username, password, full_name, email) VALUES ('005000000000009AAA', '00D000000000009AAA', 'u', 'p', 'U', 'e')").run();
    db.prepare("INSERT INTO sessions (id, org_id, user_id, created_date) VALUES ('00D000000000009AAA!secret.token', '00D000000000009AAA', '005000000000009AAA', '2026')").run();
    db.close();
    const store = Store.open(dir);
    expect(store.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    expect(store.sessions.active('00D000000000009AAA!secret.token')?.session).toMatchObject({ orgId: '00D000000000009AAA' });
    store.close();
    expect(allBytes(dir)).not.toMatch(/PRIVATE KEY|secret\.token/);
  });

  it('are re-sealed by a rotation, which the old key can no longer open', () => {
    const store = withOrg(Store.open(dir));
    store.components.putPrivateKey('00D000000000009AAA', '0P1000000000001AAA', PEM);
    store.keyPool.add(2048, PEM);
    store.close();
    const oldKey = readFileSync(join(dir, 'master.key'), 'utf8');
    const { resealed, file } = Store.rotateMasterKey(dir);
    expect({ resealed, file }).toEqual({ resealed: 2, file: join(dir, 'master.key') });
    expect(readFileSync(file, 'utf8')).not.toBe(oldKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = Store.open(dir);
    expect(again.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    again.close();
    writeFileSync(join(dir, 'master.key'), oldKey, { mode: 0o600 });
    expect(() => Store.open(dir)).toThrow(/sealed with master key [0-9a-f]{12}, but .*master\.key holds key [0-9a-f]{12}\. Start with --master-key-file/);
  });

  it('are readable after a rotation cut short on either side of its commit', () => {
    const store = withOrg(Store.open(dir));
    store.components.putPrivateKey('00D000000000009AAA', '0P1000000000001AAA', PEM);
    store.close();
    const key = join(dir, 'master.key');
    const old = join(dir, 'old.key');
    copyFileSync(key, old);
    // Before the commit: the new key was written beside the old one, nothing re-sealed. It is dropped.
    writeFileSync(`${key}.new`, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const before = Store.open(dir);
    expect(before.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    before.close();
    expect(readdirSync(dir)).not.toContain('master.key.new');
    // After the commit, before the new key took the old one's place: the new key is adopted.
    Store.rotateMasterKey(dir);
    copyFileSync(key, `${key}.new`);
    copyFileSync(old, key);
    const after = Store.open(dir);
    expect(after.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    after.close();
    expect(readdirSync(dir)).not.toContain('master.key.new');
  });

  it('can be sealed under a key kept outside the location, and are not opened without it', () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'lf-key-')), 'localforce.key');
    const store = withOrg(Store.open(dir, { masterKeyFile: keyFile }));
    store.components.putPrivateKey('00D000000000009AAA', '0P1000000000001AAA', PEM);
    store.close();
    expect(readdirSync(dir)).not.toContain('master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(() => Store.open(dir)).toThrow(/master\.key does not exist\. Start with --master-key-file/);
    const again = Store.open(dir, { masterKeyFile: keyFile });
    expect(again.components.privateKey('0P1000000000001AAA')).toBe(PEM);
    again.close();
    expect(Store.rotateMasterKey(dir, { masterKeyFile: keyFile }).resealed).toBe(1);
  });
});

describe('the location', () => {
  it('is a folder of mode 700 holding files of mode 600', () => {
    const store = withOrg(Store.open(join(dir, 'new')));
    store.keyPool.add(2048, PEM);
    const location = join(dir, 'new');
    expect(statSync(location).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(location)) expect({ f, mode: statSync(join(location, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect(readdirSync(location)).toEqual(expect.arrayContaining(['localforce.sqlite', 'localforce.lock', 'master.key']));
    store.close();
    expect(readdirSync(location)).not.toContain('localforce.lock');
  });

  it('serves one store at a time, and says which process holds it', () => {
    const first = Store.open(dir);
    expect(() => Store.open(dir)).toThrow(new RegExp(`in use by another Localforce server \\(pid ${process.pid}, since .*\\)\\. Stop it first, or start this one with another --location\\.`));
    expect(() => Store.rotateMasterKey(dir)).toThrow(/in use by another Localforce server/);
    first.close();
    Store.open(dir).close();
  });

  it('is taken over from a server that died without releasing it', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'localforce.lock'), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const store = Store.open(dir);
    expect(JSON.parse(readFileSync(join(dir, 'localforce.lock'), 'utf8')).pid).toBe(process.pid);
    store.close();
    // A half-written lock file (the holder died while writing it) is stale too.
    writeFileSync(join(dir, 'localforce.lock'), '{"pid":');
    Store.open(dir).close();
  });
});
