// A job's event stream as the contract describes it (text/event-stream: `progress` events, one
// `finished`, then the end), read by followJobEvents from a server that speaks it byte by byte.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLicensingClient, followJobEvents, type Job, serverSentEvents } from '@licensing/client';

const ID = '7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11';
const client = (baseUrl: string) => createLicensingClient({ baseUrl, apiKey: 'key' });

describe('job events', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const job = (pending: number, status = 'running') =>
    ({ id: ID, status, finishedAt: pending ? null : 'now', progress: { total: 2, pending } }) as unknown as Job;

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('passes every progress event on and answers the finished job', async () => {
    const url = await serve((request, response) => {
      expect(request.headers.authorization).toBe('Bearer key');
      expect(request.url).toBe('/v1/customers/c/license-jobs/j/events');
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`: keep-alive\n\nevent: progress\ndata: ${JSON.stringify(job(2))}\n\n`);
      response.write(`event: progress\r\ndata: ${JSON.stringify(job(1))}\r\n\r\n`);
      const finished = `event: finished\ndata: ${JSON.stringify(job(0, 'completed'))}\n\n`;
      response.write(finished.slice(0, 20)); // an event split across chunks
      setTimeout(() => response.end(finished.slice(20)), 20);
    });
    const seen: number[] = [];
    const finished = await followJobEvents(client(url), 'c', 'j', { onProgress: (j) => seen.push(j.progress.pending) });
    expect(seen).toEqual([2, 1, 0]);
    expect(finished?.status).toBe('completed');
  });

  it('answers undefined when there is no stream, or it ends before the job does', async () => {
    const missing = await serve((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"not_found"}');
    });
    expect(await followJobEvents(client(missing), 'c', 'j')).toBeUndefined();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const cut = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`event: progress\ndata: ${JSON.stringify(job(2))}\n\n`);
    });
    const seen: Job[] = [];
    expect(await followJobEvents(client(cut), 'c', 'j', { onProgress: (j) => seen.push(j) })).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('parses multi-line data', async () => {
    const body = new Response('data: a\ndata: b\n\nevent: x\ndata:c\n\n').body!;
    const events = [];
    for await (const event of serverSentEvents(body)) events.push(event);
    expect(events).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'x', data: 'c' },
    ]);
  });
});
