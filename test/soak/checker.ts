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
const STATE_CHANGES = new Set(['assigned', 'updated', 'revoked', 'inherited']);

/** What the final check covered. */
export interface FinalCounts {
  jobs: number;
  users: number;
  historyEntries: number;
  webhookEvents: number;
  /** Groups of the customers at the end, and the jobs that processed group changes. */
  groups?: number;
  groupJobs?: number;
  /** Users those jobs left waiting for a seat (each licensed later, or still waiting with none free). */
  groupUsersLeftWaiting?: number;
}

export interface SeatSample {
  at: number;
  subscriptions: number;
}

/**
 * Seat invariants in one snapshot of Postgres: holders + reserved ≤ quantity, counters = reservations,
 * the kept number of holders (migration 0023) = holders; and each customer's kept number of users
 * equals its users.
 */
export async function sampleSeats(sql: postgres.Sql, ledger: SoakLedger, final = false): Promise<boolean> {
  let rows: {
    customer_id: string;
    product_id: string;
    quantity: number;
    holders: number;
    keptHolders: number;
    reserved: number;
    counter: number;
  }[];
  let userCounts: { id: string; real: number; kept: number }[];
  try {
    rows = await sql`
      SELECT s.customer_id, s.product_id, s.quantity,
        (SELECT count(*) FROM user_licenses l WHERE l.customer_id = s.customer_id AND l.product_id = s.product_id)::int AS holders,
        (SELECT coalesce(sum(h.holders), 0) FROM license_holder_deltas h WHERE h.customer_id = s.customer_id AND h.product_id = s.product_id)::int AS "keptHolders",
        (SELECT count(*) FROM seat_reservations r WHERE r.customer_id = s.customer_id AND r.product_id = s.product_id)::int AS reserved,
        coalesce((SELECT c.reserved FROM reserved_seats c WHERE c.customer_id = s.customer_id AND c.product_id = s.product_id), 0)::int AS counter
      FROM subscriptions s`;
    // Each customer's number of users as the triggers keep it (migration 0022) against a count.
    userCounts = await sql`
      SELECT c.id, (SELECT count(*) FROM users u WHERE u.customer_id = c.id)::int AS real,
        (SELECT coalesce(sum(d.users), 0) FROM customer_user_deltas d WHERE d.customer_id = c.id)::int AS kept
      FROM customers c`;
  } catch {
    return false; // Postgres is being broken right now; the next sample will tell
  }
  for (const c of userCounts)
    if (c.kept !== c.real) ledger.violation(`customer ${c.id}: ${c.kept} users counted, ${c.real} users`);
  for (const r of rows) {
    const where = `${r.customer_id}/${r.product_id}`;
    if (r.holders + r.reserved > r.quantity || r.reserved < 0)
      ledger.violation(`seats ${where}: holders ${r.holders} + reserved ${r.reserved} > quantity ${r.quantity}`);
    if (r.keptHolders !== r.holders)
      ledger.violation(`seats ${where}: ${r.keptHolders} holders counted, ${r.holders} holders`);
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
  error?: { code: string; productIds?: string[]; groupIds?: string[] };
  /** A change one of the user's groups made once the job's own were applied. */
  groupId?: string;
}

/** A license in the model: its plans in force and its sources (the direct one, and groups). */
interface ModelLicense {
  plans: string;
  direct: boolean;
  groups: Set<string>;
}

/**
 * The history in the order the changes were applied. The API lists it newest job first, and within
 * a job's item the changes in the order recorded, the group changes made once the job's own were
 * applied listed first: each item's entries are put back in order (the job's own, then its groups').
 */
export function appliedOrder(newestFirst: HistoryEntry[]): HistoryEntry[] {
  const items: HistoryEntry[][] = [];
  for (const e of newestFirst) {
    const last = items.at(-1);
    if (last && last[0]!.jobId === e.jobId && last[0]!.at === e.at) last.push(e);
    else items.push([e]);
  }
  return items.reverse().flatMap((item) => [...item.filter((e) => !e.groupId), ...item.filter((e) => e.groupId)]);
}

/** Whether a user matches a dynamic group's rule (every condition given; a list matches any value). */
export function matchesRule(
  rule: { departments?: string[]; usageLocations?: string[]; userPrincipalNameSuffixes?: string[] },
  user: { department: string | null; usageLocation: string | null; userPrincipalName: string },
  customerCountry: string,
): boolean {
  if (rule.departments && !(user.department !== null && rule.departments.includes(user.department))) return false;
  if (rule.usageLocations && !rule.usageLocations.includes(user.usageLocation ?? customerCountry)) return false;
  if (
    rule.userPrincipalNameSuffixes &&
    !rule.userPrincipalNameSuffixes.some((x) => user.userPrincipalName.toLowerCase().endsWith(x.toLowerCase()))
  )
    return false;
  return true;
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

  async finalCheck(partners: Partner[], webhookWaitMs: number): Promise<FinalCounts> {
    let jobsChecked = 0;
    let groupJobs = 0;
    let groupsChecked = 0;
    let waitedForSeats = 0;
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
        groupJobs += counts.jobs.filter((j: any) => j.source?.type === 'group').length;
        groupsChecked += counts.groups;
        usersChecked += counts.users;
        historyEntries += counts.history;
        finished.push(...counts.jobs);
      }
    }
    const webhookEvents = await this.checkWebhooks(finishedByPartner, webhookWaitMs);
    // Members who waited for a seat at some point: their group jobs' users left waiting.
    for (const jobs of finishedByPartner.values())
      for (const j of jobs) if (j.source?.type === 'group') waitedForSeats += j.errorsByCode?.CountViolation ?? 0;
    return {
      jobs: jobsChecked,
      users: usersChecked,
      historyEntries,
      webhookEvents,
      groups: groupsChecked,
      groupJobs,
      groupUsersLeftWaiting: waitedForSeats,
    };
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
    // report (or, with a groupId, one of its groups made once the job's were applied), applied one
    // after another. The model keeps each license's sources: a license job's changes are the direct
    // source's, a group job's (and a group change's) its group's. An assign where the user did not
    // hold the product, a revoke that takes the license only with its last source, an `inherited`
    // (the direct source goes, a group's stays), and so on; the plans in force after each change are
    // the ones the history gives it.
    const sourceGroup = new Map<string, string>();
    for (const job of jobs) if (job.source?.type === 'group') sourceGroup.set(job.id, job.source.groupId);
    let history = 0;
    const holders = new Map<string, number>();
    const flagged = new Set<string>();
    for (const user of users) {
      const listed = await this.all<HistoryEntry>('final-history', `${base}/users/${user.id}/license-history`, key);
      if (!listed) continue;
      const entries = appliedOrder(listed);
      history += entries.length;
      const held = new Map<string, ModelLicense>();
      const where = `user ${user.id} of ${customer.id}`;
      const applied = new Set<string>();
      const wrong = (e: HistoryEntry, why: string) => {
        flagged.add(user.id);
        const before = held.get(e.productId);
        this.ledger.violation(
          `${where}: job ${e.jobId}${e.groupId ? ` (group ${e.groupId})` : ''} ${e.action} ${e.outcome} ${e.productId} [${(e.disabledServicePlans ?? []).join(',')}] at ${e.at}: ${why}; before it the user ${before ? `held it [${before.plans}] ${describeSources(before)}` : 'did not hold it'}`,
        );
      };
      for (const e of entries) {
        const group = e.groupId ?? sourceGroup.get(e.jobId);
        // Each job applies a change to a user once (per source), and a scheduled job not before its time.
        const once = `${e.jobId}|${e.groupId ?? ''}|${e.productId}|${e.action}`;
        if (applied.has(once))
          this.ledger.violation(`${where}: job ${e.jobId} ${e.action} ${e.productId} applied twice`);
        applied.add(once);
        const due = notBefore.get(e.jobId);
        if (due !== undefined && Date.parse(e.at) < due)
          this.ledger.violation(
            `${where}: scheduled job ${e.jobId} applied ${e.action} ${e.productId} at ${e.at}, before its notBefore ${new Date(due).toISOString()}`,
          );
        const plans = (e.disabledServicePlans ?? []).join(',');
        const has = held.get(e.productId);
        const setPlans = (l: ModelLicense) => {
          if (e.disabledServicePlans) l.plans = plans;
          else wrong(e, 'the license stays but the history does not give its plans');
        };
        if (e.outcome === 'failed' || e.outcome === 'skipped') {
          // Refused: nothing changed. A revoke refused because only groups grant the product says so rightly.
          if (e.error?.code === 'LicenseInheritedFromGroup' && !(has && !has.direct && has.groups.size > 0))
            wrong(e, 'refused as held through groups only');
        } else if (group === undefined) {
          // The direct source (a license job).
          if (e.action === 'assign') {
            if (e.outcome === 'assigned') {
              if (has) wrong(e, 'assigned, but it was held');
              held.set(e.productId, { plans, direct: true, groups: new Set() });
            } else if (e.outcome === 'updated' || e.outcome === 'unchanged') {
              if (!has) wrong(e, `${e.outcome}, but it was not held`);
              else if ((has.plans !== plans) !== (e.outcome === 'updated'))
                wrong(e, `${e.outcome}, but the plans were [${has.plans}]`);
              held.set(e.productId, { plans, direct: true, groups: has?.groups ?? new Set() });
            } else wrong(e, 'not an outcome of an assign');
          } else if (e.outcome === 'revoked') {
            if (!has || has.groups.size > 0) wrong(e, 'revoked, but it was not held, or also held through groups');
            held.delete(e.productId);
          } else if (e.outcome === 'inherited') {
            if (!has?.direct || has.groups.size === 0)
              wrong(e, 'inherited, but it was not held both directly and through groups');
            if (has) {
              has.direct = false;
              setPlans(has);
            }
          } else if (e.outcome === 'not_assigned') {
            if (has) wrong(e, 'not_assigned, but it was held');
          } else wrong(e, 'not an outcome of a revoke');
        } else if (e.action === 'assign') {
          // A group's grant: a license of its own, or a source added to the one the user holds.
          if (e.outcome === 'assigned') {
            if (has) wrong(e, 'assigned, but it was held');
            held.set(e.productId, { plans, direct: false, groups: new Set([group]) });
          } else if (e.outcome === 'updated' || e.outcome === 'unchanged') {
            if (!has) wrong(e, `${e.outcome}, but it was not held`);
            else if ((has.plans !== plans) !== (e.outcome === 'updated'))
              wrong(e, `${e.outcome}, but the plans were [${has.plans}]`);
            const l = has ?? { plans, direct: false, groups: new Set<string>() };
            l.groups.add(group);
            l.plans = plans;
            held.set(e.productId, l);
          } else wrong(e, 'not an outcome of an assign');
        } else if (e.outcome === 'revoked') {
          // A group's grant removed: the license goes with its last source.
          if (!has || has.direct || has.groups.size !== 1 || !has.groups.has(group))
            wrong(e, 'revoked, but the group was not its only source');
          held.delete(e.productId);
        } else if (e.outcome === 'updated' || e.outcome === 'unchanged') {
          if (!has?.groups.has(group) || (!has.direct && has.groups.size < 2))
            wrong(e, `${e.outcome}, but the group was not one of several sources`);
          if (has) {
            has.groups.delete(group);
            const before = has.plans;
            setPlans(has);
            if ((before !== has.plans) !== (e.outcome === 'updated'))
              wrong(e, `${e.outcome}, but the plans were [${before}]`);
          }
        } else if (e.outcome === 'not_assigned') {
          if (has?.groups.has(group)) wrong(e, 'not_assigned, but the group was one of its sources');
        } else wrong(e, 'not an outcome of a revoke');
        if (e.groupId) continue; // not part of the job's result
        const item = resultsByUser.get(user.id)?.get(e.jobId);
        const change = item?.changes?.find((c: any) => c.productId === e.productId && c.action === e.action);
        if (!change || change.outcome !== e.outcome)
          this.ledger.violation(
            `${where}: history says job ${e.jobId} ${e.outcome} ${e.productId}; its result says ${change ? change.outcome : 'nothing'}`,
          );
      }
      // Conversely, every change a job reports applied to this user is in its history.
      const inHistory = new Set(entries.filter((e) => !e.groupId).map((e) => `${e.jobId}|${e.productId}|${e.outcome}`));
      for (const [jobId, item] of resultsByUser.get(user.id) ?? []) {
        if (item.status !== 'succeeded') continue;
        for (const c of item.changes)
          if (STATE_CHANGES.has(c.outcome) && !inHistory.has(`${jobId}|${c.productId}|${c.outcome}`))
            this.ledger.violation(
              `${where}: job ${jobId} reports ${c.outcome} ${c.productId}, missing from its history`,
            );
      }
      const show = (l: { plans: string; direct: boolean; groups: Iterable<string> }, p: string) =>
        `${p}[${l.plans}]${l.direct ? 'D' : ''}${[...l.groups]
          .sort()
          .map((g) => `+${g.slice(0, 8)}`)
          .join('')}`;
      const actual = new Map<string, ModelLicense>(
        user.licenses.map((l: any) => [
          l.productId,
          {
            plans: [...(l.disabledServicePlans ?? [])].sort().join(','),
            direct: Boolean(l.assignedBy?.direct),
            groups: new Set<string>(l.assignedBy?.groupIds ?? []),
          },
        ]),
      );
      const fold = [...held]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, l]) => show(l, p))
        .join(' ');
      const now = [...actual]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, l]) => show(l, p))
        .join(' ');
      if (fold !== now) flagged.add(user.id);
      if (fold !== now)
        this.ledger.violation(
          `${where}: licenses ${now || 'none'} ≠ the fold of its history ${fold || 'none'} (D: direct, +group)`,
        );
      for (const productId of actual.keys()) holders.set(productId, (holders.get(productId) ?? 0) + 1);
      // The catalog's rules hold for what the user ends with.
      if (actual.has(PRODUCTS.suite) && actual.has(PRODUCTS.rival))
        this.ledger.violation(`${where} holds ${PRODUCTS.suite} and ${PRODUCTS.rival}, which exclude each other`);
      if (actual.has(PRODUCTS.addon) && !actual.has(PRODUCTS.suite))
        this.ledger.violation(`${where} holds ${PRODUCTS.addon} without ${PRODUCTS.suite}`);
      const suitePlans = actual.get(PRODUCTS.suite)?.plans.split(',') ?? [];
      if (suitePlans.includes('MAIL') && !suitePlans.includes('DOCS'))
        this.ledger.violation(`${where}: DOCS enabled without MAIL`);
    }

    for (const userId of [...flagged].slice(0, 5)) await this.evidence(userId);
    const groups = await this.checkGroups(customer, users);

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
    return { jobs, users: users.length, history, groups };
  }

  /**
   * What the customer's groups say, now that every change has been processed: each group idle; a
   * dynamic group's members exactly the users its rule selects; every member with a license state for
   * each product the group grants (`active`: the group is a source of the user's license, and the
   * license disables no plan the group leaves on; `waiting`: no seat, not a source; `error`: refused);
   * a state of a group the user left (or a product it no longer grants) only as a removal refused
   * because a product the user keeps requires it; no license through a group without its state.
   * Seats: `waiting` counts the users waiting for the product, and nobody waits for a product with
   * free seats (those are handed to the waiting room).
   */
  private async checkGroups(customer: Customer, users: any[]): Promise<number> {
    const key = customer.partner.key;
    const base = `/v1/customers/${customer.id}`;
    const groups = await this.all<any>('final-groups', `${base}/groups`, key);
    const subs = await this.http.call('final-subscriptions', 'GET', `${base}/subscriptions`, key);
    if (!groups || subs?.status !== 200) return 0;
    const known = new Set(groups.map((g) => g.id));
    for (const g of groups) {
      const where = `group ${g.id} of ${customer.id}`;
      if (g.processing.state !== 'idle') this.ledger.violation(`${where}: still ${g.processing.state} at the end`);
      const members = await this.all<any>('final-members', `${base}/groups/${g.id}/members`, key);
      if (!members) continue;
      const memberIds = new Set(members.map((m) => m.id));
      if (g.memberCount !== memberIds.size)
        this.ledger.violation(`${where}: memberCount ${g.memberCount}, ${memberIds.size} members listed`);
      if (g.membershipRule) {
        const expected = users.filter((u) => matchesRule(g.membershipRule, u, customer.country)).map((u) => u.id);
        const missing = expected.filter((id) => !memberIds.has(id));
        const extra = [...memberIds].filter((id) => !expected.includes(id));
        if (missing.length || extra.length)
          this.ledger.violation(
            `${where}: rule ${JSON.stringify(g.membershipRule)} selects ${expected.length} users; not members: ${missing.slice(0, 5).join(' ')}; members it does not select: ${extra.slice(0, 5).join(' ')}`,
          );
      }
      const grants = new Map<string, string[]>(
        g.licenses.map((l: any) => [l.productId, [...(l.disabledServicePlans ?? [])].sort()]),
      );
      for (const u of users) {
        const uw = `${where}, user ${u.id}`;
        const rows = (u.licenseStates ?? []).filter((r: any) => r.groupId === g.id);
        const license = (p: string) => u.licenses.find((l: any) => l.productId === p);
        const through = (p: string) => Boolean(license(p)?.assignedBy?.groupIds?.includes(g.id));
        const member = memberIds.has(u.id);
        const refused = rows.some((r: any) => r.state !== 'active');
        if (member)
          for (const p of grants.keys())
            if (!rows.some((r: any) => r.productId === p))
              this.ledger.violation(`${uw}: member without a state for ${p}`);
        for (const r of rows) {
          const state = `${r.productId} ${r.state}${r.error ? ` ${r.error.code}` : ''}`;
          if (member && grants.has(r.productId)) {
            if (r.state === 'active' && !through(r.productId))
              this.ledger.violation(`${uw}: ${state}, but the license is not held through the group`);
            if (r.state === 'waiting' && (r.error?.code !== 'CountViolation' || through(r.productId)))
              this.ledger.violation(
                `${uw}: ${state}, ${through(r.productId) ? 'held through the group' : 'not a seat'}`,
              );
            if (r.state === 'error' && (!r.error || r.error.code === 'CountViolation'))
              this.ledger.violation(`${uw}: ${state}`);
            const plans = license(r.productId)?.disabledServicePlans ?? [];
            // The group is a source: the license disables no plan the group leaves on (unless a refusal
            // of another of its products held the group's change back, plans included).
            if (r.state === 'active' && !refused && plans.some((x: string) => !grants.get(r.productId)!.includes(x)))
              this.ledger.violation(
                `${uw}: ${state}: the license disables [${plans}], the group leaves some of them on [${grants.get(r.productId)}]; the user's states of the group: ${JSON.stringify(rows)}`,
              );
          } else if (
            !(
              through(r.productId) &&
              ((r.state === 'error' && r.error?.code === 'DependencyViolation') || (r.state === 'active' && refused))
            )
          )
            // A removal refused (a product the user keeps requires it) keeps the row, applied; and the
            // group's changes for a user apply together or not at all, so the group's other rows stay
            // as they were when any was refused.
            this.ledger.violation(
              `${uw}: ${state}, although ${member ? 'the group does not grant it' : 'the user is not a member'} (only a removal refused, or held back by a refusal of the group's, may stay)`,
            );
        }
        for (const l of u.licenses)
          if (
            l.assignedBy?.groupIds?.includes(g.id) &&
            !rows.some((r: any) => r.productId === l.productId && r.state !== 'waiting')
          )
            this.ledger.violation(`${uw}: holds ${l.productId} through the group without an active state`);
      }
    }
    for (const u of users)
      for (const l of u.licenses)
        for (const gid of l.assignedBy?.groupIds ?? [])
          if (!known.has(gid))
            this.ledger.violation(`user ${u.id}: holds ${l.productId} through group ${gid}, which is gone`);
    for (const problem of waitingRoomProblems(users, subs.body.items))
      this.ledger.violation(`${customer.id}: ${problem}`);
    return groups.length;
  }

  /**
   * After the traffic: waits until every group of every customer is idle and nobody waits for a seat
   * of a product with free seats (the reconciler hands them out on its ticks), or the time is up
   * (the final check then tells what is left).
   */
  async awaitGroupsSettled(partners: Partner[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let settled = true;
      for (const customer of partners.flatMap((p) => p.customers)) {
        const key = customer.partner.key;
        const base = `/v1/customers/${customer.id}`;
        const groups = await this.all<any>('settle-groups', `${base}/groups`, key);
        const users = await this.all<any>('settle-users', `${base}/users`, key);
        const subs = await this.http.call('settle-subscriptions', 'GET', `${base}/subscriptions`, key);
        if (
          !groups ||
          !users ||
          subs?.status !== 200 ||
          groups.some((g) => g.processing.state !== 'idle') ||
          waitingRoomProblems(users, subs.body.items).length > 0
        )
          settled = false;
        if (!settled) break;
      }
      if (settled) return true;
      if (Date.now() > deadline) return false;
      await sleep(2000);
    }
  }

  /**
   * Every finished job's `license_job.finished` event reached the receiver at least once, signed,
   * every copy with one webhook-id. One whose retry is scheduled later than the soak lasts is
   * redelivered on request (its record must exist), then awaited.
   */
  private async checkWebhooks(finishedByPartner: Map<Partner, any[]>, waitMs: number): Promise<number> {
    // Every finished job: `license_job.finished` (its data the job); a group's job also `group.processed`.
    const expected = [...finishedByPartner].flatMap(([partner, jobs]) =>
      jobs.flatMap((job) => [
        { partner, job, type: 'license_job.finished' },
        ...(job.source?.type === 'group' ? [{ partner, job, type: 'group.processed' }] : []),
      ]),
    );
    // The copies received, by partner's path, type and job, indexed as they arrive (a long run
    // receives tens of thousands: each is parsed once).
    const index = new Map<string, Received[]>();
    let indexed = 0;
    const copies = (partner: Partner, jobId: string, type: string) => {
      for (; indexed < this.received.length; indexed++) {
        const r = this.received[indexed]!;
        const event = safeJson(r.body);
        const id = event?.type === 'group.processed' ? event.data?.jobId : event?.data?.id;
        const k = `${r.path}|${event?.type}|${id}`;
        index.set(k, [...(index.get(k) ?? []), r]);
      }
      return index.get(`${partner.hookPath}|${type}|${jobId}`) ?? [];
    };
    const missing = () => expected.filter((x) => copies(x.partner, x.job.id, x.type).length === 0);
    const deadline = Date.now() + waitMs;
    while (missing().length && Date.now() < deadline) await sleep(500);
    const late = missing();
    const deliveriesOf = new Map<Partner, any[] | undefined>();
    for (const { partner, job, type } of late) {
      if (!deliveriesOf.has(partner))
        deliveriesOf.set(partner, await this.all<any>('final-deliveries', '/v1/webhook/deliveries', partner.key));
      const record = deliveriesOf.get(partner)?.find((d) => d.jobId === job.id && d.type === type);
      if (!record) {
        this.ledger.violation(
          `webhook: no ${type} delivery recorded for finished job ${job.id} of partner ${partner.index + 1}`,
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
    while (late.some((x) => copies(x.partner, x.job.id, x.type).length === 0) && Date.now() < until) await sleep(500);
    let events = 0;
    for (const { partner, job, type } of expected) {
      const got = copies(partner, job.id, type);
      if (got.length === 0) {
        this.ledger.violation(`webhook: ${type} of job ${job.id} of partner ${partner.index + 1} never delivered`);
        continue;
      }
      if (type === 'license_job.finished') events++;
      const ids = new Set(got.map((r) => String(r.headers['webhook-id'])));
      if (ids.size !== 1)
        this.ledger.violation(
          `webhook: ${type} of job ${job.id} delivered with ${ids.size} webhook-ids ${[...ids].join(' ')}`,
        );
      for (const r of got) {
        try {
          const event = new Webhook(partner.secret).verify(r.body, {
            'webhook-id': String(r.headers['webhook-id']),
            'webhook-timestamp': String(r.headers['webhook-timestamp']),
            'webhook-signature': String(r.headers['webhook-signature']),
          }) as { type: string; data: any };
          if (type === 'license_job.finished' && event.data.status !== job.status)
            this.ledger.violation(
              `webhook: job ${job.id} delivered as ${event.type} ${event.data.status}, the job is ${job.status}`,
            );
          if (
            type === 'group.processed' &&
            (event.data.group?.id !== job.source.groupId ||
              event.data.counts?.users !== job.progress.total ||
              event.data.counts?.succeeded !== job.progress.succeeded ||
              event.data.counts?.failed !== job.progress.failed)
          )
            this.ledger.violation(
              `webhook: group.processed of job ${job.id}: ${JSON.stringify(event.data)}; the job ${JSON.stringify(job.progress)}`,
            );
        } catch (error) {
          // A copy received long ago carries an old timestamp; standardwebhooks refuses those.
          if (!/timestamp/i.test(String(error)))
            this.ledger.violation(`webhook: ${type} of job ${job.id}: signature does not verify (${error})`);
        }
      }
    }
    return events;
  }
}

function describeSources(l: ModelLicense): string {
  return `(${[...(l.direct ? ['direct'] : []), ...[...l.groups].map((g) => `group ${g}`)].join(', ') || 'no source'})`;
}

/**
 * The waiting room against the seats: `waiting` of each subscription counts the users waiting for
 * a seat of the product, and nobody waits for a product with a free seat (a waiting state names the product
 * whose seat it waits for first in its error's productIds).
 */
export function waitingRoomProblems(users: any[], subscriptions: any[]): string[] {
  const problems: string[] = [];
  const waitingUsers = new Map<string, Set<string>>();
  const waitingFor = new Map<string, string[]>();
  for (const u of users)
    for (const r of u.licenseStates ?? []) {
      if (r.state !== 'waiting') continue;
      const p = r.error?.productIds?.[0] ?? r.productId;
      waitingUsers.set(p, (waitingUsers.get(p) ?? new Set()).add(u.id));
      waitingFor.set(p, [
        ...(waitingFor.get(p) ?? []),
        `${u.id} (${r.productId} of group ${r.groupId}, since ${r.since})`,
      ]);
    }
  for (const s of subscriptions) {
    const n = waitingUsers.get(s.productId)?.size ?? 0;
    if (s.waiting !== n) problems.push(`${s.productId}: waiting ${s.waiting}, ${n} users wait for a seat of it`);
    const waiters = waitingFor.get(s.productId) ?? [];
    if (s.available > 0 && waiters.length)
      problems.push(
        `${s.productId}: ${s.available} seats free while ${waiters.length} wait for one: ${waiters.slice(0, 3).join('; ')}`,
      );
  }
  return problems;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
