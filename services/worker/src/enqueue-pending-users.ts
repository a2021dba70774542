import { sql } from 'drizzle-orm';
import { markTasksEnqueued, type Db } from '@licensing/db';
import type { RedisClient } from '@licensing/redis';
import { type EnqueuedJob, enqueueLicenseTasks, type LicenseTaskQueues } from '@licensing/queue';

const PAGE = 5000;

/**
 * Adds a task for every pending user of a job, a page of users at a time in list order, then marks
 * the job's tasks enqueued. A user whose task is still queued gets a second one, which finds it done
 * and changes nothing. Answers how many tasks were added. `job` is a job of `job.customerId`.
 */
export async function enqueuePendingUsers(
  deps: { db: Db; queues: LicenseTaskQueues; redis: RedisClient },
  job: EnqueuedJob,
): Promise<number> {
  const { db, queues, redis } = deps;
  let enqueued = 0;
  let after = -1;
  for (;;) {
    const rows = await db.execute<{ user_id: string; position: number }>(sql`
      SELECT user_id, position FROM license_job_items
      WHERE customer_id = ${job.customerId} AND job_id = ${job.id} AND status = 'pending' AND position > ${after}
      ORDER BY position LIMIT ${PAGE}`);
    if (rows.length === 0) break;
    await enqueueLicenseTasks(
      queues.forCustomer(job.customerId),
      redis,
      job,
      rows.map((r) => r.user_id),
      { express: queues.expressFor(job.customerId) },
    );
    enqueued += rows.length;
    after = rows[rows.length - 1]!.position;
  }
  await markTasksEnqueued(db, { customerId: job.customerId, id: job.id });
  return enqueued;
}
