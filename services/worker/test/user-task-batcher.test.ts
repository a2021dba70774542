// Group commit of per-user tasks: how tasks are grouped into batches. The batches' Postgres side is
// covered end to end in test/; here the grouping itself, with a batch function the test controls.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LicenseTask } from '@licensing/queue';
import { UserTaskBatcher } from '../src/user-task-batcher.ts';

const task = (): LicenseTask => ({ jobId: randomUUID(), userId: randomUUID() });

/** A batch function whose batches finish when the test says so. */
function controlledBatches() {
  const batches: { tasks: LicenseTask[]; finish: (errors?: (unknown | undefined)[]) => void }[] = [];
  const apply = (tasks: LicenseTask[]) =>
    new Promise<(unknown | undefined)[]>((resolve) =>
      batches.push({ tasks, finish: (errors) => resolve(errors ?? tasks.map(() => undefined)) }),
    );
  return { batches, apply };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('UserTaskBatcher', () => {
  it('applies a lone task at once when nothing is in flight', async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 100, parallelism: 2 });
    const done = batcher.submit(task());
    expect(batches).toHaveLength(1);
    batches[0]!.finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('starts a second batch beside one in flight only once minBatch tasks wait, and never exceeds maxBatch', async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 8, parallelism: 2, minBatch: 3 });
    const first = batcher.submit(task());
    expect(batches.map((b) => b.tasks.length)).toEqual([1]);
    const waiting = [batcher.submit(task()), batcher.submit(task())];
    expect(batches).toHaveLength(1); // 2 < minBatch: they wait
    waiting.push(batcher.submit(task()));
    expect(batches.map((b) => b.tasks.length)).toEqual([1, 3]);
    const more = Array.from({ length: 11 }, () => batcher.submit(task()));
    expect(batches).toHaveLength(2); // both slots busy
    batches[0]!.finish();
    await first;
    await settle();
    expect(batches.map((b) => b.tasks.length)).toEqual([1, 3, 8]);
    batches[1]!.finish();
    batches[2]!.finish();
    await Promise.all(waiting);
    await settle();
    // The last 3 reach minBatch: they go as soon as a slot frees.
    expect(batches.map((b) => b.tasks.length)).toEqual([1, 3, 8, 3]);
    batches[3]!.finish();
    await Promise.all(more);
  });

  it("holds the tasks of at most maxKeys customers in a batch, those of its oldest tasks'; the others keep their places", async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 100, parallelism: 1, maxKeys: 2 });
    const keyed = (key: string) => ({ ...task(), key });
    const busy = batcher.submit(task(), false, 'first');
    // One partner's small jobs over many customers, another's big job (customer B) among them.
    const order = ['a1', 'B', 'a2', 'B', 'a3', 'B', 'a4', 'B', 'a1', 'B'];
    const tasks = order.map(keyed);
    const done = tasks.map((t) => batcher.submit({ jobId: t.jobId, userId: t.userId }, false, t.key));
    batches[0]!.finish();
    await busy;
    await settle();
    const keyOf = new Map(tasks.map((t) => [t.userId, t.key]));
    const keysIn = (b: number) => batches[b]!.tasks.map((t) => keyOf.get(t.userId));
    expect(keysIn(1)).toEqual(['a1', 'B', 'B', 'B', 'B', 'a1', 'B']);
    batches[1]!.finish();
    await settle();
    expect(keysIn(2)).toEqual(['a2', 'a3']);
    batches[2]!.finish();
    await settle();
    expect(keysIn(3)).toEqual(['a4']);
    batches[3]!.finish();
    await Promise.all(done);
  });

  it('gives express tasks a slot of their own when every slot is busy, and puts them first in the next batch', async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 4, parallelism: 1 });
    const bulk = Array.from({ length: 5 }, () => batcher.submit(task()));
    expect(batches.map((b) => b.tasks.length)).toEqual([1]); // the lone first task; the rest wait
    const first = task();
    const firstDone = batcher.submit(first, true);
    // The only slot is busy: the express task goes at once, alone, in the express slot.
    expect(batches.map((b) => b.tasks)).toEqual([batches[0]!.tasks, [first]]);
    const later = task();
    const laterDone = batcher.submit(later, true);
    expect(batches).toHaveLength(2); // the express slot is busy too: it waits
    batches[0]!.finish();
    await settle();
    // The freed slot takes the waiting express task first, then bulk tasks up to maxBatch.
    expect(batches[2]!.tasks[0]).toBe(later);
    expect(batches[2]!.tasks).toHaveLength(4);
    batches[1]!.finish();
    await firstDone;
    batches[2]!.finish();
    await laterDone;
    await settle();
    expect(batches.map((b) => b.tasks.length)).toEqual([1, 1, 4, 1]);
    batches[3]!.finish();
    await Promise.all(bulk);
  });

  it("runs express batches of one customer each side by side, none waiting for another customer's", async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 300, parallelism: 1, expressSlots: 2 });
    const keyOf = new Map<string, string>();
    const submit = (key: string) => {
      const t = task();
      keyOf.set(t.userId, key);
      return batcher.submit(t, true, key);
    };
    const keysIn = (b: number) => batches[b]!.tasks.map((t) => keyOf.get(t.userId));
    // A partner's 100-user job in the express lane, its tasks handed over one by one (as BullMQ
    // does): the first takes the ordinary slot, the second an express slot, the rest wait for them.
    const flood = Array.from({ length: 100 }, () => submit('flooder'));
    expect(batches.map((b) => keysIn(batches.indexOf(b)))).toEqual([['flooder'], ['flooder']]);
    // Another customer's 5-user job waits for neither: the other express slot takes it, and the
    // flooder's waiting tasks are not doubled into it.
    const small = Array.from({ length: 5 }, () => submit('victim'));
    expect(batches).toHaveLength(3);
    expect(keysIn(2)).toEqual(['victim']);
    batches[2]!.finish();
    await settle();
    expect(keysIn(3)).toEqual(Array(4).fill('victim'));
    batches[3]!.finish();
    await Promise.all(small);
    // The flooder's rest goes once its own batches are done.
    batches[1]!.finish();
    await settle();
    expect(keysIn(4)).toEqual(Array(98).fill('flooder'));
    batches[0]!.finish();
    batches[4]!.finish();
    await Promise.all(flood);
  });

  it('hands each task its own outcome, and a failed batch fails all of its tasks', async () => {
    const { batches, apply } = controlledBatches();
    const batcher = new UserTaskBatcher(apply, { maxBatch: 10, parallelism: 1 });
    const a = batcher.submit(task());
    const rest = [batcher.submit(task()), batcher.submit(task())];
    batches[0]!.finish();
    await a;
    await settle();
    batches[1]!.finish([undefined, new Error('user failed')]);
    await expect(rest[0]).resolves.toBeUndefined();
    await expect(rest[1]).rejects.toThrow('user failed');

    const failing = new UserTaskBatcher(() => Promise.reject(new Error('database away')), {
      maxBatch: 10,
      parallelism: 1,
    });
    await expect(failing.submit(task())).rejects.toThrow('database away');
  });
});
