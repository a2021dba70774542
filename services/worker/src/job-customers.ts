import { sql } from 'drizzle-orm';
import { executePrepared, type Db } from '@licensing/db';

/** Jobs whose customer a worker process remembers; a few hundred bytes each. */
const REMEMBERED_JOBS = 10_000;

/**
 * The customer of each job that tasks name. A batch is applied one customer at a time, but a task
 * carries only its job's and user's ids (a third id would push it past Redis's 64-byte listpack
 * limit, see packages/queue): the customer is found through the job, by its id alone (the one
 * statement that looks a job up without its customer; license_jobs_id serves it), and remembered,
 * since a job's customer never changes. The jobs of a busy worker's tasks are few, so nearly every
 * batch finds them all here and costs no statement.
 */
export class JobCustomers {
  private readonly known = new Map<string, string>();
  /** Lookups in flight by job: the tasks of a new job arrive together and share one. */
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly db: Db,
    private readonly capacity = REMEMBERED_JOBS,
  ) {}

  /** The customer of one job; undefined when the job does not exist or cannot be looked up now. */
  customerOf(jobId: string): Promise<string | undefined> {
    const known = this.known.get(jobId);
    if (known !== undefined) return Promise.resolve(known);
    let lookup = this.pending.get(jobId);
    if (!lookup) {
      lookup = this.of([jobId])
        .then(
          (found) => found.get(jobId),
          () => undefined,
        )
        .finally(() => this.pending.delete(jobId));
      this.pending.set(jobId, lookup);
    }
    return lookup;
  }

  /** Customer by job id; a job that does not exist (any more) is absent. */
  async of(jobIds: Iterable<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(jobIds)) {
      const customerId = this.known.get(id);
      if (customerId === undefined) missing.push(id);
      else found.set(id, customerId);
    }
    if (missing.length === 0) return found;
    const rows = await executePrepared<{ id: string; customer_id: string }>(
      this.db,
      sql`SELECT id, customer_id FROM license_jobs WHERE id = any(${sql.param(missing)}::uuid[])`,
    );
    for (const r of rows) {
      found.set(r.id, r.customer_id);
      // The oldest remembered job goes first (a Map iterates in insertion order).
      if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value!);
      this.known.set(r.id, r.customer_id);
    }
    return found;
  }
}

/**
 * The tasks of a batch by customer, each group in the batch's order, with each task's place in the
 * batch. Tasks whose job is unknown (pruned, or deleted with its customer) are in no group: nothing
 * of theirs is left to apply.
 */
export function groupTasksByCustomer<T extends { jobId: string }>(
  tasks: readonly T[],
  customers: ReadonlyMap<string, string>,
): { customerId: string; tasks: T[]; places: number[] }[] {
  const groups = new Map<string, { customerId: string; tasks: T[]; places: number[] }>();
  for (const [place, task] of tasks.entries()) {
    const customerId = customers.get(task.jobId);
    if (customerId === undefined) continue;
    let group = groups.get(customerId);
    if (!group) {
      group = { customerId, tasks: [], places: [] };
      groups.set(customerId, group);
    }
    group.tasks.push(task);
    group.places.push(place);
  }
  return [...groups.values()];
}
