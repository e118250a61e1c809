import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { resolveAdminToken } from './auth/adminToken';
import { DEFAULT_ORG, type OrgCredentials } from './auth/orgService';
import { setNewestApiVersion } from './apiVersions';
import { offsetForTime } from './clock';
import { parseTestOutcomePolicy } from './deploy/apexTests/testOutcomePolicy';
import { createApp } from './http/app';
import { keyPoolTargets } from './jobs/keyPoolFiller';
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
  /** Where the master key that seals private keys at rest is kept (default: master.key in the location). */
  masterKeyFile?: string;
  /** The admin API's token; by default the one kept in the location (made at first start), or a new one in memory. */
  adminToken?: string;
  /**
   * Host names to serve besides IP addresses and localhost (a container or machine name clients use);
   * `*` serves any. Requests naming another host are refused, against DNS rebinding.
   */
  allowedHosts?: string[];
}

export interface LocalforceServer {
  url: string;
  port: number;
  org: OrgCredentials;
  /** The admin API's token: `Authorization: Bearer <adminToken>` on /_localforce/… (health needs none). */
  adminToken: string;
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
  const services = createServices(options.inMemory ? null : options.location ?? DEFAULT_LOCATION,
    { keyPool: options.keyPool, keyPoolSize: options.keyPoolSize, testPolicy, masterKeyFile: options.masterKeyFile });
  let server: Server | undefined;
  let org: OrgCredentials;
  let adminToken: string;
  try {
    adminToken = resolveAdminToken(services.store, options.adminToken);
    const named = isIP(host) || host === '0.0.0.0' || host === '::' ? [] : [host];
    server = createServer(createApp(services, VERSION, { adminToken, allowedHosts: [...named, ...(options.allowedHosts ?? [])] }));
    server.keepAliveTimeout = 65_000;
    org = await services.orgs.ensureDefaultOrg();
    if (clockOffsetMs !== undefined) services.store.orgs.setClockOffset(DEFAULT_ORG.id, clockOffsetMs);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
    });
  } catch (err) {
    services.keys.close();
    services.store.close();
    throw err;
  }
  services.keys.start(); // after listening, so filling never delays start-up
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const listening = server;
  return {
    url,
    port,
    org,
    adminToken,
    async close() {
      await new Promise<void>((resolve) => {
        listening.close(() => resolve());
        listening.closeAllConnections();
      });
      services.deploys.stop();
      await services.queue.idle();
      services.keys.close(); // no key lands in the store after this
      services.store.close();
    },
  };
}
