import type { Response } from 'express';
import { ApiFault } from '../errors';

/** REST errors are JSON arrays of {message, errorCode}, as the real REST API sends them. */
export function restError(res: Response, status: number, errorCode: string, message: string): void {
  res.status(status).json([{ message, errorCode }]);
}

/** An ApiFault thrown by the services, in REST terms: 401 for the session, 400 for the rest; anything else is rethrown. */
export function sendFault(res: Response, err: unknown): void {
  if (!(err instanceof ApiFault)) throw err;
  if (err.code === 'INVALID_SESSION_ID') return restError(res, 401, err.code, 'Session expired or invalid');
  restError(res, 400, err.code, err.message);
}
