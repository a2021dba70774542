import { describe, expect, it } from 'vitest';
import { RecentlyBusyUsers } from '../src/recently-busy-users.ts';

describe('RecentlyBusyUsers', () => {
  it('answers the refused users of a customer for its time to live, then nothing', () => {
    const memo = new RecentlyBusyUsers(1000);
    memo.remember('c1', ['u1', 'u2'], 0);
    expect(memo.busyAmong('c1', ['u2', 'u3'], 100, 500)).toEqual(['u2']);
    expect(memo.busyAmong('c2', ['u2'], 100, 500)).toEqual([]);
    expect(memo.busyAmong('c1', ['u1'], 100, 1000)).toEqual([]);
    // Forgotten once expired: a later refusal starts a new entry.
    memo.remember('c1', ['u3'], 1000);
    expect(memo.busyAmong('c1', ['u1', 'u3'], 100, 1500)).toEqual(['u3']);
  });

  it('adds to a live entry without extending it, and answers at most `max` users', () => {
    const memo = new RecentlyBusyUsers(1000);
    memo.remember('c1', ['u1'], 0);
    memo.remember('c1', ['u2', 'u3'], 900);
    expect(memo.busyAmong('c1', ['u1', 'u2', 'u3'], 2, 950)).toEqual(['u1', 'u2']);
    expect(memo.busyAmong('c1', ['u2'], 100, 1001)).toEqual([]);
  });

  it('remembers a bounded number of customers, forgetting the oldest first', () => {
    const memo = new RecentlyBusyUsers(1000, 2);
    memo.remember('c1', ['u'], 0);
    memo.remember('c2', ['u'], 0);
    memo.remember('c3', ['u'], 0);
    expect(memo.busyAmong('c1', ['u'], 100, 1)).toEqual([]);
    expect(memo.busyAmong('c2', ['u'], 100, 1)).toEqual(['u']);
    expect(memo.busyAmong('c3', ['u'], 100, 1)).toEqual(['u']);
  });
});
