import express, { type Request, type Response, type Router } from 'express';
import { dirname, join } from 'node:path';
import type { Services } from '../../services';
import { consoleApi } from './consoleApi';

/** The console's own files, and the few modules it imports, served as they are: no build step. */
const CONSOLE_DIR = join(__dirname, '..', '..', '..', 'console');
const VENDOR: Record<string, string> = {
  'preact.mjs': require.resolve('preact'),
  'hooks.mjs': require.resolve('preact/hooks'),
  'htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
};

/**
 * The web console at `/`: Certificate and Key Management, deploy history, components and recorded
 * calls of the org signed in. Pages are plain ES modules (preact and htm, no bundler).
 */
export function consoleRoutes(services: Services): Router {
  const router = express.Router();
  const page = (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    res.sendFile(join(CONSOLE_DIR, 'index.html'));
  };
  router.get(['/', '/index.html'], page);
  router.use('/console/api', consoleApi(services));
  router.get('/console/vendor/:file', (req: Request, res: Response, next) => {
    const file = VENDOR[req.params.file!];
    if (!file) return next();
    res.type('text/javascript').sendFile(file);
  });
  router.use('/console', express.static(CONSOLE_DIR, { index: false, fallthrough: true, maxAge: 0 }));
  return router;
}
