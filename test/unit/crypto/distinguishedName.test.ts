import { X509Certificate } from 'crypto';
import {
  buildSelfSignedCertificate,
  classifyContent,
  defaultSubject,
  formatDn,
  generateRsaKeyPair,
  sameDn,
  type DistinguishedName,
  type RsaKeyPair,
} from '../../../src/crypto';

describe('distinguished names', () => {
  it('formats in order with RFC 4514 escaping', () => {
    expect(formatDn([{ shortName: 'CN', value: 'x' }, { shortName: 'OU', value: 'y' }, { shortName: 'O', value: 'z' }])).toBe(
      'CN=x, OU=y, O=z',
    );
    expect(formatDn([{ shortName: 'O', value: 'Acme, Inc.' }])).toBe('O=Acme\\, Inc.');
  });

  it('builds the default Salesforce subject as real orgs write it: the 15-character org id, ST=CA, C=USA', () => {
    expect(formatDn(defaultSubject('My_Cert', '00D000000000001EAA'))).toBe(
      'CN=My_Cert, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA',
    );
    // A 15-character id is taken as it is.
    expect(formatDn(defaultSubject('My_Cert', '00D000000000001'))).toBe(
      'CN=My_Cert, OU=00D000000000001, O=Salesforce.com, L=San Francisco, ST=CA, C=USA',
    );
  });

  it('compares attribute types by OID and values case- and whitespace-insensitively, in order', () => {
    const dn: DistinguishedName = [{ shortName: 'CN', value: 'Root CA' }, { shortName: 'O', value: 'Acme' }];
    expect(sameDn(dn, [{ shortName: '2.5.4.3', value: ' root  ca ' }, { shortName: 'o', value: 'ACME' }])).toBe(true);
    expect(sameDn(dn, [{ shortName: 'O', value: 'Acme' }, { shortName: 'CN', value: 'Root CA' }])).toBe(false);
    expect(sameDn(dn, [{ shortName: 'CN', value: 'Root CA' }])).toBe(false);
    expect(sameDn(dn, [{ shortName: 'CN', value: 'Root CA' }, { shortName: 'OU', value: 'Acme' }])).toBe(false);
  });

  describe('through a certificate', () => {
    let key: RsaKeyPair;
    beforeAll(async () => {
      key = await generateRsaKeyPair(2048);
    });

    it('round-trips non-ASCII values, email and attributes forge has no short name for', async () => {
      const subject: DistinguishedName = [
        { shortName: 'CN', value: 'Zoë Ünïcødé 日本' },
        { shortName: '2.5.4.5', value: 'SN-42' }, // serialNumber: forge knows no short name
        { shortName: 'E', value: 'ops@example.com' },
        { shortName: 'C', value: 'DE' },
      ];
      const pem = await buildSelfSignedCertificate({
        keyPair: key,
        subject,
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2025-01-01T00:00:00Z'),
      });
      const parsed = classifyContent(Buffer.from(pem));
      if (parsed.kind !== 'chain') throw new Error(`expected a chain, got ${parsed.kind}`);
      expect(parsed.certificates[0].subject).toEqual(subject);
      expect(parsed.certificates[0].issuer).toEqual(subject);
      const x509 = new X509Certificate(pem);
      expect(x509.subject).toContain('CN=Zoë Ünïcødé 日本');
      expect(x509.subject).toContain('serialNumber=SN-42');
      expect(x509.subject).toContain('emailAddress=ops@example.com');
    });

    it('rejects an unknown attribute name', async () => {
      await expect(
        buildSelfSignedCertificate({
          keyPair: key,
          subject: [{ shortName: 'NOPE', value: 'x' }],
          notBefore: new Date('2024-01-01T00:00:00Z'),
          notAfter: new Date('2025-01-01T00:00:00Z'),
        }),
      ).rejects.toThrow(/NOPE/);
    });
  });
});
