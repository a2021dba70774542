// The Redis connections of every service send the commands issued in one tick in one system call
// (a finished batch completes hundreds of BullMQ tasks at once), and every command still gets its
// own reply, in order, after a reconnect too. Counted on the real Redis: the writes handed to the
// socket (each one write system call), and the process's write system calls from /proc/self/io,
// which also counts whatever else this test process writes meanwhile (the test runner's own
// messages), so that count is only held to be far below one per command.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '../src/connection.ts';

const writeCalls = () => Number(/syscw: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
const key = `test-coalesce-${randomUUID()}`;
const clients: Redis[] = [];
afterAll(async () => {
  await clients[0]?.del(key);
  for (const client of clients) await client.quit();
});

type Writes = (...args: unknown[]) => unknown;

/** Issues 200 INCRs in one tick; answers the replies, the socket's writes and the write system calls. */
async function burst(client: Redis) {
  await client.ping(); // connected, nothing else in flight
  const socket = client.stream as Socket & { _write: Writes; _writev?: Writes };
  const { _write: write, _writev: writev } = socket;
  let socketWrites = 0;
  socket._write = function (this: Socket, ...args: unknown[]) {
    socketWrites += 1;
    return write.apply(this, args);
  };
  if (writev) {
    socket._writev = function (this: Socket, ...args: unknown[]) {
      socketWrites += 1;
      return writev.apply(this, args);
    };
  }
  const before = writeCalls();
  try {
    const replies = await Promise.all(Array.from({ length: 200 }, () => client.incr(key)));
    return { replies, socketWrites, writes: writeCalls() - before };
  } finally {
    socket._write = write;
    socket._writev = writev;
  }
}

describe('Redis write coalescing', () => {
  it('sends a tick of commands in a few writes instead of one per command, replies in order', async () => {
    const plain = new Redis(inject('redisUrl'));
    const coalesced = createRedis(inject('redisUrl'), 'worker');
    clients.push(plain, coalesced);
    await plain.del(key);

    const uncorked = await burst(plain);
    expect(uncorked.replies).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(uncorked.socketWrites).toBe(200);
    expect(uncorked.writes).toBeGreaterThanOrEqual(200);

    const corked = await burst(coalesced);
    expect(corked.replies).toEqual(Array.from({ length: 200 }, (_, i) => i + 201));
    expect(corked.socketWrites).toBeLessThanOrEqual(2);
    expect(corked.writes).toBeLessThan(50);
  });

  it('coalesces on the new socket after a reconnect', async () => {
    const client = createRedis(inject('redisUrl'), 'worker');
    clients.push(client);
    await client.ping();
    const first = client.stream;
    const reconnected = new Promise((resolve) => client.once('ready', resolve));
    client.disconnect(true);
    await reconnected;
    expect(client.stream).not.toBe(first);
    const { replies, socketWrites, writes } = await burst(client);
    expect(replies[199]! - replies[0]!).toBe(199);
    expect(socketWrites).toBeLessThanOrEqual(2);
    expect(writes).toBeLessThan(50);
  });
});
