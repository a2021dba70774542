import { withTimeout } from '@licensing/http';
import type { LicenseTask } from '@licensing/queue';

interface Waiting {
  task: LicenseTask;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for per-user tasks: BullMQ hands over one task per user, and each call waits here
 * until its user has been applied. Whenever a batch slot is free, everything that queued up
 * meanwhile (up to maxBatch) goes to Postgres together (one transaction per customer in it). Under
 * load, batches grow by themselves; when idle, a task is applied alone with no added delay. A second
 * batch starts alongside one in flight only once at least minBatch tasks wait for it.
 *
 * Express tasks (interactive jobs: someone waits for them) go ahead of the others in the next batch,
 * and when every slot is taken they get one more slot of their own: a batch of express tasks only,
 * so a 5-user job never waits for a bulk batch to commit first.
 */
export class UserTaskBatcher {
  private readonly waiting: Waiting[] = [];
  private readonly express: Waiting[] = [];
  private inFlight = 0;
  private expressInFlight = false;

  constructor(
    /** Applies a batch and answers, per task, its error or undefined. */
    private readonly applyBatch: (tasks: LicenseTask[]) => Promise<(unknown | undefined)[]>,
    private readonly options: { maxBatch: number; parallelism: number; timeoutMs?: number; minBatch?: number },
  ) {}

  submit(task: LicenseTask, express = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      (express ? this.express : this.waiting).push({ task, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    const minBatch = this.options.minBatch ?? Math.ceil(this.options.maxBatch / 4);
    while (this.inFlight < this.options.parallelism && this.waiting.length + this.express.length > 0) {
      // With a batch already in flight, a small one would hold a slot (and a connection) for as long
      // as a full one while doing little: it waits until enough tasks have queued up or the batch in
      // flight is done. When nothing is in flight, whatever is waiting goes at once.
      if (this.inFlight > 0 && this.express.length === 0 && this.waiting.length < minBatch) break;
      const batch = this.express.splice(0, this.options.maxBatch);
      batch.push(...this.waiting.splice(0, this.options.maxBatch - batch.length));
      this.inFlight += 1;
      this.apply(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
    if (this.express.length > 0 && !this.expressInFlight) {
      const batch = this.express.splice(0, this.options.maxBatch);
      this.expressInFlight = true;
      this.apply(batch).finally(() => {
        this.expressInFlight = false;
        this.flush();
      });
    }
  }

  private apply(batch: Waiting[]): Promise<void> {
    // A batch that neither commits nor fails in time (a connection lost mid-transaction can leave a
    // query hanging) gives its tasks back to BullMQ for a retry instead of holding its slot forever.
    // If it does commit later, the retried tasks find their users done and change nothing.
    return withTimeout(
      this.applyBatch(batch.map((w) => w.task)),
      this.options.timeoutMs ?? 60_000,
      'batch did not finish',
    ).then(
      (errors) => {
        for (const [i, w] of batch.entries()) {
          if (errors[i] === undefined) w.resolve();
          else w.reject(errors[i]);
        }
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }
}
