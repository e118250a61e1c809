import { randomBytes } from 'node:crypto';
import { createServer, get, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseSink } from '../../../src/http/responseSink';

/** A server whose one route writes an answer through a ResponseSink; returns what the client read. */
async function answer(writeInto: (sink: ResponseSink, res: ServerResponse) => void, readSlowly = false): Promise<{ body: string; headers: Record<string, unknown>; queued: number }> {
  let queued = 0;
  const server: Server = createServer((_req, res) => {
    const sink = new ResponseSink(res, 200);
    writeInto(sink, res);
    sink.end();
    // The most the response ever held unsent while the client read.
    const timer = setInterval(() => { queued = Math.max(queued, res.writableLength); }, 1);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (readSlowly) { res.pause(); setTimeout(() => res.resume(), 2); }
        });
        res.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, queued }));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('ResponseSink', () => {
  it('sends a small answer whole, with its length', async () => {
    const r = await answer((sink) => { sink.write('<a>'); sink.writeBase64(Buffer.from('hi')); sink.write('</a>'); });
    expect(r.body).toBe('<a>aGk=</a>');
    expect(r.headers['content-length']).toBe('11');
  });

  it('sends large bytes as base64 at the pace the client reads, between the text before and after them', async () => {
    const zip = randomBytes(4 * 1024 * 1024 + 1);
    const after = 'x'.repeat(100_000);
    const r = await answer((sink) => { sink.write('<zipFile>'); sink.writeBase64(zip); sink.write(`</zipFile>${after}`); }, true);
    expect(r.body).toBe(`<zipFile>${zip.toString('base64')}</zipFile>${after}`);
    // Written at once, all 5.6 MB of base64 would wait in the response; paced, a few slices at most.
    expect(r.queued).toBeLessThan(1024 * 1024);
  });
});
