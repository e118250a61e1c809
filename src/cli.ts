import { parseArgs } from 'node:util';
import { DEFAULT_LOCATION, DEFAULT_PORT, startLocalforce, VERSION } from './server';

const USAGE = `Usage: localforce start [options]

Options:
  --host <host>       address to listen on (default 127.0.0.1)
  --port <port>       port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --location <dir>    folder of the store (default ${DEFAULT_LOCATION})
  --in-memory         keep everything in memory; nothing survives a stop
  --clock <iso-time>  start the default org's clock at this time
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
  const server = await startLocalforce({
    host: values.host, port, location: values.location, inMemory: values['in-memory'], clock: values.clock,
  });
  console.log(`Localforce listening on ${server.url}`);
  console.log(`Default org ${server.org.id}: username ${server.org.username}, password ${server.org.password}, access token ${server.org.accessToken}`);
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
