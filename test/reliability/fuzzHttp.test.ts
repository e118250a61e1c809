/**
 * Property-based fuzzing (fast-check) of every HTTP surface of a real server process: the Metadata
 * SOAP endpoint (messages typed from the WSDL, and broken ones), the partner login, OAuth, the REST
 * API, the REST deploy's multipart bodies and the admin API. Whatever comes in: no crash, no hang, no
 * 5xx but a SOAP fault, no internal error, and health answers right after every input.
 */
import fc from 'fast-check';
import { metadataSchema } from '../../src/soap/wsdlSchema';
import { OPERATIONS } from '../../src/operations';
import { envelope, escapeXml, expectSound, send, SOAP_HEADERS } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type LoopDelay, type ServerProcess } from './support/serverProcess';

let server: ServerProcess;
const delays: Record<string, LoopDelay> = {};
const runs: Record<string, number> = {};
beforeAll(async () => { server = await startServerProcess({ inMemory: true, keyPoolSize: 0 }); });
afterAll(async () => {
  recordFigures('fuzz-http', { runs, eventLoopDelayMs: delays });
  await server.stop();
});
afterEach(async () => { delays[expect.getState().currentTestName!.replace(/^fuzzing /, '')] = await server.loopDelay(); });

const NUM_RUNS = Number(process.env.LOCALFORCE_FUZZ_RUNS ?? 150);
const property = async <T>(name: string, arbitrary: fc.Arbitrary<T>, run: (input: T) => Promise<void>) => {
  runs[name] = NUM_RUNS;
  await fc.assert(fc.asyncProperty(arbitrary, run), { numRuns: NUM_RUNS, endOnFailure: true });
};

const schema = metadataSchema();
const token = () => server.org.accessToken;

/** Text as a hostile client writes it: anything, including control characters, entities and markup. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.fullUnicodeString({ maxLength: 20 }),
  fc.constantFrom('', ' ', 'true', '1', '-1', '2147483648', '1e400', 'NaN', '&amp;', '&#0;', '&#x1F;', '&bogus;', '<!-- c -->', '<![CDATA[<x>]]>',
    'Certificate', '*', '00D000000000001AAA', '0Af000000000001AAA', '../../etc/passwd', '\u0000', '\uFFFF', 'a'.repeat(5000)),
);

/** A value for a WSDL field: typed text most of the time, nested elements, nil, or junk. */
function fieldXml(depth: number): fc.Arbitrary<string> {
  return fc.constantFrom(...schema.operations.filter((o) => OPERATIONS[o])).chain((op) => {
    const fields = schema.elementFields(op) ?? [];
    const child = fields.length
      ? fc.tuple(fc.constantFrom(...fields.map((f) => f.name), 'unknownElement'), fc.oneof(
        nastyText.map(escapeXml),
        nastyText,
        fc.constant(''),
        depth > 0 ? fc.constant('<type>Certificate</type><folder>x</folder>') : fc.constant('x'),
      ), fc.boolean()).map(([name, value, nil]) => (nil ? `<${name} xsi:nil="true"/>` : `<${name}>${value}</${name}>`))
      : fc.constant('');
    return fc.array(child, { maxLength: 6 }).map((children) => `<${op}>${children.join('')}</${op}>`);
  });
}

/** Whole SOAP messages: typed operations, shapes that once hurt (nesting, attributes), and raw junk. */
const soapMessage = fc.oneof(
  { weight: 6, arbitrary: fieldXml(1).map((op) => envelope(op, token())) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((d) => envelope(`<listMetadata>${'<queries>'.repeat(d)}</listMetadata>`, token())) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 500 }).map((n) => envelope('<describeMetadata/>', token()).replace('<soapenv:Body', `<soapenv:Body ${Array.from({ length: n }, (_, i) => `a${i}="v"`).join(' ')}`)) },
  { weight: 1, arbitrary: fc.tuple(fieldXml(0), fc.nat(4000)).map(([op, cut]) => envelope(op, token()).slice(0, cut)) },
  { weight: 1, arbitrary: fc.tuple(fieldXml(0), fc.constantFrom('', 'nope', `${'00D000000000001AAA'}!x`, '<x/>')).map(([op, s]) => envelope(op, s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

describe('fuzzing', () => {
  it('the Metadata SOAP endpoint', async () => {
    await property('Metadata SOAP', fc.tuple(soapMessage, fc.constantFrom('66.0', '68.0', '31.0', 'v62.0', 'x')), async ([body, version]) => {
      await expectSound(server, await send(server, 'POST', `/services/Soap/m/${version}`, SOAP_HEADERS, body), body);
    });
  });

  it('the partner SOAP login', async () => {
    const login = fc.tuple(nastyText, nastyText, fc.boolean()).map(([u, p, escape]) =>
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><login xmlns="urn:partner.soap.sforce.com"><username>${escape ? escapeXml(u) : u}</username><password>${escape ? escapeXml(p) : p}</password></login></soapenv:Body></soapenv:Envelope>`);
    await property('partner SOAP', fc.oneof(login, fc.string({ maxLength: 200 }), fc.constant(`<x>${'y'.repeat(70_000)}</x>`)), async (body) => {
      await expectSound(server, await send(server, 'POST', '/services/Soap/u/66.0', SOAP_HEADERS, body), body);
    });
  });

  it('the OAuth token endpoint', async () => {
    const keys = fc.constantFrom('grant_type', 'username', 'password', 'client_id', 'client_secret', 'format', 'x', '__proto__', 'constructor');
    const form = fc.array(fc.tuple(keys, fc.oneof(fc.constant('password'), fc.constant('admin@localforce.dev'), nastyText)), { maxLength: 8 })
      .map((pairs) => ({ type: 'application/x-www-form-urlencoded', body: pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') }));
    const json = fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 })).map((o) => ({ type: 'application/json', body: JSON.stringify(o) }));
    const junk = fc.tuple(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'), fc.string({ maxLength: 200 }))
      .map(([type, body]) => ({ type, body }));
    await property('OAuth', fc.oneof(form, json, junk), async ({ type, body }) => {
      await expectSound(server, await send(server, 'POST', '/services/oauth2/token', { 'content-type': type }, body), body);
    });
  });

  it('the REST API', async () => {
    const segment = fc.oneof(fc.constantFrom('sobjects', 'User', 'Organization', 'query', 'tooling', 'metadata', 'deployRequest', 'describe', '0Af000000000001AAA', '005000000000001AAA', '..', '%00', '%2e%2e'), fc.webSegment());
    const path = fc.tuple(fc.constantFrom('/services/data', '/services/data/v66.0', '/services/data/v68.0', '/services/data/v1.0', '/services/oauth2/userinfo', '/id/00D000000000001AAA', '/services/apexrest'),
      fc.array(segment, { maxLength: 4 }), fc.option(fc.webQueryParameters(), { nil: undefined }))
      .map(([base, rest, query]) => `${base}${rest.map((s) => `/${s}`).join('')}${query === undefined ? '' : `?${query}`}`);
    const auth = fc.constantFrom<Record<string, string>>({}, { Authorization: `Bearer ${'00D000000000001AAA!localforce'}` }, { Authorization: 'Bearer x' }, { Authorization: 'OAuth 00D000000000001AAA!localforce' });
    await property('REST', fc.tuple(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'), path, auth, fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })),
      async ([method, p, headers, body]) => {
        const withBody: Record<string, string> = body === undefined || method === 'GET' || method === 'HEAD' ? {} : { 'content-type': 'application/json' };
        await expectSound(server, await send(server, method, p, { ...headers, ...withBody }, body === undefined || method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(body)), `${method} ${p}`);
      });
  });

  it('REST deploy requests (multipart bodies, whole or cut short)', async () => {
    const part = fc.tuple(fc.constantFrom('file', 'entity_content', 'json', 'other'), fc.boolean(), fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ deployOptions: v })), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))))
      .map(([name, isFile, content]) => `Content-Disposition: form-data; name="${name}"${isFile ? '; filename="deploy.zip"' : ''}\r\nContent-Type: ${isFile ? 'application/zip' : 'application/json'}\r\n\r\n${content}\r\n`);
    const body = fc.tuple(fc.array(part, { maxLength: 4 }), fc.boolean(), fc.option(fc.nat(2000), { nil: undefined }))
      .map(([parts, closed, cut]) => {
        const whole = parts.map((p) => `--XyZ\r\n${p}`).join('') + (closed ? '--XyZ--\r\n' : '');
        return cut === undefined ? whole : whole.slice(0, cut);
      });
    await property('REST deploy multipart', fc.tuple(body, fc.constantFrom('multipart/form-data; boundary=XyZ', 'multipart/form-data', 'multipart/form-data; boundary=other', 'application/json')),
      async ([b, type]) => {
        const answer = await send(server, 'POST', '/services/data/v66.0/metadata/deployRequest', { 'content-type': type, Authorization: `Bearer ${token()}` }, Buffer.from(b, 'latin1'));
        await expectSound(server, answer, b);
      });
  });

  it('the admin API', async () => {
    const path = fc.constantFrom('/_localforce/orgs', `/_localforce/orgs/${'00D000000000001AAA'}/clock`, `/_localforce/orgs/${'00D000000000001AAA'}/apex-test-outcomes`,
      '/_localforce/orgs/00Dnope/clock', '/_localforce/health', '/_localforce/nothing');
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ time: nastyText, offsetMs: fc.oneof(fc.double(), fc.integer(), fc.string()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ name: nastyText, username: nastyText, password: nastyText }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ default: fc.constantFrom('pass', 'fail', 'maybe'), classes: fc.dictionary(fc.string({ maxLength: 10 }), fc.constantFrom('pass', 'fail', 3)) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }));
    const auth = fc.constantFrom('admin', 'org', 'none');
    await property('admin API', fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), path, body, auth), async ([method, p, b, who]) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (who === 'admin') headers.Authorization = `Bearer ${server.adminToken}`;
      if (who === 'org') headers.Authorization = `Bearer ${token()}`;
      await expectSound(server, await send(server, method, p, headers, method === 'GET' ? undefined : b), `${method} ${p} ${b}`);
    });
    // Whatever was tried, the default org's clock still gives dates a deploy can write.
    const clock = await send(server, 'GET', `/_localforce/orgs/${'00D000000000001AAA'}/clock`, { Authorization: `Bearer ${server.adminToken}` });
    expect(Number.isNaN(Date.parse(JSON.parse(clock.text).now))).toBe(false);
  });
});
