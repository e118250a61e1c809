import { generateKeyPairSync } from 'node:crypto';
import { REDACTED, redactBody, redactHeaders, redactJson, redactText, redactXml } from '../../../src/log/redact';

const rsaKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const SESSION = '00D000000000001AAA!AQ8AQHx.secretpart_of-the.session';

describe('redaction of what Localforce shows of a call', () => {
  it('keeps the org of a session id and removes its secret, wherever it is', () => {
    expect(redactText(`token ${SESSION} and 00D5g000004ABCD!xyz`)).toBe(`token 00D000000000001AAA!${REDACTED} and 00D5g000004ABCD!${REDACTED}`);
  });

  it('removes PEM private keys of every kind, also when cut off', () => {
    for (const key of [rsaKey, ecKey]) {
      const out = redactText(`before\n${key}after`);
      expect(out).toBe('before\n[private key redacted]\nafter');
    }
    expect(redactText(`start ${rsaKey.slice(0, 200)}`)).toBe('start [private key redacted]');
  });

  it('redacts SOAP elements by name, keeps look-alike fields, and summarises base64 data by size', () => {
    const zip = Buffer.alloc(3000, 7).toString('base64');
    const xml = `<env:Envelope><env:Header><SessionHeader><sessionId>${SESSION}</sessionId></SessionHeader></env:Header>` +
      `<env:Body><login><username>a@b.c</username><password>hunter2</password></login><passwordExpired>false</passwordExpired>` +
      `<privateKeyExportable>true</privateKeyExportable><ZipFile>${zip}</ZipFile>` +
      `<content>${Buffer.from(ecKey).toString('base64')}</content></env:Body></env:Envelope>`;
    const out = redactXml(xml);
    expect(out).toContain(`<sessionId>${REDACTED}</sessionId>`);
    expect(out).toContain(`<password>${REDACTED}</password>`);
    expect(out).toContain('<username>a@b.c</username>');
    expect(out).toContain('<passwordExpired>false</passwordExpired>');
    expect(out).toContain('<privateKeyExportable>true</privateKeyExportable>');
    expect(out).toContain('<ZipFile>[base64 data, 3,000 bytes]</ZipFile>');
    expect(out).toContain('<content>[private key redacted]</content>');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('secretpart');
  });

  it('redacts an element left open by truncation', () => {
    expect(redactXml('<a><password>hunt')).toBe(`<a><password>${REDACTED}`);
    expect(redactXml(`<zipFile>${'QUJD'.repeat(200)}`)).toBe('<zipFile>[base64 data, more than 600 bytes]');
  });

  it('redacts JSON fields by name, keystore passwords and client secrets included', () => {
    expect(redactJson({
      access_token: SESSION, token_type: 'Bearer', refresh_token: 'r', client_secret: 's', keystorePassword: 'k', password: 'p',
      nested: [{ privateKey: rsaKey, note: `see ${SESSION}` }], instance_url: 'http://127.0.0.1:8080',
    })).toEqual({
      access_token: REDACTED, token_type: 'Bearer', refresh_token: REDACTED, client_secret: REDACTED, keystorePassword: REDACTED,
      password: REDACTED, nested: [{ privateKey: REDACTED, note: `see 00D000000000001AAA!${REDACTED}` }], instance_url: 'http://127.0.0.1:8080',
    });
  });

  it('reads bodies by their content type: form, JSON, XML', () => {
    expect(redactBody('grant_type=password&username=a%40b.c&password=p%26w', 'application/x-www-form-urlencoded'))
      .toBe(`grant_type=password&username=a@b.c&password=${REDACTED}`);
    expect(JSON.parse(redactBody('{"password":"x","name":"n"}', 'application/json; charset=utf-8'))).toEqual({ password: REDACTED, name: 'n' });
    expect(redactBody(`<password>x</password>`, 'text/xml')).toBe(`<password>${REDACTED}</password>`);
    // CI logins: a JWT bearer assertion and an SFDX auth URL (it carries a refresh token) are credentials too.
    expect(redactBody('grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.eyJ.sig', 'application/x-www-form-urlencoded'))
      .toBe(`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${REDACTED}`);
    expect(JSON.parse(redactBody('{"sfdxAuthUrl":"force://3MVG9:abc:5Aep861@127.0.0.1:8443"}', 'application/json'))).toEqual({ sfdxAuthUrl: REDACTED });
  });

  it('keeps the scheme of an Authorization header and nothing else of it', () => {
    expect(redactHeaders({ authorization: `Bearer ${SESSION}`, 'content-type': 'text/xml', cookie: 'sid=1', 'x-session-id': 'abc' }))
      .toEqual({ authorization: `Bearer ${REDACTED}`, 'content-type': 'text/xml', cookie: REDACTED, 'x-session-id': REDACTED });
    expect(redactHeaders({ Authorization: SESSION })).toEqual({ Authorization: REDACTED });
  });
});
