import type { Cluster, Redis } from 'ioredis';

/**
 * Partners' lanes on the delivery queue: one partner's backlog, failing endpoint or flood of test
 * pings delays its own deliveries only.
 *
 * Order: start-time fair queueing as BullMQ priorities (the idea of packages/queue's fair-share.ts,
 * with the partner as the unit). Every attempt queued gets a tag: a partner's attempts are tagged one
 * after another from `max(clock, that partner's last tag)`, and the clock is the highest tag the
 * workers have taken. A partner with 5,000 attempts queued has tags far ahead of the clock; another
 * partner's next attempt is tagged just past the clock, so it is taken next, ahead of that backlog.
 * The priority is the tag modulo BullMQ's range, capped at `HORIZON_TAGS` past the clock.
 *
 * Concurrency: a partner has at most `cap` attempts in flight, over every worker process (a sorted
 * set of leases in Redis, so a dead worker's lease runs out). One more is parked: its task ends, and
 * the attempt waits in the partner's parked set, holding no worker slot and not taken again and
 * again. Each attempt of the partner that ends hands its slot to the oldest parked one, queued again
 * with its first tag (so it is served at once). An endpoint whose last `FAILING_AFTER` attempts all
 * failed gets one attempt at a time until one succeeds: a dead endpoint is tried, not hammered.
 *
 * Postgres stays the record: a parked delivery is due again there `PARK_SECONDS` later, so if Redis
 * loses the parked sets the reconciler queues it then.
 *
 * The keys live beside the queue's own (its `toKey`), so on a cluster they share its hash slot.
 */
type RedisClient = Redis | Cluster;
type KeyOf = (type: string) => string;

/** BullMQ priorities are 1 (first) to 2^21 - 1. */
const PRIORITY_LEVELS = 2 ** 21 - 1;
/** No attempt is placed further ahead of the clock than this (so priorities never wrap past it). */
export const HORIZON_TAGS = 200_000;
/** Consecutive failed attempts after which an endpoint gets one attempt at a time. */
export const FAILING_AFTER = 3;
/** How long after it is parked a delivery is due again in Postgres (the reconciler's fallback). */
export const PARK_SECONDS = 300;
/** A partner's last tag, parked set and failure count are forgotten this long after their last use. */
const STATE_TTL_SECONDS = 2 * 24 * 3600;

const clockKey = (keyOf: KeyOf) => keyOf('lane-clock');
const tagKey = (keyOf: KeyOf, partnerId: string) => keyOf(`lane-tag:${partnerId}`);
const busyKey = (keyOf: KeyOf, partnerId: string) => keyOf(`lane-busy:${partnerId}`);
const parkedKey = (keyOf: KeyOf, partnerId: string) => keyOf(`lane-parked:${partnerId}`);
const failingKey = (keyOf: KeyOf, partnerId: string) => keyOf(`lane-failing:${partnerId}`);
const pingKey = (keyOf: KeyOf, partnerId: string) => keyOf(`ping-window:${partnerId}`);

/** The BullMQ priority of an attempt tagged `tag` while the clock is at `clock`. */
export function priorityOfTag(tag: number, clock: number): number {
  return 1 + (Math.min(tag, clock + HORIZON_TAGS) % PRIORITY_LEVELS);
}

// KEYS: clock, partner's last tag. ARGV: count, ttl. Returns {first tag - 1, clock}.
const TAG_SCRIPT = `
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(clock, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], start + tonumber(ARGV[1]), 'EX', tonumber(ARGV[2]))
return {start, clock}`;

/** Tags `count` attempts of one partner: the i-th (from 0) is `start + 1 + i`. */
export async function tagAttempts(
  client: RedisClient,
  keyOf: KeyOf,
  partnerId: string,
  count: number,
): Promise<{ start: number; clock: number }> {
  const [start, clock] = (await client.eval(
    TAG_SCRIPT,
    2,
    clockKey(keyOf),
    tagKey(keyOf, partnerId),
    count,
    STATE_TTL_SECONDS,
  )) as [number, number];
  return { start: Number(start), clock: Number(clock) };
}

// KEYS: clock, busy, parked, failing. ARGV: now, lease until, token, cap, tag, failing after,
// parked member, ttl. Moves the clock to the tag; 1: a slot is taken, 0: parked.
const ACQUIRE_SCRIPT = `
local tag = tonumber(ARGV[5])
if tag > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], tag) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local cap = tonumber(ARGV[4])
if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[6]) then cap = 1 end
if redis.call('ZSCORE', KEYS[2], ARGV[3]) or redis.call('ZCARD', KEYS[2]) < cap then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  redis.call('PEXPIREAT', KEYS[2], ARGV[2])
  return 1
end
if not redis.call('ZSCORE', KEYS[3], ARGV[7]) then redis.call('ZADD', KEYS[3], tag, ARGV[7]) end
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[8]))
return 0`;

// KEYS: busy, parked, failing. ARGV: now, token ('' for none), cap, outcome (ok, failed, none),
// failing after, ttl. Gives the slot back, counts the outcome, and pops as many parked attempts as
// there are free slots: {member, tag, member, tag, ...}.
const RELEASE_SCRIPT = `
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
if ARGV[4] == 'ok' then redis.call('DEL', KEYS[3])
elseif ARGV[4] == 'failed' then
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], tonumber(ARGV[6]))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local cap = tonumber(ARGV[3])
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[5]) then cap = 1 end
local free = cap - redis.call('ZCARD', KEYS[1])
if free <= 0 then return {} end
return redis.call('ZPOPMIN', KEYS[2], free)`;

/** An attempt handed on from the parked set: delivery, attempts made before it, its first tag. */
export interface ParkedAttempt {
  d: string;
  a: number;
  t: number;
}

export class PartnerLanes {
  constructor(
    private readonly client: RedisClient,
    private readonly keyOf: KeyOf,
    /** Attempts of one partner in flight at once, over every worker process. */
    private readonly cap: number,
    /** How long a slot is held at most (the attempt's time limit and its two statements). */
    private readonly leaseMs: number,
  ) {}

  /**
   * Takes one of the partner's slots for the attempt `token`, or parks it (false): its task should
   * end, and the attempt is handed on when a slot frees.
   */
  async acquire(partnerId: string, token: string, attempt: ParkedAttempt): Promise<boolean> {
    const now = Date.now();
    const taken = await this.client.eval(
      ACQUIRE_SCRIPT,
      4,
      clockKey(this.keyOf),
      busyKey(this.keyOf, partnerId),
      parkedKey(this.keyOf, partnerId),
      failingKey(this.keyOf, partnerId),
      now,
      now + this.leaseMs,
      token,
      this.cap,
      attempt.t,
      FAILING_AFTER,
      `${attempt.d}:${attempt.a}`,
      STATE_TTL_SECONDS,
    );
    return Number(taken) === 1;
  }

  /**
   * Gives the slot of `token` back (none: only hands free slots on), counting the attempt's outcome,
   * and answers the parked attempts that take the free slots; the caller queues them again.
   */
  async release(partnerId: string, token: string | null, outcome: 'ok' | 'failed' | 'none'): Promise<ParkedAttempt[]> {
    const popped = (await this.client.eval(
      RELEASE_SCRIPT,
      3,
      busyKey(this.keyOf, partnerId),
      parkedKey(this.keyOf, partnerId),
      failingKey(this.keyOf, partnerId),
      Date.now(),
      token ?? '',
      this.cap,
      outcome,
      FAILING_AFTER,
      STATE_TTL_SECONDS,
    )) as string[];
    const attempts: ParkedAttempt[] = [];
    for (let i = 0; i + 1 < popped.length; i += 2) {
      const [d, a] = popped[i]!.split(':');
      attempts.push({ d: d!, a: Number(a), t: Number(popped[i + 1]) });
    }
    return attempts;
  }
}

export function partnerLanes(queue: { redis: RedisClient; toKey: KeyOf }, cap: number, leaseMs: number): PartnerLanes {
  return new PartnerLanes(queue.redis, queue.toKey, cap, leaseMs);
}

// KEYS: the partner's pings of the last minute. ARGV: now, window ms, limit, member. Returns 0 when
// the ping may be sent, else the milliseconds until the oldest leaves the window.
const PING_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  return math.max(1, tonumber(oldest) + tonumber(ARGV[2]) - tonumber(ARGV[1]))
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

export const PING_WINDOW_MS = 60_000;

/**
 * Counts a test ping of the partner against its `perMinute` (a sliding minute): 0 when it may be
 * sent, else the seconds until it may.
 */
export async function takePingSlot(
  queue: { redis: RedisClient; toKey: KeyOf },
  partnerId: string,
  perMinute: number,
): Promise<number> {
  const waitMs = Number(
    await queue.redis.eval(
      PING_SCRIPT,
      1,
      pingKey(queue.toKey, partnerId),
      Date.now(),
      PING_WINDOW_MS,
      perMinute,
      `${Date.now()}:${Math.random().toString(36).slice(2)}`,
    ),
  );
  return waitMs === 0 ? 0 : Math.ceil(waitMs / 1000);
}
