import { Gauge, type Registry } from 'prom-client';

export interface QueueCounts {
  getJobCounts: (
    ...types: ('waiting' | 'active' | 'delayed' | 'failed' | 'prioritized' | 'completed')[]
  ) => Promise<Record<string, number>>;
}

/** Queue depth per state, read from Redis when Prometheus scrapes. */
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
}
