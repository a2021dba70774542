import type { Cluster, Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

export interface QueueCounts {
  getJobCounts: (
    ...types: ('waiting' | 'active' | 'delayed' | 'failed' | 'prioritized' | 'completed')[]
  ) => Promise<Record<string, number>>;
  getJobs: (
    types: 'waiting' | 'prioritized',
    start: number,
    end: number,
    asc: boolean,
  ) => Promise<({ timestamp: number } | undefined)[]>;
}

/**
 * Queue depth per state, and the age of the oldest task waiting for a worker, read from Redis when
 * Prometheus scrapes. The age is what an operator pages on: a deep queue that drains is fine, a task
 * that waits for minutes is not.
 */
export function registerQueueDepthGauge(registry: Registry, queues: Record<string, QueueCounts>): void {
  new Gauge({
    name: 'bullmq_queue_jobs',
    help: 'Tasks in a BullMQ queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        try {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        } catch {
          // Redis away: leave the last values; readyz reports the outage.
        }
      }
    },
  });
  new Gauge({
    name: 'bullmq_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest task waiting (or prioritized) in a BullMQ queue, 0 when none waits',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const now = Date.now();
      for (const [name, queue] of Object.entries(queues)) {
        try {
          this.set({ queue: name }, (now - (await oldestWaitingTimestamp(queue, now))) / 1000);
        } catch {
          // Redis away: leave the last value; readyz reports the outage.
        }
      }
    },
  });
}

/** The creation time of the oldest waiting task: the tail of the waiting list, the front of the prioritized set. */
async function oldestWaitingTimestamp(queue: QueueCounts, now: number): Promise<number> {
  let oldest = now;
  for (const state of ['waiting', 'prioritized'] as const) {
    const [job] = await queue.getJobs(state, 0, 0, true);
    if (job && job.timestamp < oldest) oldest = job.timestamp;
  }
  return oldest;
}

// KEYS: a queue's wait list, prioritized set and meta hash. The tasks a worker could take now:
// none while the queue is paused (BullMQ keeps a paused queue's tasks in its wait list).
const WAITING_SCRIPT = `
if redis.call('HEXISTS', KEYS[3], 'paused') == 1 then return 0 end
return redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])`;

/** How many tasks wait for a worker in a queue (`keyOf`: the queue's or a worker's `toKey`), 0 while it is paused. */
export async function countWaitingTasks(client: Redis | Cluster, keyOf: (type: string) => string): Promise<number> {
  return Number(await client.eval(WAITING_SCRIPT, 3, keyOf('wait'), keyOf('prioritized'), keyOf('meta')));
}
