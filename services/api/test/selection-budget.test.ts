import { describe, expect, it } from 'vitest';
import { ProblemError } from '@licensing/http';
import { PartnerShares } from '../src/partner-shares.ts';
import { SelectionBudget } from '../src/selection-budget.ts';

describe('SelectionBudget', () => {
  it('admits what fits, makes the rest wait in order, and sheds past the wait or the queue', async () => {
    const budget = new SelectionBudget({ capacity: 100, alwaysAdmitted: 10, maxWaitMs: 200, maxWaiting: 2 });
    const first = await budget.acquire(60);
    const second = await budget.acquire(40);
    expect(budget.usersInFlight).toBe(100);
    // Small requests are never held up.
    const small = await budget.acquire(10);
    expect(budget.usersInFlight).toBe(110);
    const order: string[] = [];
    const admitted = (name: string) => (release: () => void) => {
      order.push(name);
      return release;
    };
    const third = budget.acquire(50).then(admitted('third'));
    const fourth = budget.acquire(30).then(admitted('fourth'));
    // The queue is full: shed at once.
    await expect(budget.acquire(20)).rejects.toMatchObject({ status: 503, code: 'overloaded' });
    first();
    first(); // idempotent
    small();
    const releaseThird = await third; // 40 + 50
    expect(order).toEqual(['third']);
    second();
    const releaseFourth = await fourth; // 50 + 30
    expect(order).toEqual(['third', 'fourth']);
    expect(budget.usersInFlight).toBe(80);
    // Nothing fits now: waits, then gives up with Retry-After.
    const shed = await budget.acquire(90).catch((e: unknown) => e);
    expect(shed).toBeInstanceOf(ProblemError);
    expect((shed as ProblemError).headers['retry-after']).toBe('2');
    releaseThird();
    releaseFourth();
    expect(budget.usersInFlight).toBe(0);
    // Larger than the whole budget: admitted alone.
    const huge = await budget.acquire(500);
    huge();
  });

  it("takes a partner's share for a large request: one more is 429 at once, small ones and other partners go on", async () => {
    const budget = new SelectionBudget({
      capacity: 1_000_000,
      alwaysAdmitted: 1000,
      shares: new PartnerShares({
        perPartner: 1,
        resource: 'selections',
        what: 'large previews',
        setting: 'X',
        retryAfterSeconds: 1,
      }),
    });
    const big = await budget.acquireFor('p1', true, async () => 50_000);
    await expect(budget.acquireFor('p1', true, async () => 50_000)).rejects.toMatchObject({
      status: 429,
      code: 'partner_concurrency_limit',
      headers: { 'retry-after': '1' },
    });
    const small = await budget.acquireFor('p1', budget.mayBeLarge(1000), async () => 1000);
    const other = await budget.acquireFor('p2', true, async () => 50_000);
    big();
    big();
    const again = await budget.acquireFor('p1', true, async () => 50_000);
    for (const release of [small, other, again]) release();
    expect(budget.usersInFlight).toBe(0);
  });

  it('gives the share back when the request is shed for want of room', async () => {
    const shares = new PartnerShares({
      perPartner: 1,
      resource: 'selections',
      what: 'large previews',
      setting: 'X',
      retryAfterSeconds: 1,
    });
    const budget = new SelectionBudget({ capacity: 60_000, alwaysAdmitted: 1000, maxWaitMs: 50, shares });
    const held = await budget.acquireFor('p1', true, async () => 50_000);
    await expect(budget.acquireFor('p2', true, async () => 50_000)).rejects.toMatchObject({ status: 503 });
    expect(shares.heldBy('p2')).toBe(0);
    held();
    expect(shares.heldBy('p1')).toBe(0);
  });
});
