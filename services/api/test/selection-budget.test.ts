import { describe, expect, it } from 'vitest';
import { ProblemError } from '@licensing/http';
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
});
