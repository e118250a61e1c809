import { certificateFieldsIn } from '../../../src/metadata/certificate/certificateReferences';
import { noticesDue, noticeSchedule, recipientsOf } from '../../../src/metadata/certificate/expiryNotices';
import type { User } from '../../../src/store/orgs';

const user = (username: string, profile: string, permissions: string[] = []): User =>
  ({ id: username, orgId: 'o', username, passwordHash: 'p', fullName: username, email: username, profile, permissions });

describe('expiry notices', () => {
  it('fall 60, 30 and 10 days and one day before expiry, at the start of its UTC day, and at expiry', () => {
    expect(noticeSchedule(new Date('2030-06-15T12:00:00Z')).map((n) => [n.kind, n.at.toISOString()])).toEqual([
      ['expires-in-60-days', '2030-04-16T12:00:00.000Z'], ['expires-in-30-days', '2030-05-16T12:00:00.000Z'],
      ['expires-in-10-days', '2030-06-05T12:00:00.000Z'], ['expires-tomorrow', '2030-06-14T12:00:00.000Z'],
      ['expires-today', '2030-06-15T00:00:00.000Z'], ['expired', '2030-06-15T12:00:00.000Z'],
    ]);
  });

  it('go by the help\'s rule: holders of the permission get all, other admins and Modify All Data users the last ones; nobody holding it, all of them everything', () => {
    const holder = user('holder', 'Standard User', ['ReceiveCertificateExpirationNotifications']);
    const users = [user('admin', 'System Administrator'), user('mad', 'Standard User', ['ModifyAllData']), user('plain', 'Standard User', ['ViewSetup'])];
    expect(recipientsOf('expires-in-30-days', [...users, holder])).toEqual(['holder']);
    expect(recipientsOf('expires-tomorrow', [...users, holder])).toEqual(['admin', 'holder', 'mad']);
    expect(recipientsOf('expires-in-30-days', users)).toEqual(['admin', 'mad']);
  });

  it('are never due before the certificate existed, and only in the window asked for', () => {
    const certificate = { fullName: 'C', id: '0P1', expirationDate: '2030-06-15T00:00:00.000Z', createdDate: '2030-05-01T00:00:00.000Z' };
    const due = noticesDue([certificate], [user('a', 'System Administrator')], new Date('2030-06-10T00:00:00Z'));
    expect(due.map((n) => n.kind)).toEqual(['expires-in-30-days', 'expires-in-10-days']);
    expect(noticesDue([certificate], [], new Date('2030-06-10T00:00:00Z'), new Date('2030-06-01T00:00:00Z')).map((n) => n.kind)).toEqual(['expires-in-10-days']);
  });
});

describe('certificate references in metadata XML', () => {
  const cert = { fullName: 'My_Cert', id: '0P1000000000001AAA' };
  const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><X xmlns="http://soap.sforce.com/2006/04/metadata">${body}</X>`;

  it('finds the certificate by name in the elements that hold one, in any case, and by id where an id is kept', () => {
    expect(certificateFieldsIn(doc('<oauthConfig><certificate>my_cert</certificate></oauthConfig>'), cert)).toEqual(['oauthConfig.certificate']);
    expect(certificateFieldsIn(doc('<requestSigningCertId>0P1000000000001</requestSigningCertId>'), cert)).toEqual(['requestSigningCertId']);
    expect(certificateFieldsIn(doc('<namedCredentialParameters><parameterType>ClientCertificate</parameterType><parameterValue>My_Cert</parameterValue></namedCredentialParameters>'), cert))
      .toEqual(['namedCredentialParameters.parameterValue']);
  });

  it('ignores other certificates, other parameters, a PEM in a certificate element, and comments', () => {
    expect(certificateFieldsIn(doc('<certificate>Other</certificate><!-- <certificate>My_Cert</certificate> -->'), cert)).toEqual([]);
    expect(certificateFieldsIn(doc('<p><parameterType>AuthParameter</parameterType><parameterValue>My_Cert</parameterValue></p>'), cert)).toEqual([]);
    expect(certificateFieldsIn(doc('<oauthConfig><certificate>-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----</certificate></oauthConfig>'), cert)).toEqual([]);
  });
});
