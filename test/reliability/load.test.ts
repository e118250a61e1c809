/**
 * A short load test: 16 clients on 4 orgs, each with its own session, for a bounded time against a
 * real server process, mixing reads (list, describe, read, SOQL) with deploys polled to their end.
 * No request may fail, every client must make progress, and the figures (throughput, latency, event
 * loop delay) are recorded for docs/reliability.md.
 */
import JSZip from 'jszip';
import { envelope, send, SOAP_HEADERS } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type ServerProcess } from './support/serverProcess';

const CLIENTS = 16;
const ORGS = 4;
const DURATION_MS = Number(process.env.LOCALFORCE_LOAD_SECONDS ?? 10) * 1000;

let server: ServerProcess;
beforeAll(async () => { server = await startServerProcess({ inMemory: true, keyPoolSize: 0 }); });
afterAll(async () => { await server.stop(); });

async function classZip(name: string): Promise<string> {
  const zip = new JSZip();
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>${name}</members><name>ApexClass</name></types><version>66.0</version></Package>`);
  zip.file(`classes/${name}.cls`, `public class ${name} { public Integer n = 1; }`);
  zip.file(`classes/${name}.cls-meta.xml`, '<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>66.0</apiVersion><status>Active</status></ApexClass>');
  return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
}

describe('load', () => {
  it(`serves ${CLIENTS} clients on ${ORGS} orgs without an error`, async () => {
    const orgs = await Promise.all(Array.from({ length: ORGS }, async () => {
      const res = await send(server, 'POST', '/_localforce/orgs', { Authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, '{}');
      return JSON.parse(res.text) as { username: string; password: string };
    }));
    const sessions = await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
      const org = orgs[i % ORGS]!;
      const res = await send(server, 'POST', '/services/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' },
        `grant_type=password&username=${encodeURIComponent(org.username)}&password=${encodeURIComponent(org.password)}`);
      return JSON.parse(res.text).access_token as string;
    }));
    await server.loopDelay();
    const latencies: number[] = [];
    const errors: string[] = [];
    const perClient = new Array<number>(CLIENTS).fill(0);
    const end = Date.now() + DURATION_MS;
    const timed = async (client: number, what: string, call: () => ReturnType<typeof send>) => {
      const started = performance.now();
      const answer = await call();
      latencies.push(performance.now() - started);
      perClient[client]!++;
      if (answer.status !== 200 && answer.status !== 201) errors.push(`${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
      return answer;
    };
    await Promise.all(sessions.map(async (token, client) => {
      const soap = (body: string) => () => send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS, envelope(body, token));
      for (let i = 0; Date.now() < end; i++) {
        await timed(client, 'list', soap(`<listMetadata><queries><type>${i % 2 ? 'ApexClass' : 'Certificate'}</type></queries><asOfVersion>66.0</asOfVersion></listMetadata>`));
        await timed(client, 'describe', soap('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
        await timed(client, 'read', soap(`<readMetadata><type>ApexClass</type><fullNames>Load_${client}_${i - 1}</fullNames></readMetadata>`));
        await timed(client, 'soql', () => send(server, 'GET', '/services/data/v66.0/query?q=SELECT+Id,Name+FROM+Organization', { Authorization: `Bearer ${token}` }));
        if (i % 4 === 0) {
          const submitted = await timed(client, 'deploy', soap(`<deploy><ZipFile>${await classZip(`Load_${client}_${i}`)}</ZipFile><DeployOptions><singlePackage>true</singlePackage></DeployOptions></deploy>`));
          const id = /<id>([^<]+)<\/id>/.exec(submitted.text)?.[1];
          for (let polls = 0; id && polls < 200; polls++) {
            const status = await timed(client, 'checkDeployStatus', soap(`<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>false</includeDetails></checkDeployStatus>`));
            if (/<done>true<\/done>/.test(status.text)) {
              if (!/<status>Succeeded<\/status>/.test(status.text)) errors.push(`deploy ${id}: ${status.text.slice(0, 300)}`);
              break;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }
    }));
    const delay = await server.loopDelay();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
    recordFigures('load', {
      clients: CLIENTS, orgs: ORGS, seconds: DURATION_MS / 1000, requests: latencies.length, errors: errors.length,
      requestsPerSecond: Math.round(latencies.length / (DURATION_MS / 1000)), latencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) }, eventLoopDelayMs: delay,
    });
    expect(errors).toEqual([]);
    for (const count of perClient) expect(count).toBeGreaterThan(4);
  }, 120_000);
});
