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
});
