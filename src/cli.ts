import { parseArgs } from 'node:util';
import { DEFAULT_NEWEST_API_VERSION } from './apiVersions';
import { DEFAULT_KEY_POOL_SIZE } from './jobs/keyPoolFiller';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log/logger';
import { DEFAULT_LOCATION, DEFAULT_PORT, startLocalforce, VERSION } from './server';
import { keystoreCommand } from './commands/keystoreCommand';
import { Store } from './store/store';

const USAGE = `Usage: localforce start [options]
       localforce keystore export|import ...   (see localforce keystore --help)
       localforce rotate-master-key [--location <dir>] [--master-key-file <file>]

rotate-master-key replaces the master key that seals the store's private keys and re-seals every
key with the new one; stop the server first.

Options:
  --host <host>       address to listen on (default 127.0.0.1)
  --port <port>       port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --location <dir>    folder of the store (default ${DEFAULT_LOCATION})
  --store <folder|url>
                      where the state is kept (default: LOCALFORCE_STORE, else --location): a folder, or
                      postgres://user:password@host:5432/database, a PostgreSQL store that several
                      servers share (each with the same --master-key-file)
  --job-lease <seconds>
                      on a shared store, how long a deploy or retrieve stays this server's without
                      renewal; when its server dies, another ends it as Failed within about that (default 30)
  --in-memory         keep everything in memory; nothing survives a stop
  --clock <iso-time>  start the default org's clock at this time
  --key-pool-size <n> 2048-bit keys made ahead while idle and kept in the store (default ${DEFAULT_KEY_POOL_SIZE};
                      a fifth as many 4096-bit ones once that size is used)
  --no-key-pool       make every key when a deploy needs it
  --no-answer-cache   answer repeated read-only SOAP requests afresh rather than from memory
  --api-version <v>   the newest API version answered (default ${DEFAULT_NEWEST_API_VERSION}.0, Winter '27)
  --apex-test-outcome <policy>
                      how simulated Apex tests end: pass (default), fail, or pass,fail:ClassA,ClassB
                      (an org can set its own through the admin API)
  --https             serve HTTPS with a certificate of a local CA, made once and kept in the location
                      (the start line names the CA file, for NODE_EXTRA_CA_CERTS)
  --cert <file> --key <file>
                      serve HTTPS with your own certificate and key (PEM)
  --mtls-port <port>  also listen for mutual TLS (client certificates) on this port; 0 picks a free one
  --admin-token <token>
                      the admin API's token (default: LOCALFORCE_ADMIN_TOKEN, else the one kept in the
                      location, made at first start); printed at start as "Admin token: <token>"
  --allowed-host <name>
                      a host name clients use besides IP addresses and localhost (a container name);
                      repeat for more, * for any. Other Host headers are refused (DNS rebinding)
  --master-key-file <file>
                      the master key sealing private keys at rest (default: LOCALFORCE_MASTER_KEY_FILE,
                      else master.key in the location; made on first start, mode 600)
  --deploy-pacing <n|manual>
                      hold each deploy InProgress for n status polls, or until released through the
                      admin API, for tests of polling clients (default off; an org can set its own)
  --deploy-checks <all|none|families>
                      what a deploy checks beyond well-formed files: all (default), none, or some of
                      schema,references,apex,lwc (an org can set its own)
  --log-level <level> info (default: a line per call, deploy and retrieve), debug (adds the web
                      console's own pages and reads), warn, error, fatal or silent
  --log-format <fmt>  text (default, for people) or json (one JSON object a line)
  --version           print the version
  --help              print this help`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keystore') return keystoreCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string' }, port: { type: 'string' }, location: { type: 'string' },
        'in-memory': { type: 'boolean' }, clock: { type: 'string' }, version: { type: 'boolean' }, help: { type: 'boolean' },
        'key-pool-size': { type: 'string' }, 'no-key-pool': { type: 'boolean' }, 'no-answer-cache': { type: 'boolean' },
        'api-version': { type: 'string' }, 'apex-test-outcome': { type: 'string' }, 'master-key-file': { type: 'string' },
        https: { type: 'boolean' }, cert: { type: 'string' }, key: { type: 'string' }, 'mtls-port': { type: 'string' },
        'admin-token': { type: 'string' }, 'allowed-host': { type: 'string', multiple: true },
        'log-level': { type: 'string' }, 'log-format': { type: 'string' }, 'deploy-pacing': { type: 'string' }, 'deploy-checks': { type: 'string' },
        store: { type: 'string' }, 'job-lease': { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) { console.log(VERSION); return 0; }
  if (values.help || (positionals[0] !== 'start' && positionals[0] !== 'rotate-master-key')) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const masterKeyFile = values['master-key-file'] ?? (process.env.LOCALFORCE_MASTER_KEY_FILE || undefined);
  const store = values.store ?? (process.env.LOCALFORCE_STORE || undefined);
  if (positionals[0] === 'rotate-master-key') return rotate(store ?? values.location ?? DEFAULT_LOCATION, masterKeyFile);
  const jobLease = values['job-lease'] === undefined ? undefined : Number(values['job-lease']);
  if (jobLease !== undefined && !(jobLease >= 0.3)) {
    console.error(`--job-lease must be a number of seconds from 0.3, not ${values['job-lease']}`);
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${values.port}`);
    return 2;
  }
  const mtlsPort = values['mtls-port'] === undefined ? undefined : Number(values['mtls-port']);
  if (mtlsPort !== undefined && (!Number.isInteger(mtlsPort) || mtlsPort < 0 || mtlsPort > 65535)) {
    console.error(`--mtls-port must be a number from 0 to 65535, not ${values['mtls-port']}`);
    return 2;
  }
  const poolSize = values['key-pool-size'];
  if (poolSize !== undefined && !/^\d+$/.test(poolSize)) {
    console.error(`--key-pool-size must be a whole number from 0, not ${poolSize}`);
    return 2;
  }
  const apiVersion = values['api-version'];
  if (apiVersion !== undefined && !/^\d+(\.0)?$/.test(apiVersion)) {
    console.error(`--api-version must be a version such as ${DEFAULT_NEWEST_API_VERSION}.0, not ${apiVersion}`);
    return 2;
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    console.error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${logLevel}`);
    return 2;
  }
  const logFormat = values['log-format'] ?? 'text';
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    console.error(`--log-format must be text or json, not ${logFormat}`);
    return 2;
  }
  let server;
  try {
    server = await startLocalforce({
      host: values.host, port, location: values.location, store, inMemory: values['in-memory'], clock: values.clock,
      jobLeaseMs: jobLease === undefined ? undefined : Math.round(jobLease * 1000),
      keyPool: !values['no-key-pool'], keyPoolSize: poolSize === undefined ? undefined : Number(poolSize),
      apiVersion: apiVersion === undefined ? undefined : Number(apiVersion), apexTestOutcome: values['apex-test-outcome'],
      answerCache: !values['no-answer-cache'],
      https: values.https, cert: values.cert, key: values.key, mtlsPort,
      masterKeyFile, adminToken: values['admin-token'] ?? (process.env.LOCALFORCE_ADMIN_TOKEN || undefined),
      allowedHosts: values['allowed-host'],
      logLevel: logLevel as LogLevel, logFormat: logFormat as LogFormat, deployPacing: values['deploy-pacing'], deployChecks: values['deploy-checks'],
    });
  } catch (err) {
    console.error(`localforce: ${(err as Error).message}`);
    return 2;
  }
  if (logFormat === 'json') {
    // Machines read JSON lines only; the default org's well-known password and token are in the README.
    server.log.info({ url: server.url, version: VERSION }, `Localforce listening on ${server.url}`);
    server.log.info({ orgId: server.org.id, username: server.org.username }, `Default org ${server.org.id}: username ${server.org.username}`);
    if (server.mtlsUrl) server.log.info({ mtlsUrl: server.mtlsUrl }, `mutual TLS on ${server.mtlsUrl}`);
    if (server.caPath) server.log.info({ caPath: server.caPath }, `HTTPS certificate authority: ${server.caPath}`);
    server.log.info(`Admin token: ${server.adminToken}`);
    server.log.info({ store: server.store }, `Store: ${server.store}`);
  } else {
    console.log(`Localforce listening on ${server.url}`);
    console.log(`Default org ${server.org.id}: username ${server.org.username}, password ${server.org.password}, access token ${server.org.accessToken}`);
    if (server.mtlsUrl) console.log(`mutual TLS on ${server.mtlsUrl}`);
    if (server.caPath) console.log(`HTTPS certificate authority: ${server.caPath} (for Node clients: export NODE_EXTRA_CA_CERTS=${server.caPath})`);
    console.log(`Admin token: ${server.adminToken}`);
    console.log(`Store: ${server.store}`);
    console.log(`Console: ${server.url}/`);
  }
  const stop = () => {
    server.close().then(() => process.exit(0), (err: Error) => {
      console.error(`localforce: ${err.message}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

function rotate(location: string, masterKeyFile: string | undefined): number {
  try {
    const { resealed, keyId, file } = Store.rotateMasterKey(location, { masterKeyFile });
    console.log(`New master key ${keyId} in ${file}; ${resealed} private key${resealed === 1 ? '' : 's'} re-sealed with it.`);
    return 0;
  } catch (err) {
    console.error(`localforce: ${(err as Error).message}`);
    return 2;
  }
}
