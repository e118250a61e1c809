import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';

export const KEYSTORE_USAGE = `Usage: localforce keystore export --out <file> [options]
       localforce keystore import --file <file> [options]

Exports every certificate of an org with its private key and chain to a keystore, or imports the
certificates of a keystore into an org (all or nothing).

Options:
  --format <jks|pkcs12>  keystore format (default: from the file name, .p12 or .pfx for pkcs12, else jks)
  --password <password>  keystore password (default: $LOCALFORCE_KEYSTORE_PASSWORD); at least 6 characters to export
  --url <url>            where Localforce listens (default: $LOCALFORCE_URL or http://127.0.0.1:8080)
  --token <token>        the org's access token (default: $LOCALFORCE_ACCESS_TOKEN or the default org's)
  --org <orgId>          the org (default: the one the access token is for)`;

const DEFAULT_URL = 'http://127.0.0.1:8080';
const DEFAULT_TOKEN = '00D000000000001AAA!localforce';

type Problem = { message: string; errorCode: string };

/** `localforce keystore export|import`: a client of the admin API, authenticated with the org's access token. */
export async function keystoreCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        out: { type: 'string' }, file: { type: 'string' }, format: { type: 'string' }, password: { type: 'string' },
        url: { type: 'string' }, token: { type: 'string' }, org: { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${KEYSTORE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const action = positionals[0];
  if (values.help || (action !== 'export' && action !== 'import')) {
    console.log(KEYSTORE_USAGE);
    return values.help ? 0 : 2;
  }
  const file = action === 'export' ? values.out : values.file;
  if (!file) return fail(`${action === 'export' ? '--out' : '--file'} is required: the keystore file to ${action === 'export' ? 'write' : 'read'}`);
  const format = values.format ?? (['.p12', '.pfx'].includes(extname(file).toLowerCase()) ? 'pkcs12' : 'jks');
  if (format !== 'jks' && format !== 'pkcs12') return fail(`--format must be jks or pkcs12, not ${format}`);
  const password = values.password ?? env.LOCALFORCE_KEYSTORE_PASSWORD;
  if (password === undefined) return fail('--password (or $LOCALFORCE_KEYSTORE_PASSWORD) is required: the keystore password');
  const token = values.token ?? env.LOCALFORCE_ACCESS_TOKEN ?? DEFAULT_TOKEN;
  const orgId = values.org ?? token.split('!')[0]!;
  const base = `${(values.url ?? env.LOCALFORCE_URL ?? DEFAULT_URL).replace(/\/+$/, '')}/_localforce/orgs/${encodeURIComponent(orgId)}/keystore`;
  const headers = { authorization: `Bearer ${token}` };

  try {
    if (action === 'export') {
      const res = await fetch(`${base}/export`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ format, password }),
      });
      if (!res.ok) return failWith(res);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const exported = res.headers.get('x-localforce-exported') ?? '';
      console.log(`Exported ${exported.split(', ').filter(Boolean).length} certificate(s) to ${file} (${format}): ${exported}`);
      for (const l of JSON.parse(res.headers.get('x-localforce-left-out') ?? '[]') as { fullName: string; reason: string }[]) {
        console.log(`Left out ${l.fullName}: ${l.reason}`);
      }
      return 0;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      return fail(`cannot read ${file}: ${(err as Error).message}`);
    }
    const query = new URLSearchParams({ format, password });
    const res = await fetch(`${base}/import?${query}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: bytes });
    if (!res.ok) return failWith(res);
    const { created } = (await res.json()) as { created: { fullName: string; keySize: number; caSigned: boolean; expirationDate: string }[] };
    console.log(`Imported ${created.length} certificate(s) from ${file}:`);
    for (const c of created) console.log(`  ${c.fullName}: ${c.keySize}-bit, ${c.caSigned ? 'CA-signed' : 'self-signed'}, expires ${c.expirationDate}`);
    return 0;
  } catch (err) {
    return fail(`cannot reach Localforce at ${values.url ?? env.LOCALFORCE_URL ?? DEFAULT_URL}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
  }
}

function fail(message: string): number {
  console.error(`localforce keystore: ${message}`);
  return 1;
}

async function failWith(res: Response): Promise<number> {
  const text = await res.text();
  let problems: Problem[];
  try {
    problems = JSON.parse(text) as Problem[];
  } catch {
    problems = [{ message: text || res.statusText, errorCode: String(res.status) }];
  }
  for (const p of problems) console.error(`localforce keystore: ${p.message}`);
  return 1;
}
