import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { resolveAdminToken } from './auth/adminToken';
import { DEFAULT_ORG, type OrgCredentials } from './auth/orgService';
import { setNewestApiVersion } from './apiVersions';
import { parseDeployChecks } from './checks/deployChecks';
import { offsetForTime } from './clock';
import { parseTestOutcomePolicy } from './deploy/apexTests/testOutcomePolicy';
import { createRequestListener } from './http/app';
import { parseDeployPacing } from './jobs/deployPacing';
import { keyPoolTargets } from './jobs/keyPoolFiller';
import { createLogger, LOG_FORMATS, LOG_LEVELS, type LogDestination, type LogFormat, type Logger, type LogLevel } from './log/logger';
import { createServices } from './services';
import { localHosts, localTls, ownTls, type ServerTls } from './serverTls';

export interface LocalforceOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder of the store; ignored with inMemory. */
  location?: string;
  /**
   * Where the state is kept, in place of `location`: a folder, or a PostgreSQL URL
   * (postgres://user:password@host:5432/database) that several servers share (with `masterKeyFile`).
   */
  store?: string;
  inMemory?: boolean;
  /** On a shared store, how long a job stays this server's without renewal before others end it (default 30 s). */
  jobLeaseMs?: number;
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
  /** false: repeated read-only SOAP requests are answered afresh, not from memory (benchmarks of the work itself). */
  answerCache?: boolean;
  /**
   * Serve HTTPS: with `cert` and `key` (PEM file paths) of your own, else with a certificate signed by
   * a local CA that is made once and kept in `<location>/tls/` (even with inMemory).
   */
  https?: boolean;
  cert?: string;
  key?: string;
  /** A second, HTTPS listener that asks for a client certificate (mutual TLS); 0 picks a free port. */
  mtlsPort?: number;
  /** Where the master key that seals private keys at rest is kept (default: master.key in the location). */
  masterKeyFile?: string;
  /** The admin API's token; by default the one kept in the location (made at first start), or a new one in memory. */
  adminToken?: string;
  /**
   * Host names to serve besides IP addresses and localhost (a container or machine name clients use);
   * `*` serves any. Requests naming another host are refused, against DNS rebinding.
   */
  allowedHosts?: string[];
  /**
   * Deploy pacing, for tests of polling clients: `3` holds each deploy InProgress for 3 status polls,
   * `manual` until released through the admin API, `off` (the default) not at all. An org can set its own.
   */
  deployPacing?: string;
  /**
   * What a deploy checks beyond well-formed files: `all` (the default), `none`, or some of `schema`,
   * `references`, `apex`, `lwc` (src/checks/deployChecks.ts). An org can set its own.
   */
  deployChecks?: string;
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
  /** The local CA's certificate file when Localforce made the HTTPS certificate: for NODE_EXTRA_CA_CERTS. */
  caPath?: string;
  /** The mutual TLS listener, when there is one. */
  mtlsUrl?: string;
  mtlsPort?: number;
  /** The admin API's token: `Authorization: Bearer <adminToken>` on /_localforce/… (health needs none). */
  adminToken: string;
  /** Where the state is kept: `in memory`, `SQLite in <folder>` or `PostgreSQL at <host>/<database>, shared`. */
  store: string;
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
  const clock = options.clock === undefined ? undefined : offsetForTime(options.clock);
  if (clock && 'error' in clock) throw new Error(`--clock ${clock.error.replace(/^time /, '')}`);
  const clockOffsetMs = clock?.offsetMs;
  if (options.keyPoolSize !== undefined) keyPoolTargets(options.keyPoolSize);
  if (options.apiVersion !== undefined) setNewestApiVersion(options.apiVersion);
  const testPolicy = options.apexTestOutcome === undefined ? undefined : parseTestOutcomePolicy(options.apexTestOutcome);
  if ((options.cert === undefined) !== (options.key === undefined)) throw new Error('--cert and --key go together: give both, or neither');
  const useTls = !!options.https || options.cert !== undefined;
  const tls: ServerTls | undefined = options.cert !== undefined ? ownTls(options.cert, options.key!)
    : useTls || options.mtlsPort !== undefined ? await localTls(options.location ?? DEFAULT_LOCATION, localHosts(host)) : undefined;
  const deployPacing = options.deployPacing === undefined ? undefined : parseDeployPacing(options.deployPacing);
  const deployChecks = options.deployChecks === undefined ? undefined : parseDeployChecks(options.deployChecks);
  if (deployChecks && 'error' in deployChecks) throw new Error(`--deploy-checks: ${deployChecks.error}`);
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${options.logLevel}`);
  if (options.logFormat !== undefined && !LOG_FORMATS.includes(options.logFormat)) throw new Error(`--log-format must be text or json, not ${options.logFormat}`);
  const log = createLogger({ level: options.logLevel ?? 'silent', format: options.logFormat, destination: options.logDestination });
  if (options.jobLeaseMs !== undefined && !(Number.isInteger(options.jobLeaseMs) && options.jobLeaseMs >= 300)) {
    throw new Error(`--job-lease must be at least 0.3 seconds, not ${options.jobLeaseMs / 1000}`);
  }
  const services = createServices(options.inMemory ? null : options.store ?? options.location ?? DEFAULT_LOCATION, {
    keyPool: options.keyPool, keyPoolSize: options.keyPoolSize, testPolicy, deployPacing, deployChecks, log, masterKeyFile: options.masterKeyFile,
    jobLeaseMs: options.jobLeaseMs,
  });
  const listeners: Server[] = [];
  let org: OrgCredentials;
  let adminToken: string;
  try {
    adminToken = resolveAdminToken(services.store, options.adminToken);
    const named = isIP(host) || host === '0.0.0.0' || host === '::' ? [] : [host];
    const appOptions = { adminToken, allowedHosts: [...named, ...(options.allowedHosts ?? [])], answerCache: options.answerCache };
    const app = createRequestListener(services, VERSION, appOptions);
    listeners.push(useTls ? createHttpsServer({ key: tls!.key, cert: tls!.cert }, app) : createServer(app));
    // Asks for a client certificate but lets the handshake finish without one (with an empty CA list,
    // as the real service does): the app answers why a certificate will not do.
    if (options.mtlsPort !== undefined) {
      listeners.push(createHttpsServer({ key: tls!.key, cert: tls!.cert, requestCert: true, rejectUnauthorized: false },
        createRequestListener(services, VERSION, { ...appOptions, mutualTls: true })));
    }
    for (const l of listeners) l.keepAliveTimeout = 65_000;
    org = await services.orgs.ensureDefaultOrg();
    if (clockOffsetMs !== undefined) services.store.orgs.setClockOffset(DEFAULT_ORG.id, clockOffsetMs);
    await listen(listeners[0]!, options.port ?? DEFAULT_PORT, host);
    if (listeners[1]) await listen(listeners[1], options.mtlsPort!, host);
  } catch (err) {
    await Promise.all(listeners.map(stop));
    services.keys.close();
    services.store.close();
    throw err;
  }
  services.keys.start(); // after listening, so filling never delays start-up
  services.notices.start();
  services.leases.start([services.deploys, services.retrieves]);
  const [server, mtls] = listeners as [Server, Server | undefined];
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const url = `${useTls ? 'https' : 'http'}://${hostInUrl}:${port}`;
  const mtlsPort = mtls && (mtls.address() as AddressInfo).port;
  return {
    url,
    port,
    org,
    caPath: tls?.caPath,
    ...(mtlsPort !== undefined ? { mtlsPort, mtlsUrl: `https://${hostInUrl}:${mtlsPort}` } : {}),
    adminToken,
    store: services.store.description,
    log,
    async close() {
      await Promise.all(listeners.map(stop));
      services.notices.stop();
      services.deploys.stop();
      services.queue.stop();
      await services.queue.idle();
      services.leases.stop();
      services.keys.close(); // no key lands in the store after this
      services.store.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function stop(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
