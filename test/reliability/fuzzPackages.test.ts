/**
 * Property-based fuzzing (fast-check) of deploy packages: manifests, meta files and contents built
 * from what real packages hold and from what hostile ones did (PEM bombs, deep or wide XML, control
 * characters, private keys, odd paths), deployed over SOAP to a real server process and polled to
 * the end. Every deploy must end (no hang) as Succeeded, SucceededPartial or Failed with messages in
 * the client's terms, never an internal error, and the server must answer health after each.
 */
import fc from 'fast-check';
import JSZip from 'jszip';
import { generateKeyPairSync } from 'node:crypto';
import { certsZip } from '../support/localforce';
import { envelope, escapeXml, expectSound, send, SOAP_HEADERS } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type ServerProcess } from './support/serverProcess';

let server: ServerProcess;
const statuses: Record<string, number> = {};
let validCert = '';
/** The inputs that held the event loop longest, with how long (ms). */
const slowest: { ms: number; input: string }[] = [];
beforeAll(async () => {
  server = await startServerProcess({ inMemory: true, keyPoolSize: 0 });
  // A real certificate to put in packages: made by a self-signed deploy and read back.
  const zip = await certsZip([{ name: 'Seed_Cert' }]);
  const id = await deploy(zip.toString('base64'), true);
  await waitDone(id);
  const read = await send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
    envelope('<readMetadata><type>Certificate</type><fullNames>Seed_Cert</fullNames></readMetadata>', server.org.accessToken));
  validCert = Buffer.from(/<content>([^<]+)<\/content>/.exec(read.text)![1]!, 'base64').toString('utf8');
  await server.loopDelay(); // from here on, the delay of each deploy alone
});
afterAll(async () => {
  slowest.sort((a, b) => b.ms - a.ms);
  recordFigures('fuzz-packages', { runs: NUM_RUNS, statuses, maxEventLoopDelayMs: slowest[0]?.ms, slowestInputs: slowest.slice(0, 3) });
  await server.stop();
});

const NUM_RUNS = Number(process.env.LOCALFORCE_FUZZ_PACKAGE_RUNS ?? 60);
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

async function deploy(zipBase64: string, singlePackage: boolean, checkOnly = false): Promise<string> {
  const answer = await send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS, envelope(
    `<deploy><ZipFile>${zipBase64}</ZipFile><DeployOptions><checkOnly>${checkOnly}</checkOnly><singlePackage>${singlePackage}</singlePackage><rollbackOnError>true</rollbackOnError></DeployOptions></deploy>`,
    server.org.accessToken));
  const id = /<id>([^<]+)<\/id>/.exec(answer.text)?.[1];
  if (!id) throw new Error(`deploy answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return id;
}

/** Polls a deploy to its end; a deploy that never ends is a hang. */
async function waitDone(id: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const answer = await send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      envelope(`<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`, server.org.accessToken));
    if (/<done>true<\/done>/.test(answer.text)) return answer.text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`deploy ${id} did not end within 30 s`);
}

const name = fc.oneof(fc.constantFrom('My_Cert', 'A', 'x__y', '_lead', 'trail_', '1digit', 'Über', 'a'.repeat(90)), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/));
const nasty = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('\u0000', '&#1;', '&bogus;', '<![CDATA[x]]>', ']]>', 'a'.repeat(300)));
const bool = fc.constantFrom('true', 'false', '1', '0', 'maybe', '');
const keySize = fc.constantFrom('2048', '4096', '3072', '1024', '-1', 'x', '99999999999');

const certMeta = fc.record({ caSigned: bool, keySize: fc.option(keySize, { nil: undefined }), label: nasty, escape: fc.boolean(), extra: fc.constantFrom('', '<unknown>1</unknown>', '<privateKeyExportable>true</privateKeyExportable>') })
  .map(({ caSigned, keySize: size, label, escape, extra }) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <caSigned>${caSigned}</caSigned>\n` +
    `${size ? `    <keySize>${size}</keySize>\n` : ''}    <masterLabel>${escape ? escapeXml(label) : label}</masterLabel>\n${extra}</Certificate>\n`);

/** What a .crt may hold: nothing, a real certificate or chain, a key, PEM armour gone wrong, or bytes. */
const crtContent = fc.oneof(
  fc.constant(''),
  fc.constant('VALID'),
  fc.constant('CHAIN'),
  fc.constant(PRIVATE_KEY),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '-----BEGIN CERTIFICATE-----\n'.repeat(n)),
  fc.integer({ min: 1, max: 100 }).map((n) => 'VALID'.repeat(n)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
);

const xmlShapes = fc.oneof(
  fc.integer({ min: 1, max: 400 }).map((d) => `<?xml version="1.0"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">${'<a>'.repeat(d)}${'</a>'.repeat(d)}</ApexClass>`),
  fc.integer({ min: 1, max: 300 }).map((n) => `<?xml version="1.0"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata" ${Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ')}><apiVersion>66.0</apiVersion><status>Active</status></ApexClass>`),
  fc.constant('<?xml version="1.0"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>66.0</apiVersion><status>Active</status></ApexClass>'),
  fc.constant('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">&e;</ApexClass>'),
  nasty,
);

const entry = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(name, certMeta, crtContent).map(([n, meta, crt]) => [[`certs/${n}.crt`, crt], [`certs/${n}.crt-meta.xml`, meta]] as [string, string][]) },
  { weight: 2, arbitrary: fc.tuple(name, xmlShapes, nasty).map(([n, meta, body]) => [[`classes/${n}.cls`, `public class ${n} { ${body} }`], [`classes/${n}.cls-meta.xml`, meta]] as [string, string][]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('certs/', 'classes/', 'objects/', 'labels/', 'staticresources/', 'nowhere/', '', '../', '/abs/', 'certs\\'), name, fc.constantFrom('', '.crt', '.cls', '.object', '.labels', '-meta.xml', '.resource'), nasty)
    .map(([dir, n, suffix, body]) => [[`${dir}${n}${suffix}`, body]] as [string, string][]) },
);

const manifest = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(fc.tuple(fc.constantFrom('Certificate', 'ApexClass', 'CustomObject', 'CustomLabels', 'Nope', ''), fc.array(fc.oneof(name, fc.constant('*')), { maxLength: 4 })), { maxLength: 3 }), fc.constantFrom('66.0', '68.0', '12.0', '99.0', 'x', ''))
    .map(([types, version]) => `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types.map(([t, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${t}</name>\n    </types>\n`).join('')}    <version>${version}</version>\n</Package>\n`) },
  { weight: 1, arbitrary: xmlShapes.map((x) => x.replace(/ApexClass/g, 'Package')) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Packages that should deploy: matching manifest, valid meta files, empty or real certificates. */
const validName = fc.stringMatching(/^[A-Z][a-z0-9]{0,8}(_[a-z0-9]{1,5})?$/);
const coherent = fc.record({
  certs: fc.uniqueArray(fc.tuple(validName, fc.constantFrom('', 'VALID')), { minLength: 1, maxLength: 3, selector: ([n]) => n.toLowerCase() }),
  prefix: fc.constantFrom('', 'pkg/'), checkOnly: fc.boolean(),
}).map(({ certs, prefix, checkOnly }) => ({
  manifest: `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n${certs.map(([n]) => `        <members>${n}</members>\n`).join('')}        <name>Certificate</name>\n    </types>\n    <version>66.0</version>\n</Package>\n`,
  entries: certs.map(([n, crt]) => [[`certs/${n}.crt`, crt], [`certs/${n}.crt-meta.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n    <caSigned>false</caSigned>\n    <keySize>2048</keySize>\n    <masterLabel>${n}</masterLabel>\n</Certificate>\n`]] as [string, string][]),
  prefix, singlePackage: prefix === '', checkOnly, destructive: undefined as string | undefined,
}));

const randomPackage = fc.record({
  manifest, entries: fc.array(entry, { maxLength: 5 }), prefix: fc.constantFrom('', 'pkg/'), singlePackage: fc.boolean(), checkOnly: fc.boolean(),
  destructive: fc.option(fc.constantFrom('<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Seed_Cert</members><name>Certificate</name></types><version>66.0</version></Package>', '<junk'), { nil: undefined }),
});

const packageArbitrary = fc.oneof({ weight: 3, arbitrary: randomPackage }, { weight: 1, arbitrary: coherent });

describe('fuzzing deploy packages', () => {
  it('ends every deploy in the client\'s terms and keeps the server up', async () => {
    await fc.assert(fc.asyncProperty(packageArbitrary, async (p) => {
      const zip = new JSZip();
      if (p.manifest !== undefined) zip.file(`${p.prefix}package.xml`, p.manifest);
      if (p.destructive !== undefined) zip.file(`${p.prefix}destructiveChangesPost.xml`, p.destructive);
      for (const [path, content] of p.entries.flat()) {
        const text = content === 'VALID' ? validCert : content === 'CHAIN' ? validCert + validCert : content.replace(/VALID/g, validCert);
        zip.file(`${p.prefix}${path}`, Buffer.from(text, 'latin1'), { createFolders: false });
      }
      const base64 = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
      const id = await deploy(base64, p.singlePackage, p.checkOnly);
      const result = await waitDone(id);
      const status = /<status>([^<]+)<\/status>/.exec(result)?.[1] ?? '?';
      statuses[status] = (statuses[status] ?? 0) + 1;
      expect(['Succeeded', 'SucceededPartial', 'Failed']).toContain(status);
      await expectSound(server, { status: 200, text: result, path: '/services/Soap/m/66.0' }, JSON.stringify(p).slice(0, 400));
      const described = p.entries.flat().map(([path, content]) => `${path} (${content.length} chars${/^-----BEGIN CERTIFICATE-----\n-----BEGIN/.test(content) ? ', BEGIN lines' : ''})`);
      slowest.push({ ms: (await server.loopDelay()).max, input: `${p.manifest?.length ?? 0}-char manifest; ${described.join(', ')}` });
    }), { numRuns: NUM_RUNS, endOnFailure: true });
  }, 600_000);
});
