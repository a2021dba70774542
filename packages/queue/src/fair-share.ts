import type { Cluster, Redis } from 'ioredis';

/**
 * Fair sharing of the task queue between partners, then between each partner's customers:
 * start-time fair queueing expressed as BullMQ priorities, so that neither one partner's flood nor
 * one customer's 50,000-user job holds anybody else's work behind it.
 *
 * Every task gets a virtual start tag, and the queue serves tags in order, in levels of `chunk` tags
 * (a level is one BullMQ priority, first-in first-out within it). A customer's tasks are tagged one
 * after another from `max(clock, that customer's last tag)`, `spacing` tags apart, where the spacing
 * is the number of the partner's customers with a backlog (so they split one partner's turn between
 * them) times the partner's weight (1, rising to 8 with the jobs the partner has sent in the last
 * seconds and with how far ahead of the clock it queues: a partner that floods the queue yields to
 * those that do not, from its flood's first second on). So partners with backlogs take turns
 * however many customers, jobs or tasks each has queued; a partner that arrives later starts at the
 * level being served now instead of behind everybody's backlog. The clock is the level the workers are
 * serving: they advance it as they take tasks. Tags further than `HORIZON_LEVELS` ahead of the clock
 * are served at that horizon: the priorities never wrap around past the level being served.
 *
 * Jobs of at most `interactiveMaxUsers` users are interactive (someone waits for "licenses updated").
 * They take the express lane: their shard's express queue, without priorities, consumed by workers
 * of its own (see shards.ts), so they wait for no backlog and no slot that bulk tasks hold. A
 * partner's express lane carries at most `expressBudget` users per `expressWindowSeconds`, whichever
 * of its customers they belong to; past it (a script posting small jobs in a loop) its interactive
 * jobs are tagged as any other job: they take the partner's turn, behind its own backlog.
 *
 * Ordering is a matter of latency only: the worker applies a user's pending items of all jobs in
 * acceptance order (Postgres decides), so tasks served in another order change nothing in the result.
 *
 * The clock, the customers' tags and the partners' backlogs live beside the queue's keys (same prefix
 * and queue name, so the same hash slot on a cluster). If Redis loses them, tagging restarts from
 * zero, as the reconciler re-enqueues the lost tasks.
 */
export interface FairShareOptions {
  /** Tasks of one customer in each priority level. */
  chunk: number;
  /** Jobs of at most this many users are interactive: express lane, or tagged past the budget. */
  interactiveMaxUsers: number;
  /** Users of one partner's interactive jobs that may take the express lane per window. */
  expressBudget: number;
  expressWindowSeconds: number;
  /** A partner's recent jobs (see `PARTNER_RECENT_JOBS`) count half after this many seconds. */
  usageHalfLifeSeconds: number;
}

export const DEFAULT_FAIR_SHARE: FairShareOptions = {
  chunk: 100,
  interactiveMaxUsers: 100,
  // 100 users a second, in windows of 2 s: a partner's burst in the express lane (which serves in
  // arrival order) is at most two 100-user jobs, so nobody else's small job waits behind more.
  expressBudget: 200,
  expressWindowSeconds: 2,
  usageHalfLifeSeconds: 5,
};

/** What `tagTasks` answers as the start of a job that takes the express lane (its tasks get no priority). */
export const EXPRESS = -1;

/** BullMQ's priorities are 1 (first) to 2^21 - 1; the levels wrap around after that many. */
export const PRIORITY_LEVELS = 2 ** 21 - 1;

/** Tags are never placed further ahead of the clock than this many levels (a quarter of the wrap). */
export const HORIZON_LEVELS = Math.floor(PRIORITY_LEVELS / 4);

/**
 * A partner's weight: 1 plus one for every `PARTNER_DEPTH_TAGS` tags it has queued ahead of the
 * clock or for every `PARTNER_RECENT_JOBS` jobs it has sent lately (whichever is more), at most
 * `MAX_PARTNER_WEIGHT`. Its recent jobs are those tagged here (not those of the express lane), each
 * counting half after `usageHalfLifeSeconds` (5 s), a quarter after twice that, and so on: a script
 * posting 100-user jobs as fast as it may (about twenty a second) weighs 3 after half a second and 8
 * after two, while a partner whose work is a big job now and then weighs 1 when it sends the next,
 * however big the last one was. Jobs, not tasks: counting tasks weighs down a partner that has just
 * run a big job more than a flood starting beside its next one. The depth alone is not enough: a
 * flood the workers keep up with never queues far ahead (each of its customers, idle between two of
 * its jobs, starts again at the clock). See docs/benchmarks.md for what each choice measured.
 */
export const PARTNER_DEPTH_TAGS = 20_000;
export const PARTNER_RECENT_JOBS = 4;
export const MAX_PARTNER_WEIGHT = 8;

/** A customer's tag is forgotten a day after its last job was tagged (its backlog is long gone). */
const CUSTOMER_TAG_TTL_SECONDS = 24 * 3600;

/** Whose tasks are tagged: the partner's turn is shared by its customers. */
export interface TaskOwner {
  partnerId: string;
  customerId: string;
}

/** Where a job's tasks go: `start` (or `EXPRESS`), every next task `spacing` tags after the last. */
export interface Tagging {
  start: number;
  spacing: number;
  /** The clock when the job was tagged: no task is placed past `clock + HORIZON_LEVELS` levels. */
  clock: number;
}

type RedisClient = Redis | Cluster;

/** The BullMQ priority of the task with virtual start tag `tag`. */
export function priorityOfTag(tag: number, chunk: number): number {
  return 1 + (Math.floor(tag / chunk) % PRIORITY_LEVELS);
}

/**
 * A job's tasks are tagged in blocks of this many: the block's tasks share its middle task's tag, and
 * the next block follows `TAG_BLOCK * spacing` tags later, so a job's share of the queue is the same
 * as task by task. With a partner's customers spread task by task (twenty customers each given a tag
 * every eighty), a level held one or two tasks of each of them, and the worker applied them in a
 * transaction per customer for a user or two each: a partner's tasks cost several times those of a
 * partner with one customer, and every batch they were in waited for those transactions. In blocks a
 * level holds a block of a few customers, applied a block to a transaction.
 */
export const TAG_BLOCK = 25;

/** The priority of a job's `i`-th task. */
export function priorityOfTask(tagging: Tagging, i: number, chunk: number): number {
  const horizon = (Math.floor(tagging.clock / chunk) + HORIZON_LEVELS) * chunk;
  const block = i - (i % TAG_BLOCK);
  return priorityOfTag(Math.min(tagging.start + (block + BLOCK_MIDDLE) * tagging.spacing, horizon), chunk);
}

/**
 * A block takes the tag of its middle task: served together, its tasks are on average served when
 * their own tags come. With the first task's tag, every block would run ahead of its turn by up to 24
 * of its partner's spacings, and a flooding partner (spacing 160: twenty customers, weight 8) would
 * put the first 25 tasks of each of its jobs at the level being served, ahead of everybody's waiting
 * tasks.
 */
const BLOCK_MIDDLE = Math.floor((TAG_BLOCK - 1) / 2);

/** The clock's key, beside the queue's own keys (`keyOf` is the queue's or worker's `toKey`). */
export const fairClockKey = (keyOf: (type: string) => string) => keyOf('fair-clock');
const customerTagKey = (keyOf: (type: string) => string, customerId: string) => keyOf(`fair-tag:${customerId}`);
export const partnerExpressKey = (keyOf: (type: string) => string, partnerId: string) =>
  keyOf(`fair-express:${partnerId}`);
/** A partner's customers with a backlog, scored by the tag their backlog ends at. */
export const partnerBacklogKey = (keyOf: (type: string) => string, partnerId: string) =>
  keyOf(`fair-partner:${partnerId}`);

/**
 * The partners with tasks queued beyond the clock, scored by where their backlog ends (see
 * `countBacklogged`); those left behind by the clock are forgotten whenever a job is tagged or the
 * backlog counted.
 */
const backlogKey = (keyOf: (type: string) => string) => keyOf('fair-backlog');
/** A partner's recent jobs: `u` counted at `t` (Redis's clock, seconds), decaying since. */
export const partnerUsageKey = (keyOf: (type: string) => string, partnerId: string) => keyOf(`fair-usage:${partnerId}`);

// KEYS: clock, customer's next tag, partner's express users in the window, backlog, partner's
// backlogged customers, partner's recent jobs. ARGV: task count, interactive (1/0), tag TTL, express
// budget, window seconds, customer, depth per weight step, max weight, partner, recent jobs per
// weight step, their half-life in seconds. Returns {first tag, or -1: express; spacing; clock}.
const TAG_SCRIPT = `
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
local count = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', clock)
-- A backlog ends at the highest of its tags (ZADD GT, without needing Redis 6.2).
local function raise(key, member, score)
  local current = redis.call('ZSCORE', key, member)
  if not current or tonumber(current) < score then redis.call('ZADD', key, score, member) end
end
if ARGV[2] == '1' then
  local used = tonumber(redis.call('GET', KEYS[3]) or '0')
  if used + count <= tonumber(ARGV[4]) then
    if used == 0 then redis.call('SET', KEYS[3], count, 'EX', tonumber(ARGV[5]))
    else redis.call('INCRBY', KEYS[3], count) end
    return {-1, 1, clock}
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', clock)
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local last = redis.call('HMGET', KEYS[6], 'u', 't')
local recent = 0
if last[1] and last[2] then
  recent = tonumber(last[1]) * math.pow(0.5, math.max(0, now - tonumber(last[2])) / tonumber(ARGV[11]))
end
redis.call('HSET', KEYS[6], 'u', tostring(recent + 1), 't', string.format('%.3f', now))
redis.call('EXPIRE', KEYS[6], math.ceil(20 * tonumber(ARGV[11])))
local customers = redis.call('ZCARD', KEYS[5])
if not redis.call('ZSCORE', KEYS[5], ARGV[6]) then customers = customers + 1 end
local steps = math.floor(recent / tonumber(ARGV[10]))
local furthest = redis.call('ZREVRANGE', KEYS[5], 0, 0, 'WITHSCORES')[2]
if furthest then steps = math.max(steps, math.floor((tonumber(furthest) - clock) / tonumber(ARGV[7]))) end
local weight = math.min(tonumber(ARGV[8]), 1 + steps)
local spacing = customers * weight
local start = math.max(clock, tonumber(redis.call('GET', KEYS[2]) or '0'))
local finish = start + count * spacing
redis.call('SET', KEYS[2], finish, 'EX', tonumber(ARGV[3]))
raise(KEYS[4], ARGV[9], finish)
raise(KEYS[5], ARGV[6], finish)
redis.call('EXPIRE', KEYS[5], tonumber(ARGV[3]))
return {start, spacing, clock}`;

// KEYS: clock, backlog, the queue's prioritised tasks. Forgets the partners whose tags are all
// behind the clock, or all of them when no prioritised task is left (the clock stays at the last
// level served, short of the last partners' ends); returns how many are left, at least 1 while
// tasks wait (tasks queued without a backlog entry, by an earlier version, count as one).
const BACKLOG_SCRIPT = `
if redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[2])
  return 0
end
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', clock)
return math.max(1, redis.call('ZCARD', KEYS[2]))`;

/** How many partners have bulk tasks waiting in one queue (with their tags at or past the clock). */
export async function countBacklogged(client: RedisClient, keyOf: (type: string) => string): Promise<number> {
  return Number(await client.eval(BACKLOG_SCRIPT, 3, fairClockKey(keyOf), backlogKey(keyOf), keyOf('prioritized')));
}

/**
 * Splits a worker process's `total` task slots between the queues of several shards in proportion
 * to the partners with a backlog in each, so that partners share the worker alike wherever their
 * customers' shards are (partners take turns within a shard; slots decide between shards). Every shard keeps a
 * few slots (a quarter of an even share), so work arriving on an idle shard is taken at once.
 */
export function shareSlots(total: number, backlogged: readonly number[]): number[] {
  const shards = backlogged.length;
  const even = Math.floor(total / shards);
  const sum = backlogged.reduce((a, b) => a + b, 0);
  if (sum === 0) return backlogged.map((_, i) => Math.max(1, even + (i < total - even * shards ? 1 : 0)));
  const floor = Math.max(1, Math.floor(even / 4));
  const rest = Math.max(0, total - floor * shards);
  return backlogged.map((n) => floor + Math.floor((rest * n) / sum));
}

// KEYS: clock. ARGV: a served task's priority, chunk, levels. Moves the clock forward to that
// task's level (a priority is a level modulo the number of levels: the nearest such level is it).
const ADVANCE_SCRIPT = `
local chunk = tonumber(ARGV[2])
local levels = tonumber(ARGV[3])
local level = math.floor(tonumber(redis.call('GET', KEYS[1]) or '0') / chunk)
local served = level - (level % levels) + tonumber(ARGV[1]) - 1
if served < level - levels / 2 then served = served + levels
elseif served > level + levels / 2 then served = served - levels end
if served > level then redis.call('SET', KEYS[1], served * chunk) end
return 0`;

/**
 * Tags `count` tasks of a job of `owner`: where the first goes and how far apart the rest follow,
 * or `start: EXPRESS` for an interactive job within its partner's express budget.
 */
export async function tagTasks(
  client: RedisClient,
  keyOf: (type: string) => string,
  owner: TaskOwner,
  count: number,
  interactive: boolean,
  options: Pick<
    FairShareOptions,
    'expressBudget' | 'expressWindowSeconds' | 'usageHalfLifeSeconds'
  > = DEFAULT_FAIR_SHARE,
): Promise<Tagging> {
  const [start, spacing, clock] = (await client.eval(
    TAG_SCRIPT,
    6,
    fairClockKey(keyOf),
    customerTagKey(keyOf, owner.customerId),
    partnerExpressKey(keyOf, owner.partnerId),
    backlogKey(keyOf),
    partnerBacklogKey(keyOf, owner.partnerId),
    partnerUsageKey(keyOf, owner.partnerId),
    count,
    interactive ? 1 : 0,
    CUSTOMER_TAG_TTL_SECONDS,
    options.expressBudget,
    options.expressWindowSeconds,
    owner.customerId,
    PARTNER_DEPTH_TAGS,
    MAX_PARTNER_WEIGHT,
    owner.partnerId,
    PARTNER_RECENT_JOBS,
    options.usageHalfLifeSeconds,
  )) as [number, number, number];
  return { start: Number(start), spacing: Number(spacing), clock: Number(clock) };
}

/**
 * The workers' side: reports the priorities of the tasks they take, so the clock follows the level
 * being served. At most one update is in flight per process; priorities seen meanwhile are folded
 * into the next one (the highest of them), so this costs Redis a call per level, not per task.
 */
export class FairClock {
  private sent = 0;
  private wanted = 0;
  private inFlight = false;

  constructor(
    private readonly client: RedisClient,
    private readonly clockKey: string,
    private readonly chunk: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  observe(priority: number | undefined): void {
    if (!priority) return; // tasks enqueued without a priority (before fair sharing) change nothing
    if (!isLaterLevel(priority, this.wanted || this.sent)) return;
    this.wanted = priority;
    if (!this.inFlight) void this.flush();
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.wanted) {
        const priority = this.wanted;
        this.wanted = 0;
        await this.client.eval(ADVANCE_SCRIPT, 1, this.clockKey, priority, this.chunk, PRIORITY_LEVELS);
        this.sent = priority;
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.inFlight = false;
    }
  }
}

/** Whether priority `a` is a later level than `b` (0: none yet), levels wrapping around. */
function isLaterLevel(a: number, b: number): boolean {
  if (b === 0) return true;
  return a > b ? a - b < PRIORITY_LEVELS / 2 : b - a > PRIORITY_LEVELS / 2;
}
