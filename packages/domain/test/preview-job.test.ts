import { describe, expect, it } from 'vitest';
import { catalogOf, previewJob, previewJobSteps, type PreviewUser } from '../src/index.ts';

const catalog = catalogOf([
  { id: 'E3', name: 'E3', servicePlans: [], excludes: ['BASIC'] },
  { id: 'BASIC', name: 'Basic', servicePlans: [] },
  { id: 'US_ONLY', name: 'US only', servicePlans: [], availableIn: ['US'] },
]);
const user = (n: number, licenses: string[] = [], usageLocation: string | null = null): PreviewUser => ({
  id: `u${n}`,
  userPrincipalName: `u${n}@x.example`,
  displayName: `U${n}`,
  usageLocation,
  licenses: licenses.map((productId) => ({ productId, disabledServicePlans: [] })),
});

describe('previewJob', () => {
  it('counts seats as a job reserves them, and outcomes of the users who would succeed', () => {
    const preview = previewJob({
      catalog,
      customerCountry: 'US',
      users: [user(1, ['E3']), user(2), user(3, ['BASIC']), user(4)],
      changes: { assign: [{ productId: 'E3' }], revoke: ['US_ONLY'] },
      available: new Map([['E3', 10]]),
    });
    expect(preview).toEqual({
      userCount: 4,
      seats: [{ productId: 'E3', required: 3, available: 10, shortfall: 0 }],
      outcomes: { assigned: 2, updated: 0, unchanged: 1, revoked: 0, not_assigned: 3, inherited: 0 },
      failures: {
        total: 1,
        byCode: { MutuallyExclusiveViolation: 1 },
        users: [expect.objectContaining({ userId: 'u3' })],
      },
    });
  });

  it('hands out the free seats in user order, only to users who pass every other rule', () => {
    const preview = previewJob({
      catalog,
      customerCountry: 'US',
      users: [user(1, [], 'FR'), user(2), user(3), user(4)],
      changes: { assign: [{ productId: 'US_ONLY' }], revoke: [] },
      available: new Map([['US_ONLY', 2]]),
      failureSample: 1,
    });
    expect(preview.seats).toEqual([{ productId: 'US_ONLY', required: 4, available: 2, shortfall: 2 }]);
    expect(preview.outcomes.assigned).toBe(2);
    expect(preview.failures.total).toBe(2);
    expect(preview.failures.byCode).toEqual({ ProhibitedInUsageLocationViolation: 1, CountViolation: 1 });
    expect(preview.failures.users.map((u) => u.userId)).toEqual(['u1']);
  });

  it('gives the same preview in steps, pausing after every step of users', () => {
    const input = {
      catalog,
      customerCountry: 'US',
      users: Array.from({ length: 10 }, (_, i) => user(i, i % 3 === 0 ? ['BASIC'] : [], i % 4 === 0 ? 'FR' : null)),
      changes: { assign: [{ productId: 'US_ONLY' }, { productId: 'E3' }], revoke: [] },
      available: new Map([
        ['US_ONLY', 5],
        ['E3', 6],
      ]),
    };
    const steps = previewJobSteps(input, 3);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses += 1;
      step = steps.next();
    }
    expect(pauses).toBe(3); // after users 3, 6 and 9
    expect(step.value).toEqual(previewJob(input));
    expect(step.value.failures.total).toBeGreaterThan(0);
  });
});
