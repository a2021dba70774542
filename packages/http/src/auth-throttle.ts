import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.ts';

/** The one Redis command the throttle sends (an ioredis client or cluster). */
export interface ScriptRunner {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface FailedAuthThrottleOptions {
  redis: ScriptRunner;
  /** Failed authentications allowed per client address (a revoked key: per key and address) per window; 0 turns throttling off. */
  maxFailures: number;
  windowMs?: number;
  /** Prefix of the Redis keys (one counter per address, or per revoked key and address, expiring with its window). */
  namespace: string;
  log?: { warn: (obj: object, msg: string) => void };
}

/** Counts one failure and answers the count and the milliseconds left in the counter's window. */
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Bound on the in-memory list of throttled subjects (expired ones are dropped first). */
const MAX_BLOCKED = 50_000;

/**
 * Throttles failed authentication (a wrong or missing partner key, a wrong operator token) per
 * client address, so credentials cannot be guessed online: each address (IPv6: each /64) gets
 * `maxFailures` guesses per window, whatever it presents. A revoked key is not a guess; it counts
 * against that key at that address only (the caller decides, see `failure`), so a process still
 * sending it after a rotation throttles neither its address nor anyone else.
 *
 * Nothing is counted per key across addresses: such a count could be raised by anyone who knows a
 * key's prefix (operators see it) and would lock the key out for its partner. Keys are 256 random
 * bits; what bounds guessing is the count per address.
 *
 * Failures are counted in Redis, so the limit holds across API processes. Once a counter passes the
 * limit, the process that saw it remembers the subject in memory until the window ends: every later
 * request from it is answered 429 before any credential is checked, so a throttled guess costs no
 * Postgres query and no Redis command. Another process learns of it on its own next failure, whose
 * count is already past the limit. Successful authentication touches neither Redis nor the memory
 * beyond a map lookup or two.
 */
export class FailedAuthThrottle {
  readonly #redis: ScriptRunner;
  readonly #max: number;
  readonly #windowMs: number;
  readonly #namespace: string;
  readonly #log?: FailedAuthThrottleOptions['log'];
  /** Throttled subject (an address, or a revoked key at an address) → the time its window ends. */
  readonly #blockedUntil = new Map<string, number>();

  constructor(options: FailedAuthThrottleOptions) {
    this.#redis = options.redis;
    this.#max = options.maxFailures;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#namespace = options.namespace;
    this.#log = options.log;
  }

  get enabled(): boolean {
    return this.#max > 0;
  }

  /** Throws 429 while the caller's address, or the presented key at that address, is throttled. */
  assertAllowed(request: FastifyRequest, keyPrefix?: string): void {
    if (!this.enabled || this.#blockedUntil.size === 0) return;
    const now = Date.now();
    const address = addressSubject(request);
    for (const subject of keyPrefix ? [address, keyAtAddress(keyPrefix, address)] : [address]) {
      const until = this.#blockedUntil.get(subject);
      if (until === undefined) continue;
      if (until > now) throw throttled(subject, until - now);
      this.#blockedUntil.delete(subject);
    }
  }

  /**
   * Counts a failed authentication and returns the error to answer it with: `unauthorized` while
   * the caller is within the limit, 429 once past it. Redis being away never turns a 401 into a 5xx.
   * `byAddress: false` counts it against the presented key (its prefix) at the caller's address
   * instead of against the address: a key that exists but was revoked.
   */
  async failure(
    request: FastifyRequest,
    keyPrefix: string | undefined,
    unauthorized: ProblemError,
    options: { byAddress?: boolean } = {},
  ): Promise<ProblemError> {
    if (!this.enabled) return unauthorized;
    const address = addressSubject(request);
    const subject = options.byAddress === false && keyPrefix ? keyAtAddress(keyPrefix, address) : address;
    try {
      const [count, ttl] = (await this.#redis.eval(COUNT_FAILURE, 1, this.#namespace + subject, this.#windowMs)) as [
        number,
        number,
      ];
      if (count <= this.#max) return unauthorized;
      this.#block(subject, ttl);
      return throttled(subject, ttl);
    } catch (err) {
      this.#log?.warn({ err }, 'could not count a failed authentication');
      return unauthorized;
    }
  }

  #block(subject: string, ttlMs: number): void {
    const now = Date.now();
    if (this.#blockedUntil.size >= MAX_BLOCKED) {
      for (const [s, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(s);
      // Still full: forget the oldest entries; their Redis counters still throttle them on the next failure.
      for (const s of this.#blockedUntil.keys()) {
        if (this.#blockedUntil.size < MAX_BLOCKED) break;
        this.#blockedUntil.delete(s);
      }
    }
    this.#blockedUntil.delete(subject); // re-inserted last: the map stays in order of blocking
    this.#blockedUntil.set(subject, now + ttlMs);
  }
}

/** The counter of every failure from the caller's address (network). */
const addressSubject = (request: FastifyRequest) => `ip:${clientNetwork(request.ip)}`;

/** The counter of one revoked key presented from one address: `@` is in neither part. */
const keyAtAddress = (keyPrefix: string, address: string) => `key:${keyPrefix}@${address}`;

function throttled(subject: string, ttlMs: number): ProblemError {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new ProblemError(
    429,
    'authentication_throttled',
    subject.startsWith('key:')
      ? `This revoked API key was sent too often from this address; use the partner's current key (retry in ${seconds} s).`
      : `Too many failed authentications from this address; retry in ${seconds} s.`,
    {},
    { 'retry-after': String(seconds) },
    { retryAfter: seconds, revokedKey: subject.startsWith('key:') },
  );
}

/**
 * The unit an address is throttled by: an IPv4 address, or the /64 network of an IPv6 address
 * (one host commonly holds a whole /64, so single IPv6 addresses would be free to rotate).
 */
export function clientNetwork(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
