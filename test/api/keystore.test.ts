/**
 * Keystores (the help's "Export to Keystore" and "Import from Keystore") over the admin API and the
 * `localforce keystore` command. Every exported file is read by keytool and openssl; imported files
 * are made by keytool and openssl (and, for what neither tool can write, by Localforce's own writer).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { buildSignedCertificate, generateRsaKeyPair, toPem } from '../../src/crypto';
import { writeKeystore } from '../../src/crypto/keystore';
import {
  asArray, certMeta, certsZip, createOrg, deployAndWait, retrieveCerts, startTestServer, type LocalforceServer, type TestOrg,
} from '../support/localforce';
import { makeTestCa, pemBlocks, signCsr, type TestCa } from '../support/testCa';
import { requireTool, runTool } from '../support/tools';

const BIN = join(__dirname, '..', '..', 'bin', 'localforce.js');
const PASSWORD = 'changeit-1';
const DAY = 24 * 3600 * 1000;

let server: LocalforceServer;
let ca: TestCa;
let source: TestOrg;
/** The certificates of `source` as a retrieve returns them, by name. */
let retrieved: Record<string, { crt: string; meta: string }>;

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });

async function retrieveAll(org: TestOrg) {
  const { files } = await retrieveCerts(org.conn);
  const out: Record<string, { crt: string; meta: string }> = {};
  for (const [path, text] of Object.entries(files)) {
    const m = /^unpackaged\/certs\/(\w+)\.crt$/.exec(path);
    if (m) out[m[1]!] = { crt: text, meta: files[`${path}-meta.xml`]! };
  }
  return out;
}

function exportKeystore(org: Pick<TestOrg, 'id' | 'accessToken'>, body: Record<string, unknown>, token = org.accessToken) {
  return fetch(`${server.url}/_localforce/orgs/${org.id}/keystore/export`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
}

function importKeystore(org: TestOrg, bytes: Buffer, format: string, password = PASSWORD) {
  return fetch(`${server.url}/_localforce/orgs/${org.id}/keystore/import?${new URLSearchParams({ format, password })}`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${org.accessToken}` }, body: bytes,
  });
}

const keytool = (args: string[], files: Record<string, string | Buffer> = {}, outputs: string[] = []) => runTool('keytool', args, files, outputs);

/** A keystore that keytool made: `-genkeypair` with the given options, into `ks` of `storetype`. */
async function keytoolKeystore(storetype: 'JKS' | 'PKCS12', alias: string, keyOptions: string[], extra: string[] = []): Promise<Buffer> {
  const run = await keytool(['-genkeypair', '-keystore', '{ks}', '-storetype', storetype, '-storepass', PASSWORD, '-alias', alias,
    '-dname', `CN=${alias}, O=Keytool`, '-validity', '365', ...keyOptions, ...(extra.includes('-keypass') ? extra : ['-keypass', PASSWORD, ...extra])], {}, ['ks']);
  if (run.status !== 0) throw new Error(`keytool failed: ${run.stderr}`);
  return run.files.ks!;
}

beforeAll(async () => {
  requireTool('keytool');
  requireTool('openssl');
  [server, ca] = await Promise.all([startTestServer(), makeTestCa('Keystore')]);
  source = await createOrg(server);
  const made = await deployAndWait(source.conn, await certsZip([
    { name: 'Jwt_Signing' },
    { name: 'Big_Key', keySize: 4096 },
    { name: 'Ca_Signed', caSigned: true },
    { name: 'Waiting_Csr', caSigned: true },
    { name: 'Locked_Key', meta: certMeta({ extra: '    <privateKeyExportable>false</privateKeyExportable>\n' }) },
  ]));
  expect(made.status).toBe('Succeeded');
  const csr = (await retrieveAll(source)).Ca_Signed!.crt;
  const leaf = await signCsr(ca, csr);
  const chained = await deployAndWait(source.conn, await certsZip([{ name: 'Ca_Signed', caSigned: true, content: leaf + ca.inter + ca.root }]));
  expect(chained.status).toBe('Succeeded');
  retrieved = await retrieveAll(source);
}, 360_000); // five keys, two of 4096 bits, a test CA and keytool runs: minutes on a busy two-core machine
afterAll(async () => { await server?.close(); });

describe('export', () => {
  let jks: Buffer;
  let p12: Buffer;

  beforeAll(async () => {
    const res = await exportKeystore(source, { password: PASSWORD, format: 'jks' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-java-keystore');
    expect(res.headers.get('x-localforce-exported')).toBe('Big_Key, Ca_Signed, Jwt_Signing');
    expect(JSON.parse(res.headers.get('x-localforce-left-out')!)).toEqual([
      { fullName: 'Locked_Key', reason: expect.stringContaining('privateKeyExportable is false') },
      { fullName: 'Waiting_Csr', reason: expect.stringContaining('still waiting for its signed certificate chain') },
    ]);
    jks = Buffer.from(await res.arrayBuffer());
    const res12 = await exportKeystore(source, { password: PASSWORD, format: 'pkcs12' });
    expect(res12.status).toBe(200);
    expect(res12.headers.get('content-type')).toBe('application/x-pkcs12');
    p12 = Buffer.from(await res12.arrayBuffer());
  });

  it('writes a JKS that keytool lists: one PrivateKeyEntry per certificate under its API name (lower case, as Java keeps JKS aliases), with its chain', async () => {
    const run = await keytool(['-list', '-v', '-keystore', '{ks}', '-storepass', PASSWORD], { ks: jks });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Keystore type: JKS/);
    expect(run.stdout).toMatch(/Your keystore contains 3 entries/);
    const entries = run.stdout.split(/\nAlias name: /).slice(1).map((block) => ({
      alias: block.split('\n')[0],
      type: /Entry type: (\w+)/.exec(block)?.[1],
      chain: Number(/Certificate chain length: (\d+)/.exec(block)?.[1]),
      owner: /Owner: (.+)/.exec(block)?.[1],
      key: /Subject Public Key Algorithm: (.+)/.exec(block)?.[1],
    }));
    expect(entries).toEqual([
      { alias: 'big_key', type: 'PrivateKeyEntry', chain: 1, owner: expect.stringMatching(/^C=USA, ST=CA, L=San Francisco, O=Salesforce.com, OU=00D\w{12}, CN=Big_Key$/), key: '4096-bit RSA key' },
      { alias: 'ca_signed', type: 'PrivateKeyEntry', chain: 3, owner: expect.stringMatching(/^C=USA, ST=CA, L=San Francisco, O=Salesforce.com, OU=00D\w{12}, CN=Ca_Signed$/), key: '2048-bit RSA key' },
      { alias: 'jwt_signing', type: 'PrivateKeyEntry', chain: 1, owner: expect.stringMatching(/^C=USA, ST=CA, L=San Francisco, O=Salesforce.com, OU=00D\w{12}, CN=Jwt_Signing$/), key: '2048-bit RSA key' },
    ]);
  });

  it('seals every JKS key with the store password: keytool converts the file, and each key is the one of its certificate', async () => {
    const converted = await keytool(['-importkeystore', '-srckeystore', '{ks}', '-srcstoretype', 'JKS', '-srcstorepass', PASSWORD,
      '-destkeystore', '{out}', '-deststoretype', 'PKCS12', '-deststorepass', PASSWORD, '-noprompt'], { ks: jks }, ['out']);
    expect(converted.stderr).toMatch(/3 entries successfully imported, 0 entries failed or cancelled/);
    await expectKeysOfCertificates(converted.files.out!, { big_key: 'Big_Key', ca_signed: 'Ca_Signed', jwt_signing: 'Jwt_Signing' });
  });

  it('writes a PKCS#12 that keytool lists and openssl opens, the API name as friendlyName and each key the one of its certificate', async () => {
    const run = await keytool(['-list', '-keystore', '{ks}', '-storetype', 'PKCS12', '-storepass', PASSWORD], { ks: p12 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Keystore type: PKCS12/);
    expect(run.stdout).toMatch(/Your keystore contains 3 entries/);
    expect(run.stdout.match(/^\w+(?=, .*PrivateKeyEntry)/gm)).toEqual(['big_key', 'ca_signed', 'jwt_signing']);
    await expectKeysOfCertificates(p12, { Big_Key: 'Big_Key', Ca_Signed: 'Ca_Signed', Jwt_Signing: 'Jwt_Signing' });
  });

  it('refuses a wrong format, a short password, another org\'s token and no token, in REST errors', async () => {
    const bad = async (res: Response, status: number, code: string, message: RegExp) => {
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual([{ errorCode: code, message: expect.stringMatching(message) }]);
    };
    await bad(await exportKeystore(source, { password: PASSWORD, format: 'jceks' }), 400, 'INVALID_FIELD', /format must be "jks" or "pkcs12"/);
    await bad(await exportKeystore(source, { password: '12345', format: 'jks' }), 400, 'INVALID_PASSWORD', /at least 6 characters/);
    await bad(await exportKeystore(source, { format: 'jks' }), 400, 'REQUIRED_FIELD_MISSING', /password/);
    await bad(await exportKeystore(source, { password: PASSWORD }, server.org.accessToken), 403, 'INSUFFICIENT_ACCESS', /not for org/);
    await bad(await exportKeystore(source, { password: PASSWORD }, 'nonsense'), 401, 'INVALID_SESSION_ID', /Session expired or invalid/);
    const empty = await createOrg(server);
    await bad(await exportKeystore(empty, { password: PASSWORD }), 400, 'NOTHING_TO_EXPORT', /no certificate to export/);
  });
});

/** openssl reads every key of a PKCS#12 file: each is named and is the key of the org's certificate of that name. */
async function expectKeysOfCertificates(p12: Buffer, names: Record<string, string>): Promise<void> {
  const run = await runTool('openssl', ['pkcs12', '-in', '{p12}', '-passin', `pass:${PASSWORD}`, '-nodes'], { p12 });
  expect(run.stderr).not.toMatch(/error/i);
  const keys = new Map<string, string>();
  const certs = new Map<string, string>();
  for (const bag of run.stdout.split('Bag Attributes').slice(1)) {
    const name = /friendlyName: (\S+)/.exec(bag)?.[1];
    const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(bag)?.[0];
    const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(bag)?.[0];
    if (name && key) keys.set(name, key);
    if (name && cert) certs.set(name, cert);
  }
  expect([...keys.keys()].sort()).toEqual(Object.keys(names).sort());
  for (const [alias, fullName] of Object.entries(names)) {
    const leaf = pemBlocks(retrieved[fullName]!.crt)[0]!;
    expect(der(certs.get(alias)!).equals(der(leaf))).toBe(true);
    expect(spki(keys.get(alias)!).equals(spki(leaf))).toBe(true);
  }
}

describe('import', () => {
  it('imports keystores keytool made (JKS with a 3072-bit key, PKCS#12) and one openssl made with a CA chain; they then retrieve, redeploy unchanged and export again', async () => {
    const target = await createOrg(server);
    const fromKeytool = await keytoolKeystore('JKS', 'jwt_key', ['-keyalg', 'RSA', '-keysize', '3072']);
    const fromKeytool12 = await keytoolKeystore('PKCS12', 'tls_key', ['-keyalg', 'RSA', '-keysize', '2048']);
    const leafKey = await generateRsaKeyPair(2048);
    const leaf = await buildSignedCertificate({
      keyPair: leafKey, subject: [{ shortName: 'CN', value: 'client.example.com' }], issuer: ca.interDn, issuerKeyPair: ca.interKey,
      notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 200 * DAY),
    });
    const exported = await runTool('openssl', ['pkcs12', '-export', '-inkey', '{key}', '-in', '{leaf}', '-certfile', '{chain}', '-name', 'Open_Ssl_Cert',
      '-out', '{out}', '-passout', `pass:${PASSWORD}`], { key: leafKey.privateKeyPem, leaf, chain: ca.inter + ca.root }, ['out']);
    expect(exported.status).toBe(0);

    const answers = [
      await importKeystore(target, fromKeytool, 'jks'), await importKeystore(target, fromKeytool12, 'pkcs12'), await importKeystore(target, exported.files.out!, 'pkcs12'),
    ];
    const created = [];
    for (const res of answers) {
      expect(res.status).toBe(201);
      created.push(...((await res.json()) as { created: unknown[] }).created);
    }
    expect(created).toEqual([
      { fullName: 'jwt_key', id: expect.stringMatching(/^0P1/), caSigned: false, keySize: 3072, expirationDate: expect.any(String) },
      { fullName: 'tls_key', id: expect.stringMatching(/^0P1/), caSigned: false, keySize: 2048, expirationDate: expect.any(String) },
      { fullName: 'Open_Ssl_Cert', id: expect.stringMatching(/^0P1/), caSigned: true, keySize: 2048, expirationDate: new Date(new X509Certificate(leaf).validTo).toISOString() },
    ]);

    const got = await retrieveAll(target);
    expect(Object.keys(got).sort()).toEqual(['Open_Ssl_Cert', 'jwt_key', 'tls_key']);
    expect(got.jwt_key!.meta).toMatch(/<keySize>3072<\/keySize>/);
    expect(got.jwt_key!.meta).toMatch(/<caSigned>false<\/caSigned>/);
    expect(new X509Certificate(got.jwt_key!.crt).subject).toBe('O=Keytool\nCN=jwt_key');
    expect(pemBlocks(got.Open_Ssl_Cert!.crt).map(der)).toEqual([leaf, ca.inter, ca.root].map(der));
    expect(got.Open_Ssl_Cert!.meta).toMatch(/<caSigned>true<\/caSigned>/);

    // Deploying what was retrieved changes nothing, 3072 bits included.
    const again = await deployAndWait(target.conn, await certsZip(Object.entries(got).map(([name, f]) => ({ name, content: f.crt, meta: f.meta }))));
    expect(again.status).toBe('Succeeded');
    const messages = asArray(again.details!.componentSuccesses as unknown as { fullName: string; changed: string | boolean }[]).filter((m) => m.fullName !== 'package.xml');
    expect(messages.map((m) => [m.fullName, String(m.changed)]).sort()).toEqual([['Open_Ssl_Cert', 'false'], ['jwt_key', 'false'], ['tls_key', 'false']]);

    // And they export again, with the keys that came in.
    const out = await exportKeystore(target, { password: PASSWORD, format: 'pkcs12' });
    expect(out.headers.get('x-localforce-exported')).toBe('jwt_key, Open_Ssl_Cert, tls_key');
    const listed = await runTool('openssl', ['pkcs12', '-in', '{p12}', '-passin', `pass:${PASSWORD}`, '-nodes', '-nocerts'], { p12: Buffer.from(await out.arrayBuffer()) });
    const openKey = /friendlyName: Open_Ssl_Cert[\s\S]*?(-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----)/.exec(listed.stdout)?.[1];
    expect(createPrivateKey(openKey!).export({ type: 'pkcs8', format: 'pem' })).toBe(leafKey.privateKeyPem);
  }, 120_000);

  it('moves every certificate from one org to another through a JKS file', async () => {
    const jks = Buffer.from(await (await exportKeystore(source, { password: PASSWORD, format: 'jks' })).arrayBuffer());
    expect((await keytool(['-list', '-keystore', '{ks}', '-storepass', PASSWORD], { ks: jks })).stdout).toMatch(/Your keystore contains 3 entries/);
    const target = await createOrg(server);
    const res = await importKeystore(target, jks, 'jks');
    expect(res.status).toBe(201);
    expect(((await res.json()) as { created: { fullName: string }[] }).created.map((c) => c.fullName)).toEqual(['big_key', 'ca_signed', 'jwt_signing']);
    const got = await retrieveAll(target);
    for (const [alias, name] of [['big_key', 'Big_Key'], ['ca_signed', 'Ca_Signed'], ['jwt_signing', 'Jwt_Signing']] as const) {
      expect(got[alias]!.crt).toBe(retrieved[name]!.crt);
    }
  });

  it('refuses, naming the alias, in the help\'s words: a non-RSA key, a key of the wrong size, a key that does not match its chain, no key at all', async () => {
    const target = await createOrg(server);
    const ec = await keytoolKeystore('JKS', 'ec_key', ['-keyalg', 'EC', '-groupname', 'secp256r1']);
    const small = await keytoolKeystore('JKS', 'small_key', ['-keyalg', 'RSA', '-keysize', '1024']);
    const trusted = await keytool(['-importcert', '-noprompt', '-keystore', '{ks}', '-storetype', 'JKS', '-storepass', PASSWORD, '-alias', 'root', '-file', '{ca}'],
      { ca: ca.root }, ['ks']);
    const other = await generateRsaKeyPair(2048);
    const mismatch = writeKeystore('jks', [{ alias: 'wrong_key', privateKeyPem: other.privateKeyPem, chain: [der(ca.inter)] }], PASSWORD);
    const cases: [Buffer, string][] = [
      [ec, "Keystore entry 'ec_key': The key is not an RSA key."],
      [small, "Keystore entry 'small_key': Imported keys must have a bit size of 2048, 3072, or 4096 (this key has 1024 bits)."],
      [mismatch, "Keystore entry 'wrong_key': The private key does not match the certificate chain in the keystore."],
      [trusted.files.ks!, "No certificate was imported because the keystore file doesn't contain a PrivateKey entry."],
    ];
    for (const [bytes, message] of cases) {
      const res = await importKeystore(target, bytes, 'jks');
      expect(res.status).toBe(400);
      const errors = (await res.json()) as { message: string; errorCode: string }[];
      expect(errors[0]).toEqual({ message, errorCode: expect.stringMatching(/^INVALID_KEYSTORE/) });
    }
    expect(await retrieveAll(target)).toEqual({});
  }, 60_000);

  it('refuses a wrong password, a key sealed with another password, and a file of the other format', async () => {
    const target = await createOrg(server);
    const jks = await keytoolKeystore('JKS', 'own_pass', ['-keyalg', 'RSA', '-keysize', '2048'], ['-keypass', 'another-pass']);
    const expectRefusal = async (res: Response, message: string) => {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual([{ message, errorCode: 'INVALID_KEYSTORE' }]);
    };
    await expectRefusal(await importKeystore(target, jks, 'jks', 'wrong-password'), 'Keystore was tampered with, or password was incorrect');
    await expectRefusal(await importKeystore(target, jks, 'jks'), "The Keystore contains a certificate 'own_pass' whose per key password is not the same as the keystore password.");
    await expectRefusal(await importKeystore(target, jks, 'pkcs12'), 'The file is not a PKCS#12 keystore (it is a JKS keystore: import it with format jks)');
    const p12 = await keytoolKeystore('PKCS12', 'p12_key', ['-keyalg', 'RSA', '-keysize', '2048']);
    await expectRefusal(await importKeystore(target, p12, 'pkcs12', 'wrong-password'), 'keystore password was incorrect');
  }, 60_000);

  it('is all or nothing: names must be valid and free, and one bad entry keeps every other out', async () => {
    const target = await createOrg(server);
    const good = await generateRsaKeyPair(2048);
    const goodCert = await buildSignedCertificate({
      keyPair: good, subject: [{ shortName: 'CN', value: 'good' }], issuer: [{ shortName: 'CN', value: 'good' }], issuerKeyPair: good,
      notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 90 * DAY),
    });
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const mixed = writeKeystore('jks', [
      { alias: 'good_one', privateKeyPem: good.privateKeyPem, chain: [der(goodCert)] },
      { alias: 'bad-name', privateKeyPem: good.privateKeyPem, chain: [der(goodCert)] },
      { alias: 'ec_one', privateKeyPem: ecKey, chain: [der(goodCert)] },
    ], PASSWORD);
    const res = await importKeystore(target, mixed, 'jks');
    expect(res.status).toBe(400);
    const messages = ((await res.json()) as { message: string }[]).map((e) => e.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Keystore entry 'bad-name': the alias is not a valid certificate name/),
      "Keystore entry 'ec_one': The key is not an RSA key.",
      'Nothing was imported: 2 entries were refused, and an import is all or nothing.',
    ]);
    expect(await retrieveAll(target)).toEqual({});

    const only = writeKeystore('jks', [{ alias: 'good_one', privateKeyPem: good.privateKeyPem, chain: [der(goodCert)] }], PASSWORD);
    expect((await importKeystore(target, only, 'jks')).status).toBe(201);
    const twice = await importKeystore(target, writeKeystore('pkcs12', [{ alias: 'Good_One', privateKeyPem: good.privateKeyPem, chain: [der(goodCert)] }], PASSWORD), 'pkcs12');
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { message: string }[])[0]!.message)
      .toBe("Keystore entry 'Good_One': the org already has a certificate named good_one. Rename the entry (keytool -changealias) or delete that certificate, then import again.");
  });
});

describe('the localforce keystore command', () => {
  it('exports with the org\'s access token and imports the file into another org', async () => {
    const target = await createOrg(server);
    const exported = await runTool(process.execPath, [BIN, 'keystore', 'export', '--url', server.url, '--token', source.accessToken,
      '--password', PASSWORD, '--out', '{org.p12}'], {}, ['org.p12']);
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const lines = exported.stdout.split('\n');
    expect(lines[0]).toMatch(/^Exported 3 certificate\(s\) to \S+org\.p12 \(pkcs12\): Big_Key, Ca_Signed, Jwt_Signing$/);
    expect(lines.slice(1)).toEqual([
      'Left out Locked_Key: privateKeyExportable is false, so its private key cannot leave the org',
      'Left out Waiting_Csr: it is a CA-signed certificate still waiting for its signed certificate chain; deploy the chain, then export',
      '',
    ]);
    const listed = await keytool(['-list', '-keystore', '{ks}', '-storetype', 'PKCS12', '-storepass', PASSWORD], { ks: exported.files['org.p12']! });
    expect(listed.stdout.match(/^\w+(?=, .*PrivateKeyEntry)/gm)).toEqual(['big_key', 'ca_signed', 'jwt_signing']);
    const imported = await runTool(process.execPath, [BIN, 'keystore', 'import', '--url', server.url, '--password', PASSWORD, '--file', '{org.p12}'],
      { 'org.p12': exported.files['org.p12']! }, []);
    // No --token: the default org's. The command names each certificate it made.
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 3 certificate\(s\) from .*org\.p12:\n {2}Big_Key: 4096-bit, self-signed, expires \d{4}-.*\n {2}Ca_Signed: 2048-bit, CA-signed, expires .*\n {2}Jwt_Signing: 2048-bit, self-signed/);
    const again = await runTool(process.execPath, [BIN, 'keystore', 'import', '--url', server.url, '--token', target.accessToken, '--password', 'wrong-password', '--file', '{org.p12}'],
      { 'org.p12': exported.files['org.p12']! });
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('localforce keystore: keystore password was incorrect\n');
  });
});
