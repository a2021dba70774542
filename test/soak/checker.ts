// The checker: compares what the system says with what must hold, while the soak runs (seats at
// sampled moments, straight from Postgres in one statement) and at the end (every accepted job
// final with counts that add up, every user's licenses equal to the fold of its history and to
// the job results in that order, seats, webhooks).
import { Webhook } from 'standardwebhooks';
import type postgres from 'postgres';
import type { Received } from '../support/webhook-receiver.ts';
import type { SoakHttp, SoakLedger } from './http.ts';
import { type Customer, jobCountProblems, PRODUCTS, type Partner, type Traffic } from './traffic.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STATE_CHANGES = new Set(['assigned', 'updated', 'revoked']);

export interface SeatSample {
  at: number;
  subscriptions: number;
}

/** Seat invariants in one snapshot of Postgres: holders + reserved ≤ quantity, counters = reservations. */
export async function sampleSeats(sql: postgres.Sql, ledger: SoakLedger, final = false): Promise<boolean> {
  let rows: {
    customer_id: string;
    product_id: string;
    quantity: number;
    holders: number;
    reserved: number;
    counter: number;
  }[];
  try {
    rows = await sql`
      SELECT s.customer_id, s.product_id, s.quantity,
        (SELECT count(*) FROM user_licenses l WHERE l.customer_id = s.customer_id AND l.product_id = s.product_id)::int AS holders,
        (SELECT count(*) FROM seat_reservations r WHERE r.customer_id = s.customer_id AND r.product_id = s.product_id)::int AS reserved,
        coalesce((SELECT c.reserved FROM reserved_seats c WHERE c.customer_id = s.customer_id AND c.product_id = s.product_id), 0)::int AS counter
      FROM subscriptions s`;
  } catch {
    return false; // Postgres is being broken right now; the next sample will tell
  }
  for (const r of rows) {
    const where = `${r.customer_id}/${r.product_id}`;
    if (r.holders + r.reserved > r.quantity || r.reserved < 0)
      ledger.violation(`seats ${where}: holders ${r.holders} + reserved ${r.reserved} > quantity ${r.quantity}`);
    if (r.counter !== r.reserved)
      ledger.violation(`seats ${where}: reserved counter ${r.counter} ≠ ${r.reserved} reservations of pending users`);
    if (final && r.reserved !== 0) ledger.violation(`seats ${where}: ${r.reserved} still reserved at the end`);
  }
  return true;
}

interface HistoryEntry {
  jobId: string;
  at: string;
  productId: string;
  action: 'assign' | 'revoke';
  outcome: string;
  disabledServicePlans?: string[];
}

export class Checker {
  /** For every scheduled job that ran: its start minus its notBefore (ms). */
  readonly scheduledLateness: number[] = [];

  constructor(
    private readonly http: SoakHttp,
    private readonly ledger: SoakLedger,
    private readonly traffic: Traffic,
    private readonly received: Received[],
    /** Direct to Postgres: the rows behind a violation, printed as evidence. */
    private readonly sql?: postgres.Sql,
    private readonly log: (line: string) => void = console.log,
  ) {}

  /** A user's items (in the order they were applied), its license rows and the jobs concerned. */
  private async evidence(userId: string): Promise<void> {
    if (!this.sql) return;
    try {
      const items = await this.sql`
        SELECT i.job_id, i.job_seq, i.status, i.finished_at, i.changes, i.error_codes, i.request,
          j.status AS job_status, j.assign, j.revoke, j.retry_of, j.revert_of, j.not_before, j.created_at
        FROM license_job_items i JOIN license_jobs j ON j.id = i.job_id
        WHERE i.user_id = ${userId} ORDER BY i.finished_at NULLS LAST, i.job_seq`;
      const licenses = await this.sql`
        SELECT product_id, disabled_service_plans, assigned_at FROM user_licenses WHERE user_id = ${userId}`;
      this.log(`EVIDENCE user ${userId} items: ${JSON.stringify(items)}`);
      this.log(`EVIDENCE user ${userId} licenses: ${JSON.stringify(licenses)}`);
    } catch (error) {
      this.log(`EVIDENCE user ${userId}: ${error}`);
    }
  }

  private async all<T>(kind: string, path: string, key: string): Promise<T[] | undefined> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await this.http.call(kind, 'GET', `${path}${sep}page=${page}&pageSize=500`, key);
      if (res?.status !== 200) {
        this.ledger.violation(`final check: GET ${path} page ${page} → ${res?.status ?? 'no answer'}`);
        return undefined;
      }
      items.push(...res.body.items);
      if (page >= res.body.totalPages) return items;
    }
  }

  /** Waits until every job the soak saw accepted is final; violations for those that never are. */
  async awaitJobs(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.traffic.pollOnce(50)) > 0) {
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    for (const job of this.traffic.jobs.values())
      if (!job.final)
        this.ledger.violation(
          `job ${job.id} (${job.kind}, accepted ${new Date(job.acceptedAt).toISOString()}) not final ${timeoutMs / 1000} s after the traffic stopped`,
        );
  }

  async finalCheck(
    partners: Partner[],
    webhookWaitMs: number,
  ): Promise<{ jobs: number; users: number; historyEntries: number; webhookEvents: number }> {
    let jobsChecked = 0;
    let usersChecked = 0;
    let historyEntries = 0;
    const finishedByPartner = new Map<Partner, any[]>();
    for (const partner of partners) {
      const finished: any[] = [];
      finishedByPartner.set(partner, finished);
      for (const customer of partner.customers) {
        const counts = await this.checkCustomer(customer);
        if (!counts) continue;
        jobsChecked += counts.jobs.length;
        usersChecked += counts.users;
        historyEntries += counts.history;
        finished.push(...counts.jobs);
      }
    }
    const webhookEvents = await this.checkWebhooks(finishedByPartner, webhookWaitMs);
    return { jobs: jobsChecked, users: usersChecked, historyEntries, webhookEvents };
  }

  private async checkCustomer(customer: Customer) {
    const key = customer.partner.key;
    const base = `/v1/customers/${customer.id}`;
    const jobs = await this.all<any>('final-jobs', `${base}/license-jobs`, key);
    const users = await this.all<any>('final-users', `${base}/users`, key);
    if (!jobs || !users) return undefined;
    const listed = new Set(jobs.map((j) => j.id));
    for (const tracked of this.traffic.jobs.values())
      if (tracked.customer === customer && !listed.has(tracked.id))
        this.ledger.violation(`job ${tracked.id} answered 202 but is not in the job list`);

    // Every job final, counts adding up, results agreeing with progress.
    const resultsByUser = new Map<string, Map<string, any>>();
    for (const job of jobs) {
      if (!job.finishedAt) {
        this.ledger.violation(`job ${job.id} (${job.status}) not final at the end`);
        continue;
      }
      for (const problem of jobCountProblems(job)) this.ledger.violation(`job ${job.id}: ${problem}`);
      const tracked = this.traffic.jobs.get(job.id);
      if (tracked?.final && tracked.final.status !== job.status)
        this.ledger.violation(`job ${job.id} was answered ${tracked.final.status}, is now ${job.status}`);
      if (tracked?.streamedStatus && tracked.streamedStatus !== job.status)
        this.ledger.violation(
          `job ${job.id}: its event stream finished with ${tracked.streamedStatus}, the job is ${job.status}`,
        );
      const results = await this.all<any>('final-results', `${base}/license-jobs/${job.id}/results`, key);
      if (!results) continue;
      const byStatus: Record<string, number> = { succeeded: 0, failed: 0, cancelled: 0, pending: 0 };
      for (const item of results) {
        byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
        const perUser = resultsByUser.get(item.userId) ?? new Map<string, any>();
        resultsByUser.set(item.userId, perUser);
        perUser.set(job.id, item);
      }
      const p = job.progress;
      if (
        results.length !== p.total ||
        byStatus.succeeded !== p.succeeded ||
        byStatus.failed !== p.failed ||
        byStatus.cancelled !== (p.cancelled ?? 0) ||
        byStatus.pending !== 0
      )
        this.ledger.violation(
          `job ${job.id}: results ${JSON.stringify(byStatus)} (${results.length}) ≠ progress ${JSON.stringify(p)}`,
        );
    }

    // Scheduled jobs: none started before its notBefore (Postgres's clock decides, whatever a
    // process's clock says), and none applied to a user before it (below).
    const notBefore = new Map<string, number>();
    for (const job of jobs) {
      if (!job.notBefore) continue;
      const due = Date.parse(job.notBefore);
      notBefore.set(job.id, due);
      // A job that applied nothing may finish (and so get its startedAt) early: its users deleted.
      if (!job.startedAt || job.status === 'cancelled' || !(job.progress?.succeeded > 0)) continue;
      const started = Date.parse(job.startedAt);
      if (started < due)
        this.ledger.violation(`job ${job.id} started at ${job.startedAt}, before its notBefore ${job.notBefore}`);
      else this.scheduledLateness.push(started - due);
    }

    // Every user's licenses: the fold of its history, whose every step is one its jobs' results
    // report, applied one after another (an assign where it was not held, a revoke where it was).
    let history = 0;
    const holders = new Map<string, number>();
    const flagged = new Set<string>();
    for (const user of users) {
      const entries = await this.all<HistoryEntry>('final-history', `${base}/users/${user.id}/license-history`, key);
      if (!entries) continue;
      entries.reverse();
      history += entries.length;
      const held = new Map<string, string>();
      const where = `user ${user.id} of ${customer.id}`;
      const applied = new Set<string>();
      for (const e of entries) {
        // Each job applies a change to a user once, and a scheduled job not before its time.
        const once = `${e.jobId}|${e.productId}|${e.action}`;
        if (applied.has(once))
          this.ledger.violation(`${where}: job ${e.jobId} ${e.action} ${e.productId} applied twice`);
        applied.add(once);
        const due = notBefore.get(e.jobId);
        if (due !== undefined && Date.parse(e.at) < due)
          this.ledger.violation(
            `${where}: scheduled job ${e.jobId} applied ${e.action} ${e.productId} at ${e.at}, before its notBefore ${new Date(due).toISOString()}`,
          );
        const plans = (e.disabledServicePlans ?? []).join(',');
        const has = held.has(e.productId);
        const ok =
          e.outcome === 'assigned'
            ? !has
            : e.outcome === 'updated'
              ? has && held.get(e.productId) !== plans
              : e.outcome === 'unchanged'
                ? has && held.get(e.productId) === plans
                : e.outcome === 'revoked'
                  ? has
                  : e.outcome === 'not_assigned'
                    ? !has
                    : true;
        if (!ok) flagged.add(user.id);
        if (!ok)
          this.ledger.violation(
            `${where}: job ${e.jobId} ${e.outcome} ${e.productId} [${plans}] at ${e.at}, but before it the user ${has ? `held it [${held.get(e.productId)}]` : 'did not hold it'}`,
          );
        if (e.outcome === 'assigned' || e.outcome === 'updated') held.set(e.productId, plans);
        if (e.outcome === 'revoked') held.delete(e.productId);
        const item = resultsByUser.get(user.id)?.get(e.jobId);
        const change = item?.changes?.find((c: any) => c.productId === e.productId && c.action === e.action);
        if (!change || change.outcome !== e.outcome)
          this.ledger.violation(
            `${where}: history says job ${e.jobId} ${e.outcome} ${e.productId}; its result says ${change ? change.outcome : 'nothing'}`,
          );
      }
      // Conversely, every change a job reports applied to this user is in its history.
      const inHistory = new Set(entries.map((e) => `${e.jobId}|${e.productId}|${e.outcome}`));
      for (const [jobId, item] of resultsByUser.get(user.id) ?? []) {
        if (item.status !== 'succeeded') continue;
        for (const c of item.changes)
          if (STATE_CHANGES.has(c.outcome) && !inHistory.has(`${jobId}|${c.productId}|${c.outcome}`))
            this.ledger.violation(
              `${where}: job ${jobId} reports ${c.outcome} ${c.productId}, missing from its history`,
            );
      }
      const actual = new Map<string, string>(
        user.licenses.map((l: any) => [l.productId, [...(l.disabledServicePlans ?? [])].sort().join(',')]),
      );
      const fold = [...held]
        .sort()
        .map(([p, plans]) => `${p}[${plans}]`)
        .join(' ');
      const now = [...actual]
        .sort()
        .map(([p, plans]) => `${p}[${plans}]`)
        .join(' ');
      if (fold !== now) flagged.add(user.id);
      if (fold !== now)
        this.ledger.violation(`${where}: licenses ${now || 'none'} ≠ the fold of its history ${fold || 'none'}`);
      for (const productId of actual.keys()) holders.set(productId, (holders.get(productId) ?? 0) + 1);
      // The catalog's rules hold for what the user ends with.
      if (actual.has(PRODUCTS.suite) && actual.has(PRODUCTS.rival))
        this.ledger.violation(`${where} holds ${PRODUCTS.suite} and ${PRODUCTS.rival}, which exclude each other`);
      if (actual.has(PRODUCTS.addon) && !actual.has(PRODUCTS.suite))
        this.ledger.violation(`${where} holds ${PRODUCTS.addon} without ${PRODUCTS.suite}`);
      const suitePlans = actual.get(PRODUCTS.suite)?.split(',') ?? [];
      if (suitePlans.includes('MAIL') && !suitePlans.includes('DOCS'))
        this.ledger.violation(`${where}: DOCS enabled without MAIL`);
    }

    for (const userId of [...flagged].slice(0, 5)) await this.evidence(userId);

    // Seats as the API says them: nothing reserved, assigned = the users holding the product.
    const subs = await this.http.call('final-subscriptions', 'GET', `${base}/subscriptions`, key);
    if (subs?.status === 200)
      for (const s of subs.body.items) {
        const count = holders.get(s.productId) ?? 0;
        if (s.reserved !== 0 || s.assigned !== count || s.assigned > s.quantity)
          this.ledger.violation(
            `seats ${customer.id}/${s.productId} at the end: assigned ${s.assigned} (holders ${count}), reserved ${s.reserved}, quantity ${s.quantity}`,
          );
      }
    else this.ledger.violation(`final check: GET ${base}/subscriptions → ${subs?.status}`);
    return { jobs, users: users.length, history };
  }

  /**
   * Every finished job's `license_job.finished` event reached the receiver at least once, signed,
   * every copy with one webhook-id. One whose retry is scheduled later than the soak lasts is
   * redelivered on request (its record must exist), then awaited.
   */
  private async checkWebhooks(finishedByPartner: Map<Partner, any[]>, waitMs: number): Promise<number> {
    const copies = (partner: Partner, jobId: string) =>
      this.received.filter((r) => r.path === partner.hookPath && safeJson(r.body)?.data?.id === jobId);
    const missing = () =>
      [...finishedByPartner].flatMap(([partner, jobs]) =>
        jobs.filter((j) => copies(partner, j.id).length === 0).map((j) => ({ partner, job: j })),
      );
    const deadline = Date.now() + waitMs;
    while (missing().length && Date.now() < deadline) await sleep(500);
    const late = missing();
    for (const { partner, job } of late) {
      const deliveries = await this.all<any>('final-deliveries', '/v1/webhook/deliveries', partner.key);
      const record = deliveries?.find((d) => d.jobId === job.id && d.type === 'license_job.finished');
      if (!record) {
        this.ledger.violation(
          `webhook: no delivery recorded for finished job ${job.id} of partner ${partner.index + 1}`,
        );
        continue;
      }
      const res = await this.http.call(
        'redeliver',
        'POST',
        `/v1/webhook/deliveries/${record.id}/redeliver`,
        partner.key,
      );
      this.ledger.count('webhook-late', `${record.status} after ${record.attempts} attempts (${res?.status})`);
    }
    const until = Date.now() + 30_000;
    while (late.some(({ partner, job }) => copies(partner, job.id).length === 0) && Date.now() < until)
      await sleep(500);
    let events = 0;
    for (const [partner, jobs] of finishedByPartner)
      for (const job of jobs) {
        const got = copies(partner, job.id);
        if (got.length === 0) {
          this.ledger.violation(`webhook: finished job ${job.id} of partner ${partner.index + 1} never delivered`);
          continue;
        }
        events++;
        const ids = new Set(got.map((r) => String(r.headers['webhook-id'])));
        if (ids.size !== 1)
          this.ledger.violation(`webhook: job ${job.id} delivered with ${ids.size} webhook-ids ${[...ids].join(' ')}`);
        for (const r of got) {
          try {
            const event = new Webhook(partner.secret).verify(r.body, {
              'webhook-id': String(r.headers['webhook-id']),
              'webhook-timestamp': String(r.headers['webhook-timestamp']),
              'webhook-signature': String(r.headers['webhook-signature']),
            }) as { type: string; data: any };
            if (event.type !== 'license_job.finished' || event.data.status !== job.status)
              this.ledger.violation(
                `webhook: job ${job.id} delivered as ${event.type} ${event.data.status}, the job is ${job.status}`,
              );
          } catch (error) {
            // A copy received long ago carries an old timestamp; standardwebhooks refuses those.
            if (!/timestamp/i.test(String(error)))
              this.ledger.violation(`webhook: job ${job.id}: signature does not verify (${error})`);
          }
        }
      }
    return events;
  }
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
