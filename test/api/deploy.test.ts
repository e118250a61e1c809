import { X509Certificate, createPublicKey, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as forge from 'node-forge';
import type { Connection } from 'jsforce';
import {
  asArray, certMeta, certsZip, deployAndWait, packageXml, retrieveCerts, soapLogin, startTestServer, staticResourceZip, type LocalforceServer,
} from '../support/localforce';
import { orgMadeExpiry, expectOrgMade, orgSubject } from '../support/testCa';
import { SPOOL_FROM_BYTES } from '../../src/package/spooledZip';

let server: LocalforceServer;
let conn: Connection;
beforeAll(async () => {
  server = await startTestServer();
  conn = await soapLogin(server);
});
afterAll(async () => { await server.close(); });

type Message = { fullName: string; fileName: string; componentType: string; problem?: string; problemType?: string; lineNumber?: string | number; columnNumber?: string | number; changed: boolean | string; created: boolean | string; success: boolean | string };
const failures = (r: { details?: unknown }) => asArray((r.details as { componentFailures?: Message | Message[] } | undefined)?.componentFailures);
const successes = (r: { details?: unknown }) => asArray((r.details as { componentSuccesses?: Message | Message[] } | undefined)?.componentSuccesses);
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe('deploying certificates', () => {
  let files: Record<string, string>;

  beforeAll(async () => {
    const zip = await certsZip([
      { name: 'Self2048', keySize: 2048, label: 'Self-signed 2048' },
      { name: 'Self4096', keySize: 4096, label: 'Self-signed 4096' },
      { name: 'CaSigned', caSigned: true, label: 'CA signed' },
    ]);
    // jsforce exactly as users have it: default poll interval and its 10 s default timeout.
    const plain = await soapLogin(server);
    const result = await plain.metadata.deploy(zip, { singlePackage: true }).complete(true);
    expect(result.status).toBe('Succeeded');
    expect(result.success).toBe(true);
    expect(Number(result.numberComponentsTotal)).toBe(3);
    expect(Number(result.numberComponentsDeployed)).toBe(3);
    const ok = successes(result);
    expect(ok.map((m) => m.fullName).sort()).toEqual(['CaSigned', 'Self2048', 'Self4096', 'package.xml']);
    for (const m of ok) expect(m).toHaveProperty('componentType');
    expect(ok.find((m) => m.fullName === 'package.xml')).toEqual(expect.objectContaining({ componentType: '', fileName: 'package.xml', changed: true }));
    expect(ok.find((m) => m.fullName === 'Self2048')).toEqual(expect.objectContaining({ componentType: 'Certificate', fileName: 'certs/Self2048.crt', created: true, changed: true }));
    files = (await retrieveCerts(conn)).files;
  }, 180_000); // a 4096-bit key among them: generous on a busy machine

  it.each([['Self2048', 2048, 1], ['Self4096', 4096, 2]])('makes %s a real self-signed certificate of its key size', (name, bits, years) => {
    const cert = new X509Certificate(files[`unpackaged/certs/${name}.crt`]!);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
    expect(cert.subject).toBe(orgSubject(name, server.org.id));
    expect(cert.subject).toContain('\nOU=00D000000000001\n');
    expect(cert.issuer).toBe(cert.subject);
    // Valid from the second it was made until the anniversary of that date (1 or 2 years on), at midnight or noon UTC.
    const lifetime = Date.parse(cert.validTo) - Date.parse(cert.validFrom);
    expect(Math.round(lifetime / YEAR_MS)).toBe(years);
    expect(new Date(cert.validTo).toISOString()).toBe(orgMadeExpiry(cert.validFrom, years));
    expect(new Date(cert.validTo).toISOString()).toMatch(/T(00|12):00:00\.000Z$/);
    expectOrgMade(files[`unpackaged/certs/${name}.crt`]!);
    const forged = forge.pki.certificateFromPem(files[`unpackaged/certs/${name}.crt`]!);
    expect(forged.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    const meta = files[`unpackaged/certs/${name}.crt-meta.xml`]!;
    expect(meta).toContain(`<expirationDate>${new Date(cert.validTo).toISOString()}</expirationDate>`);
    expect(meta).toContain(`<keySize>${bits}</keySize>`);
  });

  it('makes a CA-signed certificate a key and a CSR that verifies', () => {
    const pem = files['unpackaged/certs/CaSigned.crt']!;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const csr = forge.pki.certificationRequestFromPem(pem);
    expect(csr.verify()).toBe(true);
    expect(csr.subject.getField('CN').value).toBe('CaSigned');
    expect(csr.subject.attributes.map((x) => `${x.shortName}=${String(x.value)}`)).toEqual(
      ['CN=CaSigned', `OU=${server.org.id.slice(0, 15)}`, 'O=Salesforce.com', 'L=San Francisco', 'ST=CA', 'C=USA'],
    );
    // Until its chain arrives, it expires as a self-signed 2048-bit one would: on the next anniversary, at midnight or noon UTC.
    const expires = files['unpackaged/certs/CaSigned.crt-meta.xml']!.match(/<expirationDate>([^<]+)</)![1]!;
    // (Made in the same deploy as Self2048, so on the same org date.)
    expect(expires).toBe(orgMadeExpiry(new X509Certificate(files['unpackaged/certs/Self2048.crt']!).validFrom, 1));
    const key = createPublicKey(forge.pki.publicKeyToPem(csr.publicKey!));
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('writes meta files in WSDL order that redeploy as a no-op', async () => {
    expect(files['unpackaged/certs/Self2048.crt-meta.xml']).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Certificate xmlns="http:\/\/soap.sforce.com\/2006\/04\/metadata">\n    <caSigned>false<\/caSigned>\n    <encryptedWithPlatformEncryption>false<\/encryptedWithPlatformEncryption>\n    <expirationDate>\d{4}-\d\d-\d\dT(00|12):00:00\.000Z<\/expirationDate>\n    <keySize>2048<\/keySize>\n    <masterLabel>Self-signed 2048<\/masterLabel>\n    <privateKeyExportable>true<\/privateKeyExportable>\n<\/Certificate>\n$/,
    );
    const redeploy = await deployAndWait(conn, await certsZip(['Self2048', 'Self4096', 'CaSigned'].map((name) => ({
      name, content: files[`unpackaged/certs/${name}.crt`], meta: files[`unpackaged/certs/${name}.crt-meta.xml`],
    }))));
    expect(redeploy.status).toBe('Succeeded');
    for (const m of successes(redeploy).filter((x) => x.fullName !== 'package.xml')) {
      expect(m).toEqual(expect.objectContaining({ changed: false, created: false }));
    }
    const again = (await retrieveCerts(conn)).files;
    for (const name of ['Self2048', 'Self4096', 'CaSigned']) {
      expect(again[`unpackaged/certs/${name}.crt`]).toBe(files[`unpackaged/certs/${name}.crt`]);
      expect(again[`unpackaged/certs/${name}.crt-meta.xml`]).toBe(files[`unpackaged/certs/${name}.crt-meta.xml`]);
    }
  });

  it('lists and reads the certificates, without any private key', async () => {
    const list = asArray(await conn.metadata.list([{ type: 'Certificate' }]));
    expect(list.map((p) => p.fullName).sort()).toEqual(['CaSigned', 'Self2048', 'Self4096']);
    expect(list[0]).toEqual(expect.objectContaining({ type: 'Certificate', manageableState: 'unmanaged', fileName: expect.stringMatching(/^certs\/\w+\.crt$/) }));
    const read = asArray(await conn.metadata.read('Certificate', ['Self2048', 'Missing']));
    expect(read).toHaveLength(1);
    const record = read[0] as unknown as Record<string, string>;
    expect(Buffer.from(record.content!, 'base64').toString()).toBe(files['unpackaged/certs/Self2048.crt']);
    expect(record).toEqual(expect.objectContaining({ fullName: 'Self2048', masterLabel: 'Self-signed 2048', caSigned: false, keySize: 2048 }));
    expect(JSON.stringify({ list, read, files })).not.toMatch(/PRIVATE KEY/);
  });

  it('changes the label of an existing certificate without touching its content', async () => {
    const result = await deployAndWait(conn, await certsZip([{ name: 'Self2048', keySize: 2048, label: '  Renamed label  ' }]));
    expect(result.status).toBe('Succeeded');
    expect(successes(result).find((m) => m.fullName === 'Self2048')).toEqual(expect.objectContaining({ changed: true, created: false }));
    const after = (await retrieveCerts(conn, ['Self2048'])).files;
    expect(after['unpackaged/certs/Self2048.crt']).toBe(files['unpackaged/certs/Self2048.crt']);
    expect(after['unpackaged/certs/Self2048.crt-meta.xml']).toContain('<masterLabel>Renamed label</masterLabel>');
  });
});

describe('package problems', () => {
  const APEX_META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
  const expectFailure = async (zip: Buffer, expected: Partial<Message>, options: Record<string, unknown> = {}) => {
    const result = await deployAndWait(conn, zip, options);
    expect(result.status).toBe('Failed');
    expect(result.success).toBe(false);
    expect(failures(result)).toEqual(expect.arrayContaining([expect.objectContaining({ ...expected, problemType: 'Error', success: false })]));
    return result;
  };

  it('needs a package.xml', async () => {
    await expectFailure(await certsZip([{ name: 'NoManifest' }], { manifest: null }),
      { fileName: 'package.xml', fullName: 'package.xml', componentType: '', problem: 'No package.xml found' });
  });

  it('reports a member listed but missing', async () => {
    await expectFailure(await certsZip([], { manifest: packageXml(['Ghost']) }), {
      fileName: 'package.xml', fullName: 'Ghost', componentType: 'Certificate',
      problem: "An object 'Ghost' of type Certificate was named in package.xml, but was not found in zipped directory",
    });
  });

  it('skips a missing member with allowMissingFiles', async () => {
    const result = await deployAndWait(conn, await certsZip([{ name: 'Present' }], { manifest: packageXml(['Present', 'Ghost']) }), { allowMissingFiles: true });
    expect(result.status).toBe('Succeeded');
  });

  it('refuses a component the manifest does not list, whether it names the type or not', async () => {
    await expectFailure(await certsZip([{ name: 'Listed' }, { name: 'Unlisted' }], { manifest: packageXml(['Listed']) }),
      { fileName: 'certs/Unlisted.crt', fullName: 'Unlisted', componentType: 'Certificate', problem: 'Not in package.xml' });
    expect(asArray(await conn.metadata.read('Certificate', ['Unlisted']))).toHaveLength(0);
    await expectFailure(await certsZip([{ name: 'Listed2' }], {
      manifest: packageXml(['Listed2']), extra: { 'classes/Stray.cls': 'public class Stray {}', 'classes/Stray.cls-meta.xml': APEX_META },
    }), { fileName: 'classes/Stray.cls', fullName: 'Stray', componentType: 'ApexClass', problem: 'Not in package.xml' });
  });

  it('passes over files outside every type\'s folder, as a metadata folder zipped whole holds them, and refuses one in a type\'s folder', async () => {
    const result = await deployAndWait(conn, await certsZip([{ name: 'BesideStrays' }], {
      extra: { '.DS_Store': '\x00\x00\x00\x01Bud1', 'README.md': '# notes', '.git/HEAD': 'ref: refs/heads/main\n' },
    }));
    expect(result.status).toBe('Succeeded');
    expect(failures(result)).toEqual([]);
    await expectFailure(await certsZip([{ name: 'BesideStray' }], { extra: { 'certs/.DS_Store': '\x00\x00\x00\x01Bud1' } }),
      { fileName: 'certs/.DS_Store', fullName: 'certs/.DS_Store', componentType: '', problem: 'Not in package.xml' });
  });

  it('takes an unlisted parent file with nothing in it as nothing to deploy, as the sf CLI sends one', async () => {
    const empty = '<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"/>\n';
    const result = await deployAndWait(conn, await certsZip([{ name: 'WithEmptyParent' }], {
      manifest: packageXml(['WithEmptyParent']), extra: { 'objects/Site.object': empty },
    }));
    expect(result.status).toBe('Succeeded');
    expect(asArray(await conn.metadata.read('CustomObject', ['Site']))).toHaveLength(0);
    const notEmpty = empty.replace('/>', '><label>Site</label></CustomObject>');
    await expectFailure(await certsZip([{ name: 'WithParent' }], { manifest: packageXml(['WithParent']), extra: { 'objects/Site.object': notEmpty } }),
      { fileName: 'objects/Site.object', fullName: 'Site', componentType: 'CustomObject', problem: 'Not in package.xml' });
  });

  it('reports an unknown type and a bad version', async () => {
    await expectFailure(await certsZip([], { manifest: packageXml(['X'], '66.0', 'Frobnicator') }),
      { fileName: 'package.xml', problem: "Unknown type name 'Frobnicator' specified in package.xml" });
    await expectFailure(await certsZip([{ name: 'Old' }], { manifest: packageXml(['Old'], '69.0') }),
      { fileName: 'package.xml', problem: 'Invalid version specified:69.0', lineNumber: 1, columnNumber: 1 });
    await expectFailure(await certsZip([{ name: 'Old' }], { manifest: packageXml(['Old'], '35.0') }),
      { problem: "Unknown type name 'Certificate' specified in package.xml" });
  });


  it.each([
    ['malformed XML', '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <caSigned>false</caSigned>\n    <masterLabel>x</masterLabel>\n</Certificat>\n', 5, /^Error parsing file: /],
    ['an element out of WSDL order', '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <masterLabel>x</masterLabel>\n    <caSigned>false</caSigned>\n</Certificate>\n', 4, /^Error parsing file: Element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}caSigned invalid at this location in type Certificate$/],
    ['an unknown element', certMeta({ extra: '    <colour>red</colour>\n' }), 5, /^Error parsing file: Element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}colour invalid at this location in type Certificate$/],
    ['a bad boolean', certMeta({}).replace('<caSigned>false</caSigned>', '<caSigned>nope</caSigned>'), 3, /'nope' is not a valid value for the type xsd:boolean/],
    ['a bad key size', certMeta({ keySize: 1024 }), 4, /keySize 1024 is not supported\. Use 2048 or 4096\./],
    ['an empty label', certMeta({ label: '   ' }), 4, /Required field is missing: masterLabel/],
    ['content before the prolog', `junk${certMeta({})}`, 1, /^Error parsing file: Content is not allowed in prolog\.$/],
  ])('refuses a meta file with %s, giving file, line and column', async (_label, meta, line, problem) => {
    const result = await expectFailure(await certsZip([{ name: 'BadMeta', meta }]), { fileName: 'certs/BadMeta.crt-meta.xml', fullName: 'BadMeta', componentType: 'Certificate' });
    const failure = failures(result).find((m) => m.fullName === 'BadMeta')!;
    expect(failure.problem).toMatch(problem);
    expect(Number(failure.lineNumber)).toBe(line);
    expect(Number(failure.columnNumber)).toBeGreaterThan(0);
    expect(asArray(await conn.metadata.read('Certificate', ['BadMeta']))).toHaveLength(0);
  });

  it('commits nothing when one component fails and rollbackOnError is on', async () => {
    await expectFailure(await certsZip([{ name: 'GoodOne' }, { name: 'BadOne', keySize: 1000 }]), { fullName: 'BadOne' });
    expect(asArray(await conn.metadata.read('Certificate', ['GoodOne']))).toHaveLength(0);
  });

  it('refuses an invalid component name', async () => {
    await expectFailure(await certsZip([{ name: 'Bad__Name' }]), { fullName: 'Bad__Name', problem: expect.stringMatching(/not valid/) as unknown as string });
  });
});

describe('zip problems', () => {
  const deployFails = async (zip: Buffer, message: RegExp) => {
    const result = await deployAndWait(conn, zip);
    expect(result.status).toBe('Failed');
    expect(result.errorStatusCode).toBe('INVALID_OPERATION');
    expect(result.errorMessage).toMatch(message);
  };

  it('fails a zip that is not a zip', async () => {
    await deployFails(Buffer.from('this is not a zip file at all'), /^INVALID_OPERATION: The zip file could not be read/);
  });

  it('fails an empty zip', async () => {
    const JSZip = (await import('jszip')).default;
    await deployFails(await new JSZip().generateAsync({ type: 'nodebuffer' }), /^INVALID_OPERATION: No zip file content passed in$/);
  });

  it('fails a zip of more than 10,000 files', async () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 10_001; i++) extra[`certs/F${i}.txt`] = '';
    await deployFails(await certsZip([], { extra }), /holds more than 10000 files; the limit is 10000/);
  });

  it('faults a deploy without zip content', async () => {
    await expect(conn.metadata.deploy(Buffer.alloc(0), {})).rejects.toMatchObject({ name: 'sf:INVALID_OPERATION' });
  });
});

describe('a zip larger than the spooling size (written to a temporary file as it arrives)', () => {
  const spoolFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith('localforce-deploy-'));

  it('is validated, deployed from its validation, and retrieved byte for byte, leaving no file behind', async () => {
    const JSZip = (await import('jszip')).default;
    // A 12 MB zip, past the 8 MB from which a ZipFile goes to a file.
    const resource = randomBytes(12 * 1024 * 1024);
    const zip = await staticResourceZip('Spooled', resource);
    expect(zip.length).toBeGreaterThan(SPOOL_FROM_BYTES);
    const before = spoolFiles();

    const validation = await deployAndWait(conn, zip, { checkOnly: true });
    expect(validation.status).toBe('Succeeded');
    const id = await conn.metadata.deployRecentValidation({ id: validation.id });
    let status = await conn.metadata.checkDeployStatus(id, true);
    while (!status.done) status = await conn.metadata.checkDeployStatus(id, true);
    expect(status.status).toBe('Succeeded');

    const retrieved = await conn.metadata.retrieve({
      apiVersion: '66.0', singlePackage: true, unpackaged: { types: [{ name: 'StaticResource', members: ['Spooled'] }], version: '66.0' },
    } as never).complete();
    const files = await JSZip.loadAsync(Buffer.from(retrieved.zipFile as string, 'base64'));
    expect((await files.file('staticresources/Spooled.resource')!.async('nodebuffer')).equals(resource)).toBe(true);
    expect(spoolFiles()).toEqual(before);
  }, 120_000);
});

describe('packages in folders (singlePackage false)', () => {
  it('reads each top-level folder as a package and names files with its prefix', async () => {
    const zip = await certsZip([{ name: 'InFolder' }], { prefix: 'unpackaged/' });
    const result = await deployAndWait(conn, zip, { singlePackage: false });
    expect(result.status).toBe('Succeeded');
    expect(successes(result).map((m) => m.fileName).sort()).toEqual(['unpackaged/certs/InFolder.crt', 'unpackaged/package.xml']);
  });

  it('reports a missing manifest under the folder', async () => {
    const zip = await certsZip([{ name: 'NoManifestInFolder' }], { prefix: 'zip/', manifest: null });
    const result = await deployAndWait(conn, zip, { singlePackage: false });
    expect(failures(result)).toEqual([expect.objectContaining({ fileName: 'zip/package.xml', problem: 'No package.xml found' })]);
  });
});

describe('deploy progress and cancel', () => {
  it('moves from Pending through InProgress to Succeeded, counting components', async () => {
    const zip = await certsZip(Array.from({ length: 12 }, (_, i) => ({ name: `Progress${i}` })));
    const { id } = await conn.metadata.deploy(zip, { singlePackage: true });
    const seen: { status: string; deployed: number; total: number }[] = [];
    for (;;) {
      const r = await conn.metadata.checkDeployStatus(id, true);
      seen.push({ status: r.status, deployed: Number(r.numberComponentsDeployed), total: Number(r.numberComponentsTotal) });
      if (r.done) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen[seen.length - 1]).toEqual({ status: 'Succeeded', deployed: 12, total: 12 });
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses.every((s) => ['Pending', 'InProgress', 'Succeeded'].includes(s))).toBe(true);
    const deployedCounts = seen.map((s) => s.deployed);
    expect(deployedCounts).toEqual([...deployedCounts].sort((a, b) => a - b));
  });

  it('cancels a running deploy and commits nothing', async () => {
    const zip = await certsZip(Array.from({ length: 6 }, (_, i) => ({ name: `Cancel${i}`, keySize: 4096 })));
    const { id } = await conn.metadata.deploy(zip, { singlePackage: true });
    const cancel = await conn.metadata.cancelDeploy(id);
    expect(cancel.id).toBe(id);
    let r;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      r = await conn.metadata.checkDeployStatus(id, true);
    } while (!r.done);
    expect(r.status).toBe('Canceled');
    expect(r.canceledBy).toBe(server.org.userId.slice(0, 15));
    expect(asArray(await conn.metadata.read('Certificate', ['Cancel0', 'Cancel5']))).toHaveLength(0);
    await expect(conn.metadata.cancelDeploy(id)).rejects.toMatchObject({ name: 'sf:INVALID_ID_FIELD' });
  });
});

describe('one name in two packages', () => {
  it('deploys it once and refuses the second', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    for (const dir of ['first', 'second']) {
      zip.file(`${dir}/package.xml`, packageXml(['Twin']));
      zip.file(`${dir}/certs/Twin.crt`, '');
      zip.file(`${dir}/certs/Twin.crt-meta.xml`, certMeta({ label: dir }));
    }
    const result = await deployAndWait(conn, await zip.generateAsync({ type: 'nodebuffer' }), { singlePackage: false });
    expect(result.status).toBe('Failed');
    expect(failures(result)).toEqual([expect.objectContaining({ fileName: 'second/certs/Twin.crt', fullName: 'Twin' })]);
  });
});
