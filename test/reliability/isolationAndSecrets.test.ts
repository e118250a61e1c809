/**
 * Isolation between orgs and secret scans. Two orgs deploy certificates (self-signed and CA-signed)
 * on a real server process with a store on disk; each then tries to reach the other's components and
 * deploys by every door. Afterwards every answer, everything the server wrote, and every byte of every
 * store file are searched for private keys (in any form the store holds them in), passwords and
 * session tokens: none may appear in clear.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMasterKey, SecretBox } from '../../src/store/secretBox';
import { certsZip } from '../support/localforce';
import { envelope, send, SOAP_HEADERS, type Answer } from './support/http';
import { recordFigures } from './support/figures';
import { startServerProcess, type ServerProcess } from './support/serverProcess';

let location: string;
let server: ServerProcess;
/** Every answer the server gave, but the ones that hand out credentials by design (org creation, login). */
const answers: string[] = [];
beforeAll(async () => {
  location = mkdtempSync(join(tmpdir(), 'lf-secrets-'));
  server = await startServerProcess({ location, keyPoolSize: 2 });
});
afterAll(async () => {
  await server.stop();
  rmSync(location, { recursive: true, force: true });
});

const kept = (answer: Answer) => { answers.push(answer.text); return answer; };
const soap = (token: string, body: string, path = '/services/Soap/m/66.0') => send(server, 'POST', path, SOAP_HEADERS, envelope(body, token)).then(kept);

async function deployAndWait(token: string, zip: Buffer): Promise<string> {
  const submitted = await soap(token, `<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><singlePackage>true</singlePackage></DeployOptions></deploy>`);
  const id = /<id>([^<]+)<\/id>/.exec(submitted.text)![1]!;
  for (;;) {
    const status = await soap(token, `<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`);
    if (/<done>true<\/done>/.test(status.text)) {
      expect(status.text).toContain('<status>Succeeded</status>');
      return id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two orgs on one server', () => {
  it('see nothing of each other, and no secret is ever in clear', async () => {
    const passwords = [randomBytes(12).toString('base64url'), randomBytes(12).toString('base64url')];
    const [a, b] = await Promise.all(passwords.map(async (password) => {
      const res = await send(server, 'POST', '/_localforce/orgs', { Authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, JSON.stringify({ password }));
      return JSON.parse(res.text) as { id: string; username: string; accessToken: string };
    }));
    const oauth = await send(server, 'POST', '/services/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' },
      `grant_type=password&username=${encodeURIComponent(a!.username)}&password=${encodeURIComponent(passwords[0]!)}`);
    const tokenA = JSON.parse(oauth.text).access_token as string;
    const login = await send(server, 'POST', '/services/Soap/u/66.0', SOAP_HEADERS,
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><login xmlns="urn:partner.soap.sforce.com"><username>${b!.username}</username><password>${passwords[1]}</password></login></soapenv:Body></soapenv:Envelope>`);
    const tokenB = /<sessionId>([^<]+)<\/sessionId>/.exec(login.text)![1]!;

    const deployA = await deployAndWait(tokenA, await certsZip([{ name: 'A_Self' }, { name: 'A_Signed', caSigned: true }]));
    const deployB = await deployAndWait(tokenB, await certsZip([{ name: 'B_Self', keySize: 4096 }]));
    const checks: Record<string, boolean> = {};
    const check = (what: string, ok: boolean) => { checks[what] = ok; };

    // Isolation: every way B could reach A's components or deploys.
    const listB = await soap(tokenB, '<listMetadata><queries><type>Certificate</type></queries><asOfVersion>66.0</asOfVersion></listMetadata>');
    check('list shows only its own', listB.text.includes('B_Self') && !listB.text.includes('A_Self'));
    check('read finds nothing of the other', !(await soap(tokenB, '<readMetadata><type>Certificate</type><fullNames>A_Self</fullNames><fullNames>A_Signed</fullNames></readMetadata>')).text.includes('<fullName>A_'));
    check('deploy status of the other org: invalid id', (await soap(tokenB, `<checkDeployStatus><asyncProcessId>${deployA}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`)).text.includes('INVALID_ID_FIELD'));
    check('cancel of the other org: invalid id', (await soap(tokenB, `<cancelDeploy><String>${deployA}</String></cancelDeploy>`)).text.includes('INVALID_ID_FIELD'));
    check('quick deploy of the other org: invalid id', (await soap(tokenB, `<deployRecentValidation><validationId>${deployA}</validationId></deployRecentValidation>`)).text.includes('INVALID_ID_FIELD'));
    check('REST deploy request of the other org: 404', (await send(server, 'GET', `/services/data/v66.0/metadata/deployRequest/${deployA}`, { Authorization: `Bearer ${tokenB}` }).then(kept)).status === 404);
    check("the other org's id in the SOAP URL changes nothing", !(await soap(tokenB, '<listMetadata><queries><type>Certificate</type></queries></listMetadata>', `/services/Soap/m/66.0/${a!.id}`)).text.includes('A_Self'));
    check("the other org's clock: 403", (await send(server, 'POST', `/_localforce/orgs/${a!.id}/clock`, { Authorization: `Bearer ${tokenB}`, 'content-type': 'application/json' }, '{}').then(kept)).status === 403);
    check("the other org's user: 404", (await send(server, 'GET', `/services/data/v66.0/sobjects/User/${a!.username}`, { Authorization: `Bearer ${tokenB}` }).then(kept)).status === 404);
    const retrieveB = await soap(tokenB, '<retrieve><retrieveRequest><apiVersion>66.0</apiVersion><singlePackage>true</singlePackage><unpackaged><types><members>A_Self</members><members>*</members><name>Certificate</name></types><version>66.0</version></unpackaged></retrieveRequest></retrieve>');
    const retrieveId = /<id>([^<]+)<\/id>/.exec(retrieveB.text)![1]!;
    let retrieved = '';
    for (let i = 0; i < 100 && !/<done>true<\/done>/.test(retrieved); i++) {
      await new Promise((r) => setTimeout(r, 100));
      retrieved = (await soap(tokenB, `<checkRetrieveStatus><asyncProcessId>${retrieveId}</asyncProcessId><includeZip>true</includeZip></checkRetrieveStatus>`)).text;
    }
    const zipText = Buffer.from(/<zipFile>([^<]+)<\/zipFile>/.exec(retrieved)?.[1] ?? '', 'base64').toString('latin1');
    check('retrieve holds only its own', zipText.includes('B_Self') && !zipText.includes('A_Self'));
    check('retrieve of the other org: no such deploy', (await soap(tokenA, `<checkRetrieveStatus><asyncProcessId>${retrieveId}</asyncProcessId></checkRetrieveStatus>`)).text.includes('INVALID_ID_FIELD'));
    // A retrieves its own: certificates and the CSR, never a key.
    await soap(tokenA, '<readMetadata><type>Certificate</type><fullNames>A_Self</fullNames><fullNames>A_Signed</fullNames></readMetadata>');
    expect(checks).toEqual(Object.fromEntries(Object.keys(checks).map((k) => [k, true])));

    await server.stop();
    // The private keys the store holds, opened with its master key: these must be nowhere else.
    const db = new Database(join(location, 'localforce.sqlite'), { readonly: true });
    const sealed = db.prepare("SELECT 'private_keys:' || component_id AS context, private_key_pem AS v FROM private_keys UNION ALL SELECT 'key_pool', private_key_pem FROM key_pool").all() as { context: string; v: string }[];
    db.close();
    const box = new SecretBox(readMasterKey(join(location, 'master.key')));
    const keys = sealed.map(({ context, v }) => box.open(v, context));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    // Pieces of each key: 40-character stretches of its base64 body, as a key printed in any wrapping would hold.
    const pieces = keys.flatMap((pem) => {
      const body = pem.replace(/-----[^-]+-----|\s/g, '');
      return [0, 200, 600, body.length - 60].map((at) => body.slice(at, at + 40));
    });
    const files = readdirSync(location).filter((f) => f !== 'admin-token' && f !== 'master.key');
    const places: Record<string, string> = {
      answers: answers.join('\n'),
      'server output': server.output(),
      ...Object.fromEntries(files.map((f) => [`store file ${f}`, readFileSync(join(location, f)).toString('latin1')])),
    };
    const found: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      if (/PRIVATE KEY/.test(text)) found.push(`PRIVATE KEY armour in ${place}`);
      pieces.forEach((p, i) => { if (text.includes(p)) found.push(`private key piece ${i} in ${place}`); });
      passwords.forEach((p, i) => { if (text.includes(p)) found.push(`password of org ${i} in ${place}`); });
      if (!place.startsWith('answers')) {
        for (const [who, token] of Object.entries({ tokenA, tokenB, orgTokenA: a!.accessToken, admin: server.adminToken })) if (text.includes(token)) found.push(`${who} in ${place}`);
      }
    }
    expect(found).toEqual([]);
    recordFigures('isolation-and-secrets', {
      isolationChecks: Object.keys(checks).length, privateKeysChecked: keys.length, places: Object.keys(places).length, found: found.length,
    });
  }, 180_000);
});
