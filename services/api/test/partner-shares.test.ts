import { describe, expect, it } from 'vitest';
import { ProblemError } from '@licensing/http';
import { PartnerShares } from '../src/partner-shares.ts';

describe('PartnerShares', () => {
  it('holds each partner to its share, answers one more 429 with Retry-After, and leaves the others theirs', () => {
    const shares = new PartnerShares({
      perPartner: 2,
      resource: 'csv',
      what: 'results downloads as CSV',
      setting: 'THINGS_PER_PARTNER',
      retryAfterSeconds: 7,
    });
    const a1 = shares.take('a');
    const a2 = shares.take('a');
    let refused: unknown;
    try {
      shares.take('a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ProblemError);
    const problem = refused as ProblemError;
    expect(problem).toMatchObject({ status: 429, code: 'partner_concurrency_limit', extensions: { limit: 2 } });
    expect(problem.headers).toEqual({ 'retry-after': '7' });
    expect(problem.message).toContain('THINGS_PER_PARTNER');
    // Worded in the request's language, from the problem's own fields.
    expect(problem.toDocument('en').detail).toBe(
      'Your partner already has 2 results downloads as CSV in progress on this server, its share; retry in 7 s, once one of them has ended.',
    );
    expect(problem.toDocument('ru').detail).toContain('выгрузок результатов в CSV');
    // Another partner is not held back by the first one's share.
    const b1 = shares.take('b');
    const b2 = shares.take('b');
    expect(shares.heldBy('b')).toBe(2);
    // Giving back is idempotent and makes room for the same partner again.
    a1();
    a1();
    expect(shares.heldBy('a')).toBe(1);
    const a3 = shares.take('a');
    expect(() => shares.take('a')).toThrow(ProblemError);
    for (const release of [a2, a3, b1, b2]) release();
    expect(shares.heldBy('a')).toBe(0);
    expect(shares.heldBy('b')).toBe(0);
  });

  it('holds a partner to its share of the time (a leaky bucket of held milliseconds), with Retry-After until it drains', () => {
    let now = 0;
    const shares = new PartnerShares(
      {
        perPartner: 1,
        resource: 'selections',
        what: 'large previews',
        setting: 'X',
        retryAfterSeconds: 1,
        busyShare: 0.25,
        busyWindowMs: 10_000,
      },
      () => now,
    );
    // Back to back, 1 s each: the allowance is 2.5 s of held time, draining 250 ms a second.
    for (let i = 0; i < 3; i++) {
      const release = shares.take('a');
      now += 1000;
      release();
    }
    // 3 s held, 0.5 s drained since the first release: 2.5 s, not yet over.
    const fourth = shares.take('a');
    now += 1000;
    fourth();
    // 4 s held, 0.75 s drained: 3.25 s, 0.75 s over: retry after 0.75 / 0.25 = 3 s.
    let refused: any;
    try {
      shares.take('a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ status: 429, code: 'partner_concurrency_limit', headers: { 'retry-after': '3' } });
    expect(refused.params).toMatchObject({ busy: true, busyPercent: 25 });
    // Another partner is not affected.
    shares.take('b')();
    now += 3000;
    shares.take('a')();
  });

  it("makes a partner's request over its share wait for one of its own to end, up to a bound, then 429", async () => {
    const shares = new PartnerShares({
      perPartner: 1,
      resource: 'selections',
      what: 'large previews',
      setting: 'X',
      retryAfterSeconds: 1,
    });
    const first = await shares.takeWaiting('a', 1000);
    let secondTaken = false;
    const second = shares.takeWaiting('a', 1000).then((release) => {
      secondTaken = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(secondTaken).toBe(false);
    first();
    const releaseSecond = await second;
    expect(secondTaken).toBe(true);
    // Nobody ends in time: refused after the wait; too many waiting: refused at once.
    await expect(shares.takeWaiting('a', 50)).rejects.toMatchObject({ status: 429, code: 'partner_concurrency_limit' });
    await expect(shares.takeWaiting('a', 1000, 0)).rejects.toMatchObject({ status: 429 });
    releaseSecond();
    (await shares.takeWaiting('a', 10))();
    expect(shares.heldBy('a')).toBe(0);
  });
});
