// The task as stored in Redis: compact enough for Redis to keep each task's hash as a listpack
// (the bench measures what that is worth), and decoded back to exactly the ids it was made from.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compactUuid,
  DEFAULT_FAIR_SHARE,
  decodeLicenseTask,
  encodeLicenseTask,
  enqueueLicenseTasks,
  expandUuid,
  fairClockKey,
  PRIORITY_LEVELS,
} from '@licensing/queue';
import { createTestEnv, type TestEnv } from './support/test-env.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('license tasks in Redis', () => {
  it('round-trips job and user ids through the compact form', () => {
    for (let i = 0; i < 200; i++) {
      const task = { jobId: randomUUID(), userId: randomUUID() };
      const data = encodeLicenseTask(task);
      expect(data.j).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(decodeLicenseTask(data)).toEqual(task);
    }
    expect(expandUuid(compactUuid('00000000-0000-4000-8000-00000000000A'))).toBe(
      '00000000-0000-4000-8000-00000000000a',
    );
    expect(() => compactUuid('not-a-uuid')).toThrow(TypeError);
    for (const bad of [
      undefined,
      null,
      {},
      { j: 'x', u: 'y' },
      { jobId: 'x', userId: randomUUID() },
      { ...encodeLicenseTask({ jobId: randomUUID(), userId: randomUUID() }), extra: 1 },
    ]) {
      expect(decodeLicenseTask(bad)).toBeUndefined();
    }
    // Tasks left in Redis by the previous version (full UUIDs, with the customer's id) still decode.
    const legacy = { jobId: randomUUID(), customerId: randomUUID(), userId: randomUUID() };
    expect(decodeLicenseTask(legacy)).toEqual({ jobId: legacy.jobId, userId: legacy.userId });
  });

  it('stores every task as a hash of short fields, which Redis keeps as a listpack', async () => {
    const jobId = randomUUID();
    const users = [randomUUID(), randomUUID(), randomUUID()];
    await env.queue.pause();
    // The longest stored options: the last priority level before the levels wrap around.
    await env.redis.set(fairClockKey(env.queue.toKey), String((PRIORITY_LEVELS - 1) * DEFAULT_FAIR_SHARE.chunk));
    const bulk = {
      id: jobId,
      partnerId: randomUUID(),
      customerId: randomUUID(),
      userCount: DEFAULT_FAIR_SHARE.interactiveMaxUsers + 1,
    };
    await enqueueLicenseTasks(env.queue, env.redis, bulk, users);
    const tasks = await env.queue.getPrioritized();
    expect(tasks.map((t) => t.priority)).toEqual([PRIORITY_LEVELS, PRIORITY_LEVELS, PRIORITY_LEVELS]);
    expect(tasks.map((t) => decodeLicenseTask(t.data)).sort((a, b) => a!.userId.localeCompare(b!.userId))).toEqual(
      users.sort().map((userId) => ({ jobId, userId })),
    );
    for (const task of tasks) {
      const key = `${env.prefix}:license-tasks:${task.id}`;
      const fields = await env.redis.hgetall(key);
      for (const [field, value] of Object.entries(fields))
        expect(Buffer.byteLength(value), `${field}: ${value}`).toBeLessThanOrEqual(64);
      expect(['listpack', 'ziplist']).toContain(await env.redis.object('ENCODING', key));
    }
    // An interactive job's tasks take the express lane: BullMQ's wait list, without a priority.
    const interactive = { id: randomUUID(), partnerId: randomUUID(), customerId: randomUUID(), userCount: 2 };
    await enqueueLicenseTasks(env.queue, env.redis, interactive, users.slice(0, 2));
    const express = await env.queue.getWaiting();
    expect(express.map((t) => [decodeLicenseTask(t.data)?.jobId, t.priority])).toEqual([
      [interactive.id, 0],
      [interactive.id, 0],
    ]);
    await env.queue.obliterate({ force: true });
  });
});
