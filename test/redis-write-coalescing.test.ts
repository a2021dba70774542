// The Redis connections of every service send the commands issued in one tick in one system call
// (a finished batch completes hundreds of BullMQ tasks at once), and every command still gets its
// own reply, in order, after a reconnect too. Counted on the real Redis, from /proc/self/io.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '@licensing/http';

const writeCalls = () => Number(/syscw: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
const key = `test-coalesce-${randomUUID()}`;
const clients: Redis[] = [];
afterAll(async () => {
  await clients[0]?.del(key);
  for (const client of clients) await client.quit();
});

/** Issues 200 INCRs in one tick; answers the replies and the write system calls it took. */
async function burst(client: Redis) {
  await client.ping(); // connected, nothing else in flight
  const before = writeCalls();
  const replies = await Promise.all(Array.from({ length: 200 }, () => client.incr(key)));
  return { replies, writes: writeCalls() - before };
}

describe('Redis write coalescing', () => {
  it('sends a tick of commands in a few writes instead of one per command, replies in order', async () => {
    const plain = new Redis(inject('redisUrl'));
    const coalesced = createRedis(inject('redisUrl'), 'worker');
    clients.push(plain, coalesced);
    await plain.del(key);

    const uncorked = await burst(plain);
    expect(uncorked.replies).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(uncorked.writes).toBeGreaterThanOrEqual(200);

    const corked = await burst(coalesced);
    expect(corked.replies).toEqual(Array.from({ length: 200 }, (_, i) => i + 201));
    expect(corked.writes).toBeLessThan(10);
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
    const { replies, writes } = await burst(client);
    expect(replies[199]! - replies[0]!).toBe(199);
    expect(writes).toBeLessThan(10);
  });
});
