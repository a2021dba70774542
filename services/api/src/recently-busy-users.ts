/**
 * Users this API process recently refused a job for because they had too many unfinished jobs
 * (429 `too_many_pending_jobs`), per customer, for a second. A script re-posting jobs for the same
 * users in a loop is then answered from memory instead of by the index ranges that counted them, so
 * its refusals cost the shared Postgres one short count (of the customer's unfinished jobs: below
 * the limit, no user can be at it, and nobody is refused from memory). The limit is a bound on
 * queued work, not a seat rule: refusing a user for a moment after its own jobs have finished, while
 * the customer's others have not, is harmless (the answer's Retry-After asks for longer anyway).
 */
export class RecentlyBusyUsers {
  private readonly byCustomer = new Map<string, { users: Set<string>; until: number }>();

  constructor(
    private readonly ttlMs = 1000,
    /** Customers remembered at most (the oldest is forgotten first). */
    private readonly maxCustomers = 10_000,
  ) {}

  remember(customerId: string, userIds: readonly string[], now = Date.now()): void {
    const known = this.byCustomer.get(customerId);
    if (known && known.until > now) {
      for (const id of userIds) known.users.add(id);
      return;
    }
    this.byCustomer.delete(customerId);
    if (this.byCustomer.size >= this.maxCustomers) this.byCustomer.delete(this.byCustomer.keys().next().value!);
    this.byCustomer.set(customerId, { users: new Set(userIds), until: now + this.ttlMs });
  }

  /** The users of `userIds` refused in the last second (at most `max` of them). */
  busyAmong(customerId: string, userIds: readonly string[], max = 100, now = Date.now()): string[] {
    const known = this.byCustomer.get(customerId);
    if (!known) return [];
    if (known.until <= now) {
      this.byCustomer.delete(customerId);
      return [];
    }
    const busy: string[] = [];
    for (const id of userIds) {
      if (known.users.has(id)) busy.push(id);
      if (busy.length === max) break;
    }
    return busy;
  }
}
