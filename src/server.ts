import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { DEFAULT_ORG, type OrgCredentials } from './auth/orgService';
import { setNewestApiVersion } from './apiVersions';
import { parseTestOutcomePolicy } from './deploy/apexTests/testOutcomePolicy';
import { createApp } from './http/app';
import { parseDeployPacing } from './jobs/deployPacing';
import { keyPoolTargets } from './jobs/keyPoolFiller';
import { createLogger, LOG_FORMATS, LOG_LEVELS, type LogDestination, type LogFormat, type Logger, type LogLevel } from './log/logger';
import { createServices } from './services';

export interface LocalforceOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder of the store; ignored with inMemory. */
  location?: string;
  inMemory?: boolean;
  /** Moves the default org's clock to this ISO time at start (tests of expiry). */
  clock?: string;
  /** false turns the key pool off: every key is made when a deploy needs it. */
  keyPool?: boolean;
  /** 2048-bit keys kept ready in the store (default 20; a fifth as many 4096-bit ones once used). */
  keyPoolSize?: number;
  /** The newest API version answered (default 68, Winter '27): to act as an org of an older release. */
  apiVersion?: number;
  /**
   * How simulated Apex tests end unless an org sets its own policy: `pass` (the default), `fail`, or
   * `pass,fail:ClassA,ClassB` (see src/deploy/apexTests/testOutcomePolicy.ts).
   */
  apexTestOutcome?: string;
  /**
   * Deploy pacing, for tests of polling clients: `3` holds each deploy InProgress for 3 status polls,
   * `manual` until released through the admin API, `off` (the default) not at all. An org can set its own.
   */
  deployPacing?: string;
  /** `silent` (the default in process; the command logs `info`), `fatal`, `error`, `warn`, `info`, `debug`, `trace`. */
  logLevel?: LogLevel;
  /** `text` (the default) or `json`: one JSON object a line. */
  logFormat?: LogFormat;
  /** Where log lines go (anything with write()); stdout by default. */
  logDestination?: LogDestination;
}

export interface LocalforceServer {
  url: string;
  port: number;
  org: OrgCredentials;
  /** The server's logger, for a host program to add lines of its own. */
  log: Logger;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_LOCATION = '.localforce';
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const VERSION: string = (require('../package.json') as { version: string }).version;

/** Starts Localforce in this process: the programmatic API for tests and tools. */
export async function startLocalforce(options: LocalforceOptions = {}): Promise<LocalforceServer> {
  const host = options.host ?? '127.0.0.1';
  // Refuse bad options before anything is opened, so a failed start leaves nothing behind.
  const clockOffsetMs = options.clock === undefined ? undefined : Date.parse(options.clock) - Date.now();
  if (Number.isNaN(clockOffsetMs)) throw new Error(`--clock must be an ISO 8601 date, not ${options.clock}`);
  if (options.keyPoolSize !== undefined) keyPoolTargets(options.keyPoolSize);
  if (options.apiVersion !== undefined) setNewestApiVersion(options.apiVersion);
  const testPolicy = options.apexTestOutcome === undefined ? undefined : parseTestOutcomePolicy(options.apexTestOutcome);
  const deployPacing = options.deployPacing === undefined ? undefined : parseDeployPacing(options.deployPacing);
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${options.logLevel}`);
  if (options.logFormat !== undefined && !LOG_FORMATS.includes(options.logFormat)) throw new Error(`--log-format must be text or json, not ${options.logFormat}`);
  const log = createLogger({ level: options.logLevel ?? 'silent', format: options.logFormat, destination: options.logDestination });
  const services = createServices(options.inMemory ? null : options.location ?? DEFAULT_LOCATION,
    { keyPool: options.keyPool, keyPoolSize: options.keyPoolSize, testPolicy, deployPacing, log });
  const org = services.orgs.ensureDefaultOrg();
  if (clockOffsetMs !== undefined) services.store.orgs.setClockOffset(DEFAULT_ORG.id, clockOffsetMs);
  const server: Server = createServer(createApp(services, VERSION));
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
    });
  } catch (err) {
    services.keys.close();
    services.store.close();
    throw err;
  }
  services.keys.start(); // after listening, so filling never delays start-up
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    org,
    log,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      services.deploys.stop();
      await services.queue.idle();
      services.keys.close(); // no key lands in the store after this
      services.store.close();
    },
  };
}
