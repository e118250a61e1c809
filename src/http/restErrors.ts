import type { Response } from 'express';

/** REST errors are JSON arrays of {message, errorCode}, as the real REST API sends them. */
export function restError(res: Response, status: number, errorCode: string, message: string): void {
  res.status(status).json([{ message, errorCode }]);
}
