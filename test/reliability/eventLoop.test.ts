/**
 * The requests of the hostile-input test, one at a time against a real server process, each
 * with the server's event loop delay measured around it alone (perf_hooks.monitorEventLoopDelay in
 * the server process). Each must be answered in the client's terms; the delays are figures for
 * docs/reliability.md (the goal is about 100 ms at most), not assertions: this machine is shared.
 */
import JSZip from 'jszip';
import { certsZip } from '../support/localforce';
import { envelope, expectSound, send, SOAP_HEADERS } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type ServerProcess } from './support/serverProcess';

let server: ServerProcess;
const figures: Record<string, { status: number; maxEventLoopDelayMs: number }> = {};
beforeAll(async () => { server = await startServerProcess({ inMemory: true, keyPoolSize: 0 }); });
afterAll(async () => {
  recordFigures('event-loop', figures);
  await server.stop();
});

/** Sends one request, waits for any work it left queued (a deploy), and records the delay around it. */
async function measure(name: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer, settle?: (text: string) => Promise<void>) {
  await new Promise((r) => setTimeout(r, 100));
  await server.loopDelay();
  const answer = await send(server, method, path, headers, body, 120_000);
  if (settle) await settle(answer.text);
  await new Promise((r) => setTimeout(r, 50));
  figures[name] = { status: answer.status, maxEventLoopDelayMs: (await server.loopDelay()).max };
  await expectSound(server, answer, name);
  return answer;
}

const soap = (body: string, token = server.org.accessToken) => envelope(body, token);
const bearer = () => ({ Authorization: `Bearer ${server.org.accessToken}` });

async function waitDeploy(text: string): Promise<void> {
  const id = /<id>([^<]+)<\/id>/.exec(text)?.[1];
  for (let i = 0; id && i < 600; i++) {
    const status = await send(server, 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      soap(`<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>false</includeDetails></checkDeployStatus>`));
    if (/<done>true<\/done>/.test(status.text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deployOf = (zip: Buffer) => soap(`<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><singlePackage>true</singlePackage></DeployOptions></deploy>`);

describe('hostile requests, one at a time', () => {
  it('are answered in the client\'s terms, each delay recorded', async () => {
    const million = Array.from({ length: 1_000_000 }, (_, i) => `a${i}=""`).join(' ');
    await measure('SOAP, no session, one element with a million attributes (13 MB)', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      soap('<describeMetadata/>', '').replace('<soapenv:Body', `<soapenv:Body ${million}`));
    await measure('SOAP, valid session, one element with a million attributes', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      soap('<describeMetadata/>').replace('<soapenv:Body', `<soapenv:Body ${million}`));
    await measure('SOAP, 100,000 nested elements', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      soap(`<listMetadata>${'<queries>'.repeat(100_000)}${'</queries>'.repeat(100_000)}</listMetadata>`));
    await measure('deploy of a .crt with 30,000 BEGIN lines', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      deployOf(await certsZip([{ name: 'Pem_Bomb', content: '-----BEGIN CERTIFICATE-----\n'.repeat(30_000) }])), waitDeploy);
    const big = new JSZip();
    big.file('package.xml', '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Big</members><name>StaticResource</name></types><version>66.0</version></Package>');
    big.file('staticresources/Big.resource', Buffer.alloc(8 * 1024 * 1024, 7).map((_, i) => (i * 2654435761) >>> 24));
    big.file('staticresources/Big.resource-meta.xml', '<?xml version="1.0" encoding="UTF-8"?><StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><cacheControl>Private</cacheControl><contentType>application/octet-stream</contentType></StaticResource>');
    await measure('deploy over SOAP of an 8 MB zip (11 MB of base64)', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      deployOf(await big.generateAsync({ type: 'nodebuffer' })), waitDeploy);
    await measure('deploy of 10 self-signed certificates', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      deployOf(await certsZip(Array.from({ length: 10 }, (_, i) => ({ name: `Many_${i}` })))), waitDeploy);
    await measure('REST multipart deploy whose file part ends early', 'POST', '/services/data/v66.0/metadata/deployRequest',
      { ...bearer(), 'content-type': 'multipart/form-data; boundary=XyZ' }, '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\nx\r\n');
    await measure('partner login of 1 MB', 'POST', '/services/Soap/u/66.0', SOAP_HEADERS, `<x>${'y'.repeat(1024 * 1024)}</x>`);
    await measure('OAuth with repeated fields', 'POST', '/services/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=password&username=a&username=b&password=x');
    await measure('clock set to 1e20 ms', 'POST', `/_localforce/orgs/${server.org.id}/clock`,
      { Authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, '{"offsetMs": 1e20}');
    await measure('describeMetadata (the largest read answer)', 'POST', '/services/Soap/m/66.0', SOAP_HEADERS,
      soap('<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>'));
    expect(figures['clock set to 1e20 ms']!.status).toBe(400);
    expect(figures['REST multipart deploy whose file part ends early']!.status).toBe(400);
  }, 300_000);
});
