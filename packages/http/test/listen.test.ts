// A second worker on one host: the default port taken by the first, it listens elsewhere; a port
// the operator chose is honoured or the start fails.
import { createServer, type Server } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnPortOrFree } from '../src/listen.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((r) => server.close(r)));
  return (server.address() as { port: number }).port;
}

function app() {
  const instance = Fastify();
  instance.get('/livez', async () => ({ status: 'ok' }));
  cleanup.push(() => instance.close());
  return instance;
}

describe('listenOnPortOrFree', () => {
  it('listens on a free port when the default one is taken, and serves there', async () => {
    const busy = await occupiedPort();
    const instance = app();
    const listening = await listenOnPortOrFree(instance, { host: '127.0.0.1', port: busy, portIsDefault: true });
    expect(listening.fallback).toBe(true);
    expect(listening.port).not.toBe(busy);
    expect(await (await fetch(`http://127.0.0.1:${listening.port}/livez`)).json()).toEqual({ status: 'ok' });
  });

  it('fails when a port set by the operator is taken', async () => {
    const busy = await occupiedPort();
    await expect(
      listenOnPortOrFree(app(), { host: '127.0.0.1', port: busy, portIsDefault: false }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('uses the port when it is free', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const listening = await listenOnPortOrFree(app(), { host: '127.0.0.1', port, portIsDefault: true });
    expect(listening).toEqual({ port, fallback: false });
  });
});
