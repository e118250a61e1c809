import { parseArgs } from 'node:util';
import { DEFAULT_NEWEST_API_VERSION } from './apiVersions';
import { DEFAULT_KEY_POOL_SIZE } from './jobs/keyPoolFiller';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log/logger';
import { DEFAULT_LOCATION, DEFAULT_PORT, startLocalforce, VERSION } from './server';

const USAGE = `Usage: localforce start [options]

Options:
  --host <host>       address to listen on (default 127.0.0.1)
  --port <port>       port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --location <dir>    folder of the store (default ${DEFAULT_LOCATION})
  --in-memory         keep everything in memory; nothing survives a stop
  --clock <iso-time>  start the default org's clock at this time
  --key-pool-size <n> 2048-bit keys made ahead while idle and kept in the store (default ${DEFAULT_KEY_POOL_SIZE};
                      a fifth as many 4096-bit ones once that size is used)
  --no-key-pool       make every key when a deploy needs it
  --api-version <v>   the newest API version answered (default ${DEFAULT_NEWEST_API_VERSION}.0, Winter '27)
  --apex-test-outcome <policy>
                      how simulated Apex tests end: pass (default), fail, or pass,fail:ClassA,ClassB
                      (an org can set its own through the admin API)
  --deploy-pacing <n|manual>
                      hold each deploy InProgress for n status polls, or until released through the
                      admin API, for tests of polling clients (default off; an org can set its own)
  --log-level <level> info (default: a line per call, deploy and retrieve), debug (adds the web
                      console's own pages and reads), warn, error, fatal or silent
  --log-format <fmt>  text (default, for people) or json (one JSON object a line)
  --version           print the version
  --help              print this help`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string' }, port: { type: 'string' }, location: { type: 'string' },
        'in-memory': { type: 'boolean' }, clock: { type: 'string' }, version: { type: 'boolean' }, help: { type: 'boolean' },
        'key-pool-size': { type: 'string' }, 'no-key-pool': { type: 'boolean' },
        'api-version': { type: 'string' }, 'apex-test-outcome': { type: 'string' },
        'log-level': { type: 'string' }, 'log-format': { type: 'string' }, 'deploy-pacing': { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) { console.log(VERSION); return 0; }
  if (values.help || positionals[0] !== 'start') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${values.port}`);
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
      host: values.host, port, location: values.location, inMemory: values['in-memory'], clock: values.clock,
      keyPool: !values['no-key-pool'], keyPoolSize: poolSize === undefined ? undefined : Number(poolSize),
      apiVersion: apiVersion === undefined ? undefined : Number(apiVersion), apexTestOutcome: values['apex-test-outcome'],
      logLevel: logLevel as LogLevel, logFormat: logFormat as LogFormat, deployPacing: values['deploy-pacing'],
    });
  } catch (err) {
    console.error(`localforce: ${(err as Error).message}`);
    return 2;
  }
  if (logFormat === 'json') {
    // Machines read JSON lines only; the default org's well-known password and token are in the README.
    server.log.info({ url: server.url, version: VERSION }, `Localforce listening on ${server.url}`);
    server.log.info({ orgId: server.org.id, username: server.org.username }, `Default org ${server.org.id}: username ${server.org.username}`);
  } else {
    console.log(`Localforce listening on ${server.url}`);
    console.log(`Default org ${server.org.id}: username ${server.org.username}, password ${server.org.password}, access token ${server.org.accessToken}`);
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
