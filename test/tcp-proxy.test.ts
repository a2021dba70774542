// The soak's TCP proxy (test/soak/tcp-proxy.ts) models a partition faithfully: what a connection
// sends while the link is partitioned, opened before or during it, arrives once it heals; with
// `loseNew`, what the connections opened during it send never arrives.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from './soak/tcp-proxy.ts';

let echo: Server;
let proxy: TcpProxy;
const sockets: Socket[] = [];

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = new TcpProxy('echo', (echo.address() as { port: number }).port);
  await proxy.start();
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

async function open(): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(proxy.port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, received: () => received };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TcpProxy', () => {
  it('delivers what was sent during a partition once it heals, on old and new connections', async () => {
    const before = await open();
    before.socket.write('ping');
    await expect.poll(before.received, { timeout: 2000 }).toBe('ping');
    proxy.partition();
    before.socket.write('held');
    const during = await open();
    during.socket.write('new');
    await sleep(300);
    expect(before.received()).toBe('ping');
    expect(during.received()).toBe('');
    proxy.heal();
    await expect.poll(before.received, { timeout: 2000 }).toBe('pingheld');
    await expect.poll(during.received, { timeout: 2000 }).toBe('new');
  });

  it('with loseNew, loses the connections opened during the partition and delivers the others', async () => {
    const before = await open();
    proxy.partition({ loseNew: true });
    before.socket.write('held');
    const during = await open();
    during.socket.write('lost');
    proxy.heal();
    await expect.poll(before.received, { timeout: 2000 }).toBe('held');
    await sleep(300);
    expect(during.received()).toBe('');
    const after = await open();
    after.socket.write('after');
    await expect.poll(after.received, { timeout: 2000 }).toBe('after');
  });
});
