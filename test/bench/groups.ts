// The groups phase of `pnpm bench`: one customer's users imported in batches, all of them members of
// one dynamic group; the group is given a product, then has it taken away, each timed as a client sees
// it (from the PUT until the group's job is finished), in members per second. In the same run and on
// the same customer, a plain license job assigns, then revokes, the same product for up to 50,000 of
// those users (a job's limit): its users per second are what the group's rate is compared with (the
// target: at least half of it).
//   BENCH_GROUP_MEMBERS (200000; 0 skips the phase)  BENCH_ONLY=groups (this phase alone, see bench.ts)

import { cpuSeconds, postgresCpuSeconds } from './proc.ts';

export interface GroupsDeps {
  baseUrl: string;
  /** A partner's key. */
  apiKey: string;
  productId: string;
  /** The services' processes, for the CPU each part costs them. */
  pids: { api: number; workers: number[] };
}

/** Members of the group. */
export const GROUP_MEMBERS = Number(process.env.BENCH_GROUP_MEMBERS ?? 200_000);
/** Most users of one license job. */
const JOB_LIMIT = 50_000;
/** Users per batch import request (its limit). */
const IMPORT_BATCH = 10_000;
/** The target: a group's members per second at least this share of a plain job's users per second. */
const TARGET_RATIO = 0.5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Timed {
  /** Users (or members) the job changed. */
  users: number;
  /** The request that started it (POST of the job, PUT of the group's licenses), answered after this. */
  requestMs: number;
  seconds: number;
  usersPerSecond: number;
  /** The job alone, from its acceptance to its finish as the job reports them (without the request before it). */
  jobSeconds: number;
  /** CPU microseconds per user, by process (API, worker, Postgres: all of the machine's). */
  cpuMicrosPerUser: Record<string, number>;
}

export async function groupsPhase(deps: GroupsDeps) {
  const members = GROUP_MEMBERS;
  const call = async (method: string, path: string, body?: unknown, expected = 200) => {
    const res = await fetch(deps.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${deps.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (res.status !== expected)
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json as any;
  };
  const cpu = () => ({
    api: cpuSeconds(deps.pids.api),
    worker: deps.pids.workers.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    postgres: postgresCpuSeconds(),
  });
  const perUser = (before: Record<string, number>, after: Record<string, number>, users: number) =>
    Object.fromEntries(Object.keys(after).map((k) => [k, Math.round(((after[k]! - before[k]!) * 1e6) / users)]));

  /** Polls a job (every 50 ms, as the bench's other jobs) until it is finished; answers it. */
  const finished = async (customerId: string, jobId: string) => {
    for (;;) {
      const job = await call('GET', `/v1/customers/${customerId}/license-jobs/${jobId}`);
      if (job.finishedAt) {
        if (job.status !== 'completed') throw new Error(`job ended ${job.status}: ${JSON.stringify(job.errorsByCode)}`);
        return job;
      }
      await sleep(50);
    }
  };

  /** Starts a change (`start` answers its job's id) and times it until its job is finished. */
  const timed = async (customerId: string, start: () => Promise<string>): Promise<Timed> => {
    const before = cpu();
    const t0 = performance.now();
    const jobId = await start();
    const requestMs = Math.round(performance.now() - t0);
    const job = await finished(customerId, jobId);
    const seconds = (performance.now() - t0) / 1000;
    const users = job.progress.total as number;
    if (job.progress.succeeded !== users) throw new Error(`job ${jobId}: ${JSON.stringify(job.progress)}`);
    return {
      users,
      requestMs,
      seconds: +seconds.toFixed(2),
      usersPerSecond: Math.round(users / seconds),
      jobSeconds: +((Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000).toFixed(2),
      cpuMicrosPerUser: perUser(before, cpu(), users),
    };
  };

  // The customer: every user imported through the batch import, in the department the group selects.
  const customer = (await call('POST', '/v1/customers', { name: 'Bench groups', country: 'US' }, 201)).id as string;
  const ids: string[] = [];
  let t = performance.now();
  for (let from = 0; from < members; from += IMPORT_BATCH) {
    const users = Array.from({ length: Math.min(IMPORT_BATCH, members - from) }, (_, k) => ({
      userPrincipalName: `g${from + k}@groups.bench.example`,
      displayName: `Member ${from + k}`,
      department: 'Field',
    }));
    const created = await call('POST', `/v1/customers/${customer}/users/batch`, { users }, 201);
    ids.push(...created.items.map((u: { id: string }) => u.id));
  }
  const importUsersPerSecond = Math.round(members / ((performance.now() - t) / 1000));
  await call('PUT', `/v1/customers/${customer}/subscriptions/${deps.productId}`, { quantity: members });
  console.log(`groups: ${members} users imported, ${importUsersPerSecond} users/s`);

  // A plain job of the same customer's users, after an unmeasured small pair (a run of this phase alone
  // starts with cold services).
  const plainUsers = ids.slice(0, Math.min(members, JOB_LIMIT));
  const job = (userIds: string[], change: object) => async () =>
    (await call('POST', `/v1/customers/${customer}/license-jobs`, { userIds, ...change }, 202)).id as string;
  const assign = { assign: [{ productId: deps.productId }] };
  const revoke = { revoke: [deps.productId] };
  const warm = ids.slice(0, Math.min(members, 2000));
  await timed(customer, job(warm, assign));
  await timed(customer, job(warm, revoke));
  const plainAssign = await timed(customer, job(plainUsers, assign));
  const plainRevoke = await timed(customer, job(plainUsers, revoke));
  console.log(
    `groups: plain job of ${plainUsers.length} users: assign ${plainAssign.usersPerSecond}/s, revoke ${plainRevoke.usersPerSecond}/s`,
  );

  // The group: every imported user by its rule, at once.
  t = performance.now();
  const group = await call(
    'POST',
    `/v1/customers/${customer}/groups`,
    { name: 'Field', membershipRule: { departments: ['Field'] } },
    201,
  );
  const createMs = Math.round(performance.now() - t);
  if (group.memberCount !== members) throw new Error(`group of ${group.memberCount} members, not ${members}`);
  const groupJob = async () => {
    const jobs = await call('GET', `/v1/customers/${customer}/license-jobs?groupId=${group.id}&pageSize=1`);
    return jobs.items[0].id as string;
  };
  const licenses = (body: object) => async () => {
    await call('PUT', `/v1/customers/${customer}/groups/${group.id}/licenses`, body, 202);
    return groupJob();
  };
  const granted = await timed(customer, licenses({ licenses: [{ productId: deps.productId }] }));
  const seats = async () =>
    (await call('GET', `/v1/customers/${customer}/subscriptions`)).items.find(
      (s: { productId: string }) => s.productId === deps.productId,
    );
  const afterGrant = await seats();
  if (afterGrant.assigned !== members || afterGrant.waiting !== 0)
    throw new Error(`after the grant: ${JSON.stringify(afterGrant)}`);
  const removed = await timed(customer, licenses({ licenses: [], confirmRemovals: members }));
  const afterRemoval = await seats();
  if (afterRemoval.assigned !== 0) throw new Error(`after the removal: ${JSON.stringify(afterRemoval)}`);

  const ratio = (group: Timed, plain: Timed) => +(group.usersPerSecond / plain.usersPerSecond).toFixed(2);
  const figures = {
    members,
    importUsersPerSecond,
    groupCreateMs: createMs,
    plainJob: { users: plainUsers.length, assign: plainAssign, revoke: plainRevoke },
    grant: { ...granted, membersPerSecond: granted.usersPerSecond },
    removal: { ...removed, membersPerSecond: removed.usersPerSecond },
    grantRatioToPlainAssign: ratio(granted, plainAssign),
    removalRatioToPlainRevoke: ratio(removed, plainRevoke),
    target: TARGET_RATIO,
  };
  const verdict = (r: number) => (r >= TARGET_RATIO ? 'met' : 'NOT met');
  console.log(
    `groups: ${members} members given the product ${granted.usersPerSecond}/s (PUT ${granted.requestMs} ms) against a plain assign's ${plainAssign.usersPerSecond}/s → ${figures.grantRatioToPlainAssign} (target ${TARGET_RATIO}: ${verdict(figures.grantRatioToPlainAssign)}); ` +
      `removed ${removed.usersPerSecond}/s (PUT ${removed.requestMs} ms) against a plain revoke's ${plainRevoke.usersPerSecond}/s → ${figures.removalRatioToPlainRevoke} (${verdict(figures.removalRatioToPlainRevoke)})`,
  );
  return figures;
}
