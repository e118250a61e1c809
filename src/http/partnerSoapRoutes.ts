import { USER_SETTINGS } from '../auth/userSettings';
import express, { type Request, type Response, type Router } from 'express';
import { latestApiVersion, parseApiVersion } from '../apiVersions';
import { Faults } from '../errors';
import type { Services } from '../services';
import { asFault, faultEnvelope, parseEnvelope, sessionIdOf } from '../soap/envelope';
import { escapeXml } from '../soap/xmlWriter';
import { sessionCaller } from './mutualTls';
import { asyncRoute } from './asyncRoute';
import { baseUrl, sendXml } from './xml';

const PARTNER_NS = 'urn:partner.soap.sforce.com';
const FAULT_NS = 'urn:fault.partner.soap.sforce.com';

const field = (node: unknown, name: string): string => {
  const v = typeof node === 'object' && node ? (node as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${PARTNER_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

const elements = (values: Record<string, string | boolean | number>) =>
  Object.entries(values).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');

/** The partner API's login and logout, enough for jsforce's username-password login. */
export function partnerSoapRoutes(services: Services): Router {
  const router = express.Router();
  // A login or logout message is a few hundred bytes; no session protects this endpoint, so it reads little.
  router.post('/services/Soap/u/:version', express.text({ type: () => true, limit: '64kb' }), asyncRoute(async (req: Request, res: Response) => {
    try {
      const version = parseApiVersion(req.params.version!);
      if (version === undefined) throw Faults.unsupportedApiVersion();
      const request = parseEnvelope(typeof req.body === 'string' ? req.body : '');
      if (request.operation === 'login') {
        const { sessionId, caller } = await services.orgs.login(field(request.body, 'username'), field(request.body, 'password'));
        res.locals.caller = caller;
        const { org, user } = caller;
        const base = baseUrl(req);
        const v = version.toFixed(1);
        const userInfo = elements({
          accessibilityMode: false, currencySymbol: '$', orgAttachmentFileSizeLimit: 5242880, orgDefaultCurrencyIsoCode: 'USD',
          orgDisallowHtmlAttachments: false, orgHasPersonAccounts: false, organizationId: org.id, organizationMultiCurrency: false,
          organizationName: org.name, profileId: USER_SETTINGS.profileId, roleId: '', sessionSecondsValid: 7200, userDefaultCurrencyIsoCode: '',
          userEmail: user.email, userFullName: user.fullName, userId: user.id, userLanguage: USER_SETTINGS.language, userLocale: USER_SETTINGS.locale,
          userName: user.username, userTimeZone: USER_SETTINGS.timeZone, userType: 'Standard', userUiSkin: 'Theme3',
        });
        const result = elements({
          metadataServerUrl: `${base}/services/Soap/m/${v}/${org.id}`, passwordExpired: false, sandbox: false,
          serverUrl: `${base}/services/Soap/u/${v}/${org.id}`, sessionId, userId: user.id,
        });
        return sendXml(res, 200, envelope(`<loginResponse><result>${result}<userInfo>${userInfo}</userInfo></result></loginResponse>`));
      }
      if (request.operation === 'logout') {
        const sessionId = sessionIdOf(request.headers);
        res.locals.caller = sessionCaller(services, res, sessionId);
        services.orgs.logout(sessionId!);
        return sendXml(res, 200, envelope('<logoutResponse/>'));
      }
      throw Faults.invalidOperation(`The partner API of Localforce serves login and logout only, not ${request.operation} (API ${latestApiVersion()})`);
    } catch (err) {
      sendXml(res, 500, faultEnvelope(asFault(err), FAULT_NS));
    }
  }));
  return router;
}
