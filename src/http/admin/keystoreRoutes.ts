import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { KEYSTORE_FORMATS, type KeystoreFormat } from '../../crypto/keystore';
import { KeystoreRefused } from '../../jobs/keystoreTransfer';
import type { Services } from '../../services';
import { callerOf, requireOrgBearer } from '../rest/bearer';
import { restError } from '../restErrors';

const MAX_KEYSTORE_BYTES = 10 * 1024 * 1024;
const CONTENT_TYPES: Record<KeystoreFormat, string> = { jks: 'application/x-java-keystore', pkcs12: 'application/x-pkcs12' };
const EXTENSIONS: Record<KeystoreFormat, string> = { jks: 'jks', pkcs12: 'p12' };

function formatOf(value: unknown): KeystoreFormat | undefined {
  return (KEYSTORE_FORMATS as readonly unknown[]).includes(value) ? value as KeystoreFormat : undefined;
}

/** A refusal as REST errors, one per problem; anything else goes on to the app's error handler. */
function sendRefusal(res: Response, next: NextFunction, err: unknown): void {
  if (!(err instanceof KeystoreRefused)) return next(err);
  res.status(400).json(err.problems.map((p) => ({ message: p.message, errorCode: err.code })));
}

/**
 * Keystores of an org, with its own access token:
 * - `POST /_localforce/orgs/:orgId/keystore/export` with `{"password", "format": "jks"|"pkcs12"}` answers
 *   the file; `X-Localforce-Exported` names what it holds, `X-Localforce-Left-Out` (JSON) what it does not and why;
 * - `POST /_localforce/orgs/:orgId/keystore/import?format=…&password=…` with the file as the body answers
 *   the certificates made, or every reason why none was.
 */
export function keystoreRoutes(services: Services): Router {
  const router = express.Router();
  const auth = requireOrgBearer(services);

  router.post('/_localforce/orgs/:orgId/keystore/export', auth, express.json(), async (req: Request, res: Response, next: NextFunction) => {
    const body = (req.body ?? {}) as { password?: unknown; format?: unknown };
    const format = formatOf(body.format ?? 'jks');
    if (!format) return restError(res, 400, 'INVALID_FIELD', `format must be "jks" or "pkcs12", not ${JSON.stringify(body.format)}`);
    if (typeof body.password !== 'string') return restError(res, 400, 'REQUIRED_FIELD_MISSING', 'Required field is missing: password (the keystore password, at least 6 characters)');
    try {
      const out = await services.keystores.export(callerOf(res), format, body.password);
      res.status(200)
        .set('Content-Type', CONTENT_TYPES[format])
        .set('Content-Disposition', `attachment; filename="${req.params.orgId}.${EXTENSIONS[format]}"`)
        .set('X-Localforce-Exported', out.exported.join(', '))
        .set('X-Localforce-Left-Out', JSON.stringify(out.leftOut))
        .send(out.bytes);
    } catch (err) {
      sendRefusal(res, next, err);
    }
  });

  router.post('/_localforce/orgs/:orgId/keystore/import', auth, express.raw({ type: () => true, limit: MAX_KEYSTORE_BYTES }), async (req: Request, res: Response, next: NextFunction) => {
    const format = formatOf(req.query.format);
    if (!format) return restError(res, 400, 'INVALID_FIELD', `format must be jks or pkcs12, not ${JSON.stringify(req.query.format ?? null)}`);
    if (typeof req.query.password !== 'string') return restError(res, 400, 'REQUIRED_FIELD_MISSING', 'Required parameter is missing: password (the keystore password)');
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) return restError(res, 400, 'INVALID_KEYSTORE', 'The request body is empty: send the keystore file as the body');
    try {
      res.status(201).json({ created: await services.keystores.import(callerOf(res), format, bytes, req.query.password) });
    } catch (err) {
      sendRefusal(res, next, err);
    }
  });
  return router;
}
