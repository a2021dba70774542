// The partners the soak plays: their customers, users and subscriptions, and the mix of operations
// each partner's loops draw from the seed. Every accepted (202) job is tracked until it is final;
// what the checker needs later (the jobs, the users known, the event streams' ends) is kept here.
import { randomUUID } from 'node:crypto';
import type { SoakHttp, SoakLedger } from './http.ts';
import { OPERATOR_TOKEN } from './infra.ts';
import type { Random } from './random.ts';

export const PRODUCTS = {
  suite: 'SOAK_SUITE',
  addon: 'SOAK_ADDON',
  rival: 'SOAK_RIVAL',
  eu: 'SOAK_EU',
} as const;
const ALL_PRODUCTS = Object.values(PRODUCTS);

/** The catalog the soak runs on: plan dependencies, an add-on, an exclusion, a country rule. */
export const CATALOG = [
  {
    id: PRODUCTS.suite,
    name: 'Soak suite',
    servicePlans: [
      { id: 'MAIL', name: 'Mail' },
      { id: 'DOCS', name: 'Docs', requires: ['MAIL'] },
      { id: 'CHAT', name: 'Chat' },
    ],
  },
  {
    id: PRODUCTS.addon,
    name: 'Soak add-on',
    servicePlans: [{ id: 'ADDON', name: 'Add-on' }],
    requiresAnyOf: [PRODUCTS.suite],
  },
  {
    id: PRODUCTS.rival,
    name: 'Soak rival',
    servicePlans: [{ id: 'RIVAL', name: 'Rival' }],
    excludes: [PRODUCTS.suite],
  },
  { id: PRODUCTS.eu, name: 'Soak EU', servicePlans: [{ id: 'EU', name: 'EU' }], availableIn: ['DE', 'FR'] },
];
const SUITE_PLANS: string[][] = [[], ['DOCS'], ['CHAT'], ['DOCS', 'CHAT']];
const LOCATIONS = ['US', 'DE', 'FR', null];
const DEPARTMENTS = ['Sales', 'Ops', 'Eng', null];
/** User principal names end with one of these; dynamic groups' rules may name one. */
const UPN_DOMAINS = ['@a.soak.example', '@b.soak.example'];
const FINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

export interface Customer {
  id: string;
  partner: Partner;
  users: string[];
  deleted: Set<string>;
  initialUsers: number;
  /** The customer's country: the usage location of users without one of their own. */
  country: string;
  /** The customer's license groups the soak created and has not deleted. */
  groups: SoakGroup[];
}

export interface SoakGroup {
  id: string;
  name: string;
  dynamic: boolean;
}

export interface Partner {
  index: number;
  key: string;
  hookPath: string;
  /** The webhook's signing secret (`whsec_…`). */
  secret: string;
  customers: Customer[];
}

export interface TrackedJob {
  id: string;
  customer: Customer;
  kind: 'job' | 'retry' | 'revert' | 'probe';
  acceptedAt: number;
  idempotencyKey: string;
  body: unknown;
  final?: any;
  lastPolledAt: number;
  /** Status of the `finished` event of an event stream that reached the end. */
  streamedStatus?: string;
}

export interface TrafficOptions {
  /** License groups: created at setup, changed by the loops (members, rules, licenses). */
  groups?: boolean;
  partners: number;
  customersPerPartner: number;
  usersPerCustomer: number;
  loopsPerPartner: number;
  maxJobUsers: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Traffic {
  readonly partners: Partner[] = [];
  readonly jobs = new Map<string, TrackedJob>();
  private running = false;
  private upnCounter = 0;
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly http: SoakHttp,
    private readonly ledger: SoakLedger,
    private readonly options: TrafficOptions,
    private readonly catalogUrl: string,
    private readonly webhookBase: string,
    private readonly seed: number,
  ) {}

  /** Operator and partner calls that must succeed for the run to start at all. */
  private async must(kind: string, method: string, path: string, token: string, body?: unknown, base?: string) {
    for (let i = 0; i < 20; i++) {
      if (base) {
        const res = await fetch(base + path, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.ok) return res.json().catch(() => undefined);
        throw new Error(`${method} ${base}${path} → ${res.status} ${await res.text()}`);
      }
      const res = await this.http.call(kind, method, path, token, body);
      if (res && res.status < 300) return res.body;
      if (res && res.status < 500) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(500);
    }
    throw new Error(`${method} ${path}: no answer`);
  }

  async setUp(rng: Random): Promise<void> {
    for (const product of CATALOG)
      await this.must('setup', 'PUT', `/v1/products/${product.id}`, OPERATOR_TOKEN, product, this.catalogUrl);
    for (let p = 0; p < this.options.partners; p++) {
      const { apiKey } = await this.must('setup', 'POST', '/v1/admin/partners', OPERATOR_TOKEN, {
        name: `Soak partner ${p + 1}`,
      });
      const hookUrl = `${this.webhookBase}/partner-${p + 1}`;
      const hookPath = new URL(hookUrl).pathname;
      const hook = await this.must('setup', 'PUT', '/v1/webhook', apiKey, { url: hookUrl });
      const partner: Partner = { index: p, key: apiKey, hookPath, secret: hook.secret, customers: [] };
      for (let c = 0; c < this.options.customersPerPartner; c++) {
        const customer = await this.must('setup', 'POST', '/v1/customers', apiKey, {
          name: `Soak customer ${p + 1}.${c + 1}`,
          country: rng.pick(['US', 'DE']),
        });
        const n = this.options.usersPerCustomer;
        const created = await this.must('setup', 'POST', `/v1/customers/${customer.id}/users/batch`, apiKey, {
          users: Array.from({ length: n }, () => this.newUser(rng)),
        });
        const state: Customer = {
          id: customer.id,
          partner,
          users: created.items.map((u: { id: string }) => u.id),
          deleted: new Set(),
          initialUsers: n,
          country: customer.country,
          groups: [],
        };
        const shares = { [PRODUCTS.suite]: 0.7, [PRODUCTS.addon]: 0.3, [PRODUCTS.rival]: 0.3, [PRODUCTS.eu]: 0.3 };
        for (const productId of ALL_PRODUCTS)
          await this.must('setup', 'PUT', `/v1/customers/${customer.id}/subscriptions/${productId}`, apiKey, {
            quantity: Math.ceil(n * shares[productId]),
          });
        partner.customers.push(state);
        // Groups from the start: two static ones with some of the users, two dynamic ones; each
        // grants something (the loops change that later).
        if (this.options.groups)
          for (const dynamic of [false, false, true, true]) {
            const group = await this.newGroup(state, rng, dynamic, true);
            if (!group) continue;
            if (!dynamic)
              await this.must('setup', 'POST', `/v1/customers/${state.id}/groups/${group.id}/members`, apiKey, {
                userIds: rng.sample(state.users, Math.ceil(n / 3)),
              });
            await this.must('setup', 'PUT', `/v1/customers/${state.id}/groups/${group.id}/licenses`, apiKey, {
              licenses: this.groupGrant(rng),
            });
          }
      }
      this.partners.push(partner);
    }
  }

  private newUser(rng: Random) {
    const n = ++this.upnCounter;
    const location = rng.pick(LOCATIONS);
    const department = this.options.groups ? rng.pick(DEPARTMENTS) : null;
    return {
      userPrincipalName: `user${n}.s${this.seed}${rng.pick(UPN_DOMAINS)}`,
      displayName: `Soak user ${n}`,
      ...(location ? { usageLocation: location } : {}),
      ...(department ? { department } : {}),
    };
  }

  /** A dynamic group's rule: one to three conditions drawn from the users' fields. */
  private rule(rng: Random): Record<string, string[]> {
    const rule: Record<string, string[]> = {};
    const departments = DEPARTMENTS.filter((d): d is string => d !== null);
    if (rng.chance(0.6)) rule.departments = rng.sample(departments, rng.int(1, 2));
    if (rng.chance(0.4)) rule.usageLocations = rng.sample(['US', 'DE', 'FR'], rng.int(1, 2));
    if (rng.chance(0.3) || Object.keys(rule).length === 0) rule.userPrincipalNameSuffixes = [rng.pick(UPN_DOMAINS)];
    return rule;
  }

  /**
   * What a group grants: the suite with plans turned off (alone or with its add-on), the product of
   * some countries, the suite's rival (members holding the suite are refused), the add-on alone
   * (refused without the suite), or nothing.
   */
  private groupGrant(rng: Random): { productId: string; disabledServicePlans?: string[] }[] {
    const suite = () => ({ productId: PRODUCTS.suite, disabledServicePlans: rng.pick(SUITE_PLANS) });
    switch (rng.weighted({ suite: 30, suiteAddon: 15, eu: 15, rival: 10, addon: 5, suiteEu: 10, none: 15 })) {
      case 'suite':
        return [suite()];
      case 'suiteAddon':
        return [suite(), { productId: PRODUCTS.addon }];
      case 'eu':
        return [{ productId: PRODUCTS.eu }];
      case 'rival':
        return [{ productId: PRODUCTS.rival }];
      case 'addon':
        return [{ productId: PRODUCTS.addon }];
      case 'suiteEu':
        return [suite(), { productId: PRODUCTS.eu }];
      default:
        return [];
    }
  }

  private groupCounter = 0;

  private async newGroup(customer: Customer, rng: Random, dynamic: boolean, setup = false) {
    const name = `Soak group ${++this.groupCounter}`;
    const body = { name, ...(dynamic ? { membershipRule: this.rule(rng) } : {}) };
    const path = `/v1/customers/${customer.id}/groups`;
    const created = setup
      ? await this.must('setup', 'POST', path, this.key(customer), body)
      : (await this.http.call('group-create', 'POST', path, this.key(customer), body))?.body;
    if (!created?.id) return undefined;
    const group: SoakGroup = { id: created.id, name, dynamic };
    customer.groups.push(group);
    return group;
  }

  /** Runs every partner's loops until `stop()`; resolves when they have all ended. */
  async run(rng: Random): Promise<void> {
    this.running = true;
    const loops: Promise<void>[] = [this.pollJobs()];
    for (const partner of this.partners)
      for (let i = 0; i < this.options.loopsPerPartner; i++) loops.push(this.loop(partner, rng.fork()));
    await Promise.all(loops);
    await Promise.allSettled([...this.background]);
  }

  stop(): void {
    this.running = false;
  }

  private async loop(partner: Partner, rng: Random) {
    while (this.running) {
      const customer = rng.pick(partner.customers);
      const op = rng.weighted({
        job: 30,
        cancel: 5,
        retry: 5,
        revert: 5,
        createUser: 4,
        patchUser: 5,
        deleteUser: 2,
        quantity: 5,
        overview: 5,
        preview: 4,
        csv: 3,
        events: 3,
        seats: 4,
        lists: 3,
        // License groups: what they grant, their members, their rules, and whole groups.
        ...(this.options.groups
          ? {
              groupLicenses: 5,
              groupMembers: 5,
              groupRule: 3,
              groupCreateDelete: 1,
              groupReprocess: 1,
              groupRead: 2,
              groupJobRefused: 1,
            }
          : {
              groupLicenses: 0,
              groupMembers: 0,
              groupRule: 0,
              groupCreateDelete: 0,
              groupReprocess: 0,
              groupRead: 0,
              groupJobRefused: 0,
            }),
      });
      try {
        await this[op](customer, rng);
      } catch (error) {
        this.ledger.violation(`${op} threw: ${(error as Error).stack ?? error}`);
      }
      await sleep(rng.int(20, 250));
    }
  }

  private key(customer: Customer) {
    return customer.partner.key;
  }

  private jobBody(customer: Customer, rng: Random): Record<string, unknown> {
    const size = rng.chance(0.6)
      ? rng.int(1, 3)
      : rng.chance(0.75)
        ? rng.int(4, 20)
        : rng.int(21, Math.max(21, this.options.maxJobUsers));
    const userIds = rng.sample(customer.users, size);
    if (customer.deleted.size && rng.chance(0.03)) userIds.push(rng.pick([...customer.deleted]));
    if (userIds.length === 0) userIds.push(rng.pick([...customer.deleted]));
    const assignOne = (productId: string) =>
      productId === PRODUCTS.suite
        ? { productId, disabledServicePlans: rng.chance(0.02) ? ['MAIL'] : rng.pick(SUITE_PLANS) }
        : { productId };
    const shape = rng.weighted({ assign: 45, revoke: 30, swap: 15, both: 10 });
    const products = rng.sample(ALL_PRODUCTS, 2);
    const body: Record<string, unknown> = { userIds };
    if (shape === 'assign') body.assign = products.slice(0, rng.int(1, 2)).map(assignOne);
    else if (shape === 'revoke') body.revoke = products.slice(0, rng.int(1, 2));
    else {
      body.revoke = [products[0]];
      body.assign = [assignOne(products[1]!)];
    }
    if (rng.chance(0.2)) body.clientReference = `soak-${rng.int(1, 1_000_000)}`;
    // Now and then a scheduled job: seats reserved now, applied seconds later.
    if (rng.chance(0.05)) body.notBefore = new Date(Date.now() + rng.int(2, 20) * 1000).toISOString();
    return body;
  }

  private track(customer: Customer, kind: TrackedJob['kind'], job: any, idempotencyKey: string, body: unknown) {
    if (this.jobs.has(job.id)) return this.jobs.get(job.id)!;
    const tracked: TrackedJob = {
      id: job.id,
      customer,
      kind,
      acceptedAt: Date.now(),
      idempotencyKey,
      body,
      lastPolledAt: 0,
    };
    this.jobs.set(job.id, tracked);
    if (job.finishedAt) this.finish(tracked, job);
    return tracked;
  }

  /** A final answer for a job: kept, and checked that its counts add up. */
  finish(tracked: TrackedJob, job: any) {
    if (!FINAL.has(job.status)) {
      this.ledger.violation(`job ${tracked.id} has finishedAt but status ${job.status}`);
      return;
    }
    tracked.final ??= job;
    if (tracked.final.status !== job.status)
      this.ledger.violation(`job ${tracked.id} was ${tracked.final.status}, later ${job.status}`);
    for (const problem of jobCountProblems(job)) this.ledger.violation(`job ${tracked.id}: ${problem}`);
  }

  async postJob(customer: Customer, body: unknown, kind: TrackedJob['kind'], rng: Random) {
    const idempotencyKey = randomUUID();
    const res = await this.http.call(
      kind === 'probe' ? 'probe-job' : 'job',
      'POST',
      `/v1/customers/${customer.id}/license-jobs`,
      this.key(customer),
      body,
      { 'idempotency-key': idempotencyKey },
    );
    if (res?.status !== 202) return res;
    const tracked = this.track(customer, kind, res.body, idempotencyKey, body);
    if (rng.chance(0.1)) {
      // The same key and body again, as a client unsure of its first answer: the same job.
      const again = await this.http.call(
        'job-again',
        'POST',
        `/v1/customers/${customer.id}/license-jobs`,
        this.key(customer),
        body,
        {
          'idempotency-key': idempotencyKey,
        },
      );
      if (again && again.status < 300 && again.body?.id !== tracked.id)
        this.ledger.violation(`Idempotency-Key ${idempotencyKey} answered job ${again.body?.id}, first ${tracked.id}`);
    }
    return res;
  }

  /**
   * Jobs scheduled a few seconds ahead for random customers of every partner (during a clock-skew
   * fault, so that they come due while a process's clock is off). Resolves once they are accepted.
   */
  async scheduleBurst(rng: Random, count: number): Promise<number> {
    let accepted = 0;
    for (let i = 0; i < count; i++) {
      const customer = rng.pick(rng.pick(this.partners).customers);
      const body = this.jobBody(customer, rng);
      body.notBefore = new Date(Date.now() + rng.int(2, 15) * 1000).toISOString();
      const res = await this.postJob(customer, body, 'job', rng);
      if (res?.status === 202) accepted++;
    }
    return accepted;
  }

  private async job(customer: Customer, rng: Random) {
    const body = this.jobBody(customer, rng);
    await this.postJob(customer, body, 'job', rng);
  }

  private pickJob(customer: Customer, rng: Random, finished: boolean): TrackedJob | undefined {
    const candidates = [...this.jobs.values()].filter((j) => j.customer === customer && Boolean(j.final) === finished);
    return candidates.length ? rng.pick(candidates.slice(-30)) : undefined;
  }

  private async cancel(customer: Customer, rng: Random) {
    const job = this.pickJob(customer, rng, false);
    if (!job) return;
    const res = await this.http.call(
      'cancel',
      'POST',
      `/v1/customers/${customer.id}/license-jobs/${job.id}/cancel`,
      this.key(customer),
    );
    if (res?.status === 200) {
      if (res.body.status !== 'cancelled')
        this.ledger.violation(`cancel of ${job.id} answered 200 with status ${res.body.status}`);
      this.finish(job, res.body);
    }
  }

  private async followUp(customer: Customer, rng: Random, what: 'retry' | 'revert') {
    const job = this.pickJob(customer, rng, true);
    if (!job) return;
    const idempotencyKey = randomUUID();
    const res = await this.http.call(
      what,
      'POST',
      `/v1/customers/${customer.id}/license-jobs/${job.id}/${what}`,
      this.key(customer),
      undefined,
      { 'idempotency-key': idempotencyKey },
    );
    if (res?.status === 202) {
      const tracked = this.track(customer, what, res.body, idempotencyKey, { [`${what}Of`]: job.id });
      if (res.body[`${what}Of`] !== job.id)
        this.ledger.violation(`${what} of ${job.id} answered ${tracked.id} without ${what}Of`);
    }
  }

  private retry(customer: Customer, rng: Random) {
    return this.followUp(customer, rng, 'retry');
  }

  private revert(customer: Customer, rng: Random) {
    return this.followUp(customer, rng, 'revert');
  }

  private async createUser(customer: Customer, rng: Random) {
    if (rng.chance(0.3)) {
      const users = Array.from({ length: rng.int(2, 10) }, () => this.newUser(rng));
      const res = await this.http.call(
        'user-batch',
        'POST',
        `/v1/customers/${customer.id}/users/batch`,
        this.key(customer),
        { users },
      );
      if (res?.status === 201) customer.users.push(...res.body.items.map((u: { id: string }) => u.id));
      return;
    }
    const res = await this.http.call(
      'user-create',
      'POST',
      `/v1/customers/${customer.id}/users`,
      this.key(customer),
      this.newUser(rng),
    );
    if (res?.status === 201) customer.users.push(res.body.id);
  }

  private async patchUser(customer: Customer, rng: Random) {
    const userId = rng.pick(customer.users);
    const field = rng.weighted({ usageLocation: 4, displayName: 3, department: this.options.groups ? 4 : 0 });
    const body =
      field === 'usageLocation'
        ? { usageLocation: rng.pick(LOCATIONS) }
        : field === 'department'
          ? { department: rng.pick(DEPARTMENTS) }
          : { displayName: `Soak user ${rng.int(1, 1e6)}` };
    await this.http.call(
      'user-patch',
      'PATCH',
      `/v1/customers/${customer.id}/users/${userId}`,
      this.key(customer),
      body,
    );
  }

  private async deleteUser(customer: Customer, rng: Random) {
    if (customer.users.length <= customer.initialUsers / 2) return;
    const userId = rng.pick(customer.users);
    const res = await this.http.call(
      'user-delete',
      'DELETE',
      `/v1/customers/${customer.id}/users/${userId}`,
      this.key(customer),
    );
    if (res?.status === 204 || res?.status === 404) {
      customer.users = customer.users.filter((id) => id !== userId);
      customer.deleted.add(userId);
    }
  }

  private async quantity(customer: Customer, rng: Random) {
    const productId = rng.pick(ALL_PRODUCTS);
    const quantity = rng.int(Math.floor(customer.users.length * 0.1), customer.users.length);
    const res = await this.http.call(
      'quantity',
      'PUT',
      `/v1/customers/${customer.id}/subscriptions/${productId}`,
      this.key(customer),
      { quantity },
    );
    if (res?.status === 200) this.checkSubscription(customer, res.body, 'PUT quantity');
  }

  /** A group drawn from the customer's (undefined when it has none). */
  private pickGroup(customer: Customer, rng: Random, dynamic?: boolean): SoakGroup | undefined {
    const groups = customer.groups.filter((g) => dynamic === undefined || g.dynamic === dynamic);
    return groups.length ? rng.pick(groups) : undefined;
  }

  private groupPath(customer: Customer, group: SoakGroup) {
    return `/v1/customers/${customer.id}/groups/${group.id}`;
  }

  /** Sets what a group grants; now and then its dry run first, which must change nothing. */
  private async groupLicenses(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng);
    if (!group) return;
    const body = { licenses: this.groupGrant(rng), confirmRemovals: 1_000_000 };
    const path = `${this.groupPath(customer, group)}/licenses`;
    if (rng.chance(0.15))
      await this.http.call('group-licenses-dry-run', 'PUT', `${path}?dryRun=true`, this.key(customer), body);
    await this.http.call('group-licenses', 'PUT', path, this.key(customer), body);
  }

  /** Members added to or removed from a static group (by ids or by a filter); a dynamic group refuses them. */
  private async groupMembers(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng, rng.chance(0.05));
    if (!group) return;
    const remove = rng.chance(0.45);
    const selection = rng.chance(0.85)
      ? { userIds: rng.sample(customer.users, rng.int(1, Math.max(1, Math.floor(customer.users.length / 4)))) }
      : { userFilter: { department: rng.pick(DEPARTMENTS.filter((d) => d !== null)) } };
    const res = await this.http.call(
      remove ? 'group-members-remove' : 'group-members-add',
      'POST',
      `${this.groupPath(customer, group)}/members${remove ? '/remove' : ''}`,
      this.key(customer),
      { ...selection, confirmRemovals: 1_000_000 },
    );
    if (group.dynamic && res && res.status !== 422)
      this.ledger.violation(`members of dynamic group ${group.id} changed by hand: ${res.status}`);
  }

  /** A dynamic group's rule changed (a static group refuses one: 422 group_type_fixed). */
  private async groupRule(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng, !rng.chance(0.05));
    if (!group) return;
    const res = await this.http.call('group-rule', 'PATCH', this.groupPath(customer, group), this.key(customer), {
      membershipRule: this.rule(rng),
      confirmRemovals: 1_000_000,
    });
    if (!group.dynamic && res && res.status !== 422)
      this.ledger.violation(`static group ${group.id} took a rule: ${res.status}`);
  }

  /**
   * A group created (up to six per customer), or one deleted: refused while it grants products
   * (409 group_has_licenses), so its licenses are removed first now and then.
   */
  private async groupCreateDelete(customer: Customer, rng: Random) {
    if (customer.groups.length < 6 && rng.chance(0.5)) {
      const group = await this.newGroup(customer, rng, rng.chance(0.5));
      if (group && !group.dynamic)
        await this.http.call(
          'group-members-add',
          'POST',
          `${this.groupPath(customer, group)}/members`,
          this.key(customer),
          {
            userIds: rng.sample(customer.users, rng.int(1, 20)),
          },
        );
      return;
    }
    const group = this.pickGroup(customer, rng);
    if (!group || customer.groups.length <= 2) return;
    if (rng.chance(0.6))
      await this.http.call('group-licenses', 'PUT', `${this.groupPath(customer, group)}/licenses`, this.key(customer), {
        licenses: [],
        confirmRemovals: 1_000_000,
      });
    const res = await this.http.call('group-delete', 'DELETE', this.groupPath(customer, group), this.key(customer));
    if (res?.status === 204 || res?.status === 404) customer.groups = customer.groups.filter((g) => g !== group);
  }

  private async groupReprocess(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng);
    if (group && rng.chance(0.5))
      await this.http.call(
        'group-reprocess',
        'POST',
        `${this.groupPath(customer, group)}/reprocess`,
        this.key(customer),
      );
    else
      await this.http.call(
        'user-reprocess',
        'POST',
        `/v1/customers/${customer.id}/users/${rng.pick(customer.users)}/reprocess-licenses`,
        this.key(customer),
      );
  }

  private async groupRead(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng);
    if (!group) return;
    if (rng.chance(0.5)) {
      const res = await this.http.call('group-get', 'GET', this.groupPath(customer, group), this.key(customer));
      if (res?.status === 200 && (res.body.memberCount < 0 || res.body.membersWaiting > res.body.memberCount))
        this.ledger.violation(`group ${group.id}: ${JSON.stringify(res.body)}`);
    } else
      await this.http.call(
        'group-members',
        'GET',
        `${this.groupPath(customer, group)}/members?pageSize=50${rng.chance(0.5) ? '&state=waiting' : ''}`,
        this.key(customer),
      );
  }

  /** A cancel, retry or revert of a job that processes a group change: 422 group_job. */
  private async groupJobRefused(customer: Customer, rng: Random) {
    const group = this.pickGroup(customer, rng);
    if (!group) return;
    const res = await this.http.call(
      'group-jobs',
      'GET',
      `/v1/customers/${customer.id}/license-jobs?pageSize=5&groupId=${group.id}`,
      this.key(customer),
    );
    const job = res?.status === 200 ? res.body.items[0] : undefined;
    if (!job) return;
    const what = rng.pick(['cancel', 'retry', 'revert']);
    const answer = await this.http.call(
      `group-job-${what}`,
      'POST',
      `/v1/customers/${customer.id}/license-jobs/${job.id}/${what}`,
      this.key(customer),
      undefined,
      { 'idempotency-key': randomUUID() },
    );
    if (answer && !(answer.status === 422 && answer.body?.code === 'group_job'))
      this.ledger.violation(`${what} of group job ${job.id} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  private checkSubscription(customer: Customer, s: any, where: string) {
    if (!(s.assigned >= 0 && s.reserved >= 0 && s.assigned + s.reserved <= s.quantity))
      this.ledger.violation(
        `${where} ${customer.id}/${s.productId}: assigned ${s.assigned} + reserved ${s.reserved} vs quantity ${s.quantity}`,
      );
    if (s.available !== s.quantity - s.assigned - s.reserved)
      this.ledger.violation(
        `${where} ${customer.id}/${s.productId}: available ${s.available} ≠ quantity − assigned − reserved`,
      );
  }

  private async seats(customer: Customer) {
    const res = await this.http.call(
      'subscriptions',
      'GET',
      `/v1/customers/${customer.id}/subscriptions`,
      this.key(customer),
    );
    if (res?.status === 200) for (const s of res.body.items) this.checkSubscription(customer, s, 'GET subscriptions');
  }

  private async overview(customer: Customer, rng: Random) {
    const body = rng.chance(0.2) ? { userFilter: {} } : { userIds: rng.sample(customer.users, rng.int(1, 30)) };
    const res = await this.http.call(
      'overview',
      'POST',
      `/v1/customers/${customer.id}/license-overview`,
      this.key(customer),
      body,
    );
    if (res?.status !== 200) return;
    const users = res.body.users.length;
    for (const p of res.body.products) {
      const holders = p.assignedCount ?? p.assignedUserIds.length;
      const expected = holders === 0 ? 'none' : holders === users ? 'all' : 'some';
      if (!('userFilter' in body) && p.selection !== expected)
        this.ledger.violation(
          `overview ${customer.id}/${p.productId}: selection ${p.selection} with ${holders} of ${users} holding`,
        );
      if (p.available < 0 || p.assigned > p.quantity)
        this.ledger.violation(
          `overview ${customer.id}/${p.productId}: assigned ${p.assigned}, available ${p.available}, quantity ${p.quantity}`,
        );
    }
  }

  private async preview(customer: Customer, rng: Random) {
    await this.http.call(
      'preview',
      'POST',
      `/v1/customers/${customer.id}/license-jobs/preview`,
      this.key(customer),
      this.jobBody(customer, rng),
    );
  }

  private async lists(customer: Customer, rng: Random) {
    if (rng.chance(0.5))
      await this.http.call(
        'jobs-list',
        'GET',
        `/v1/customers/${customer.id}/license-jobs?pageSize=20`,
        this.key(customer),
      );
    else
      await this.http.call(
        'users-list',
        'GET',
        `/v1/customers/${customer.id}/users?pageSize=50&hasProduct=${rng.pick(ALL_PRODUCTS)}`,
        this.key(customer),
      );
  }

  private async csv(customer: Customer, rng: Random) {
    const job = this.pickJob(customer, rng, true);
    if (!job) return;
    const path = `/v1/customers/${customer.id}/license-jobs/${job.id}/results?format=csv`;
    const startedAt = Date.now();
    try {
      const res = await this.http.open(path, this.key(customer), 30_000);
      const text = await res.text();
      this.ledger.count('csv', String(res.status));
      if (res.status !== 200) {
        if (
          res.status >= 500 &&
          !(res.status === 503 && res.headers.get('retry-after') && this.ledger.inFaultWindow(startedAt))
        )
          this.ledger.violation(`GET ${path} → ${res.status}: ${text.slice(0, 300)}`);
        return;
      }
      const rows = parseCsv(text);
      const header = rows.shift()?.join(',');
      if (header !== 'userPrincipalName,displayName,userId,status,productId,action,outcome,errorCode,errorMessage')
        this.ledger.violation(`CSV of ${job.id}: header ${header}`);
      const users = new Set(rows.filter((r) => r.length > 1).map((r) => r[2]));
      if (users.size !== job.final.progress.total)
        this.ledger.violation(`CSV of ${job.id}: ${users.size} users, the job has ${job.final.progress.total}`);
    } catch (error) {
      this.ledger.count('csv', (error as Error).name === 'TimeoutError' ? 'timeout' : 'network');
    }
  }

  /** Follows an unfinished job's event stream to its `finished` event, in the background. */
  private async events(customer: Customer, rng: Random) {
    const job = this.pickJob(customer, rng, false) ?? this.pickJob(customer, rng, true);
    if (!job || this.background.size > 20) return;
    const follow = (async () => {
      const startedAt = Date.now();
      try {
        const res = await this.http.open(
          `/v1/customers/${customer.id}/license-jobs/${job.id}/events`,
          this.key(customer),
          120_000,
        );
        this.ledger.count('events', String(res.status));
        if (res.status !== 200) return;
        const text = await res.text();
        const finished = text
          .split('\n\n')
          .filter((e) => e.startsWith('event: finished'))
          .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)));
        if (finished.length !== 1) {
          if (!this.ledger.inFaultWindow(startedAt) && !this.ledger.inFaultWindow(Date.now()))
            this.ledger.violation(`event stream of ${job.id} ended with ${finished.length} finished events`);
          return;
        }
        job.streamedStatus = finished[0].status;
        if (!FINAL.has(finished[0].status))
          this.ledger.violation(`event stream of ${job.id} finished with status ${finished[0].status}`);
      } catch (error) {
        this.ledger.count('events', (error as Error).name === 'TimeoutError' ? 'timeout' : 'interrupted');
      }
    })();
    this.background.add(follow);
    void follow.finally(() => this.background.delete(follow));
  }

  /** Polls unfinished jobs as clients do, oldest poll first, until the traffic stops. */
  private async pollJobs() {
    while (this.running) {
      await this.pollOnce(10);
      await sleep(300);
    }
  }

  async pollOnce(limit: number): Promise<number> {
    const open = [...this.jobs.values()].filter((j) => !j.final).sort((a, b) => a.lastPolledAt - b.lastPolledAt);
    for (const job of open.slice(0, limit)) {
      job.lastPolledAt = Date.now();
      const res = await this.http.call(
        'poll',
        'GET',
        `/v1/customers/${job.customer.id}/license-jobs/${job.id}`,
        this.key(job.customer),
      );
      if (res?.status === 200 && res.body.finishedAt) this.finish(job, res.body);
    }
    return open.length;
  }
}

/** Whether a final job's counts add up and agree with its status. */
export function jobCountProblems(job: any): string[] {
  const p = job.progress;
  const problems: string[] = [];
  const cancelled = p.cancelled ?? 0;
  if (p.pending !== 0) problems.push(`final (${job.status}) with ${p.pending} pending`);
  if (p.succeeded + p.failed + cancelled + p.pending !== p.total)
    problems.push(
      `succeeded ${p.succeeded} + failed ${p.failed} + cancelled ${cancelled} + pending ${p.pending} ≠ total ${p.total}`,
    );
  if (job.request?.userCount !== undefined && job.request.userCount !== p.total)
    problems.push(`request.userCount ${job.request.userCount} ≠ progress.total ${p.total}`);
  const expected =
    job.status === 'cancelled'
      ? cancelled > 0 || p.total === 0
      : job.status === 'completed'
        ? p.failed === 0 && cancelled === 0 && p.succeeded === p.total
        : job.status === 'failed'
          ? p.succeeded === 0 && cancelled === 0
          : p.succeeded > 0 && p.failed > 0 && cancelled === 0;
  if (!expected) problems.push(`status ${job.status} with ${JSON.stringify(p)}`);
  const errors = Object.values(job.errorsByCode ?? {}).reduce((a: number, b) => a + (b as number), 0);
  if (job.status !== 'cancelled' && errors < p.failed) problems.push(`errorsByCode sum ${errors} < failed ${p.failed}`);
  return problems;
}

/** RFC 4180 rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
