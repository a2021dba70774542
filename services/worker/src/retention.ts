import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@licensing/db';
import { WEBHOOK_PING } from '@licensing/domain';

export interface RetentionPolicy {
  /** Idempotency keys are honoured at least this long, then forgotten. */
  idempotencyKeyHours: number;
  /** Finished jobs, with their per-user results, are kept this long. */
  jobRetentionDays: number;
}

const PRUNE_BATCH = 500;

/**
 * Deletes expired idempotency keys and finished jobs past retention (their items go with them).
 * Jobs are deleted a bounded batch at a time so one pass never holds long locks.
 */
export async function pruneExpired(
  db: DbOrTx,
  policy: RetentionPolicy,
): Promise<{ idempotencyKeys: number; jobs: number; webhookDeliveries: number; auditEvents: number }> {
  const keys = await db.execute(sql`
    DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => ${policy.idempotencyKeyHours}) RETURNING 1`);
  let jobs = 0;
  for (;;) {
    // A job's items and progress go with it (no foreign key to cascade through; see migration 0002).
    // Finished jobs' items no longer change, so one statement's snapshot sees them all. Every row is
    // addressed by its customer and job, as the tables are keyed.
    const deleted = await db.execute(sql`
      WITH gone AS (
        DELETE FROM license_jobs WHERE (customer_id, id) IN (
          SELECT customer_id, id FROM license_jobs
          WHERE finished_at IS NOT NULL AND finished_at < now() - make_interval(days => ${policy.jobRetentionDays})
          LIMIT ${PRUNE_BATCH})
        RETURNING customer_id, id),
      items AS (DELETE FROM license_job_items WHERE (customer_id, job_id) IN (SELECT customer_id, id FROM gone)),
      progress AS (DELETE FROM license_job_progress WHERE (customer_id, job_id) IN (SELECT customer_id, id FROM gone))
      SELECT 1 FROM gone`);
    jobs += deleted.length;
    if (deleted.length < PRUNE_BATCH) break;
  }
  // Webhook deliveries that are over (delivered or failed) are kept as long as jobs are; test pings a day.
  let webhookDeliveries = 0;
  for (;;) {
    const deleted = await db.execute(sql`
      WITH gone AS (
        DELETE FROM webhook_deliveries WHERE id IN (
          SELECT id FROM webhook_deliveries
          WHERE status <> 'pending'
            AND (created_at < now() - make_interval(days => ${policy.jobRetentionDays})
                 OR (type = ${WEBHOOK_PING} AND created_at < now() - interval '1 day'))
          LIMIT ${PRUNE_BATCH})
        RETURNING id),
      attempts AS (DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (SELECT id FROM gone))
      SELECT 1 FROM gone`);
    webhookDeliveries += deleted.length;
    if (deleted.length < PRUNE_BATCH) break;
  }
  // The audit trail is kept as long as jobs are.
  let auditEvents = 0;
  for (;;) {
    const deleted = await db.execute(sql`
      DELETE FROM audit_events WHERE (customer_id, id) IN (
        SELECT customer_id, id FROM audit_events WHERE at < now() - make_interval(days => ${policy.jobRetentionDays}) LIMIT ${PRUNE_BATCH})
      RETURNING 1`);
    auditEvents += deleted.length;
    if (deleted.length < PRUNE_BATCH) break;
  }
  return { idempotencyKeys: keys.length, jobs, webhookDeliveries, auditEvents };
}
