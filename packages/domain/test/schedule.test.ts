import { describe, expect, it } from 'vitest';
import { jobStart, MAX_SCHEDULE_DAYS } from '../src/index.ts';

const now = new Date('2026-03-01T12:00:00Z');
const plus = (ms: number) => new Date(now.getTime() + ms);

describe('jobStart', () => {
  it('runs at once without a time, or with one that has come', () => {
    expect(jobStart(undefined, now)).toEqual({ kind: 'now', notBefore: null });
    expect(jobStart(now.toISOString(), now)).toEqual({ kind: 'now', notBefore: now });
    expect(jobStart('2020-01-01T00:00:00+02:00', now)).toMatchObject({ kind: 'now' });
  });

  it('schedules a time ahead, up to 90 days', () => {
    expect(jobStart(plus(1000), now)).toEqual({ kind: 'scheduled', notBefore: plus(1000) });
    const limit = plus(MAX_SCHEDULE_DAYS * 86_400_000);
    expect(jobStart(limit, now)).toEqual({ kind: 'scheduled', notBefore: limit });
    expect(jobStart('2026-03-01T15:00:00+03:00', now)).toMatchObject({ kind: 'now' });
  });

  it('refuses a time more than 90 days ahead, naming the latest it takes', () => {
    const late = plus(MAX_SCHEDULE_DAYS * 86_400_000 + 1);
    expect(jobStart(late, now)).toEqual({
      kind: 'too_far',
      notBefore: late,
      latest: plus(MAX_SCHEDULE_DAYS * 86_400_000),
    });
  });
});
