import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Express 4 does not watch the promise an async handler returns: a rejection would be unhandled and
 * end the process. Every async handler goes through this, so its failures reach the error handler.
 */
export function asyncRoute(handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}
