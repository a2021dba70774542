import type { Db } from '@licensing/db';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AppliedItem } from './apply-user-changes.ts';

/** Business metrics of the worker: per-user tasks by outcome and error code, batches, finished jobs. */
export function createWorkerMetrics(registry: Registry) {
  const tasks = new Counter({
    name: 'license_tasks_processed_total',
    help: 'Per-user tasks applied, by outcome',
    labelNames: ['status'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'license_task_errors_total',
    help: 'Failed per-user tasks, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'license_task_batch_duration_seconds',
    help: 'Duration of one batch transaction applying many users of one customer',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'license_task_batch_size',
    help: 'Users applied per batch transaction (one customer each)',
    buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const taskDuration = new Histogram({
    name: 'license_task_duration_seconds',
    help: 'Time from a task being handed to the worker until its user is applied',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: 'license_jobs_finished_total',
    help: 'Bulk jobs finished, by final status',
    labelNames: ['status'],
    registers: [registry],
  });
  const stalls = new Counter({
    name: 'license_worker_stalls_total',
    help: "A queue's worker found stalled (tasks waiting, free slots, none taken) and replaced, by queue",
    labelNames: ['queue'],
    registers: [registry],
  });
  return {
    taskDuration,
    onStall(queue: string) {
      stalls.inc({ queue });
    },
    onApplied(items: AppliedItem[], seconds: number) {
      batchDuration.observe(seconds);
      batchSize.observe(items.length);
      for (const item of items) {
        tasks.inc({ status: item.status });
        for (const code of item.errorCodes) errors.inc({ code });
      }
    },
    onJobFinished(job: { status: string }) {
      jobsFinished.inc({ status: job.status });
    },
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/**
 * Unfinished bulk jobs, read from Postgres (the partial index on unfinished jobs) when Prometheus
 * scrapes. With the tasks-processed counter they tell a stuck job (unfinished, nothing applied for a
 * while) from a busy one. A scheduled job waiting for its time is neither: it is counted apart, and
 * a job that was scheduled is as old as the time since it became due.
 */
export function registerJobGauges(registry: Registry, db: Db): void {
  new Gauge({
    name: 'license_jobs_unfinished',
    help: 'Bulk license jobs not yet finished (queued or running)',
    registers: [registry],
    async collect() {
      const [row] = await db.execute<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM license_jobs WHERE finished_at IS NULL AND status <> 'scheduled'`,
      );
      this.set(row?.count ?? 0);
    },
  });
  new Gauge({
    name: 'license_jobs_scheduled',
    help: 'Bulk license jobs waiting for their notBefore',
    registers: [registry],
    async collect() {
      const [row] = await db.execute<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM license_jobs WHERE status = 'scheduled'`,
      );
      this.set(row?.count ?? 0);
    },
  });
  new Gauge({
    name: 'license_jobs_oldest_unfinished_age_seconds',
    help: 'Age of the oldest unfinished bulk license job, 0 when none',
    registers: [registry],
    async collect() {
      const [row] = await db.execute<{ age: number | null }>(sql`
        SELECT extract(epoch FROM now() - min(greatest(created_at, not_before)))::float8 AS age FROM license_jobs
        WHERE finished_at IS NULL AND status <> 'scheduled'`);
      this.set(row?.age ?? 0);
    },
  });
}
