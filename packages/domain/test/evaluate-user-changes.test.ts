import { describe, expect, it, vi } from 'vitest';
import { catalogOf, evaluateUserChanges, type License, type Product, type RequestedChanges } from '../src/index.ts';

const products: Product[] = [
  {
    id: 'E3',
    name: 'Suite E3',
    servicePlans: [
      { id: 'EXO', name: 'Exchange' },
      { id: 'SPO', name: 'SharePoint' },
      { id: 'FORMS', name: 'Forms', requires: ['SPO'] },
      { id: 'PLANNER', name: 'Planner', requires: ['EXO', 'SPO'] },
    ],
    excludes: ['BASIC'],
  },
  { id: 'E5', name: 'Suite E5', servicePlans: [{ id: 'EXO', name: 'Exchange' }] },
  { id: 'BASIC', name: 'Basic', servicePlans: [] },
  { id: 'LITE', name: 'Lite (excluded by E5 only from its side)', servicePlans: [], excludes: ['E5'] },
  { id: 'PHONE', name: 'Phone add-on', servicePlans: [], requiresAnyOf: ['E3', 'E5'] },
  { id: 'CALLING', name: 'Calling plan', servicePlans: [], availableIn: ['US', 'CA'], requiresAnyOf: ['PHONE'] },
  { id: 'COPILOT', name: 'Copilot', servicePlans: [], unavailableIn: ['CN', 'RU'] },
];
const catalog = catalogOf(products);

const lic = (productId: string, disabledServicePlans: string[] = []): License => ({ productId, disabledServicePlans });
const changes = (assign: (string | [string, string[]])[] = [], revoke: string[] = []): RequestedChanges => ({
  assign: assign.map((a) => (typeof a === 'string' ? { productId: a } : { productId: a[0], disabledServicePlans: a[1] })),
  revoke,
});

function run(licenses: License[], requested: RequestedChanges, opts: { usageLocation?: string | null; country?: string; seats?: boolean } = {}) {
  const hasSeat = vi.fn(() => opts.seats ?? true);
  const result = evaluateUserChanges({
    catalog,
    user: { usageLocation: opts.usageLocation ?? null, customerCountry: opts.country ?? 'US', licenses },
    changes: requested,
    hasSeat,
  });
  const summary = result.changes.map((c) => `${c.action} ${c.productId}: ${c.outcome}${c.error ? ` (${c.error.code})` : ''}`);
  return { result, summary, hasSeat };
}

describe('evaluateUserChanges: outcomes', () => {
  it.each([
    ['assigns a product the user lacks', [], changes(['E3']), ['assign E3: assigned']],
    ['leaves an identical assignment unchanged', [lic('E3', ['FORMS'])], changes([['E3', ['FORMS']]]), ['assign E3: unchanged']],
    ['updates when the disabled plans change', [lic('E3')], changes([['E3', ['FORMS']]]), ['assign E3: updated']],
    ['normalises plan lists before comparing', [lic('E3', ['FORMS', 'PLANNER'])], changes([['E3', ['PLANNER', 'FORMS', 'FORMS']]]), ['assign E3: unchanged']],
    ['revokes a held product', [lic('E5')], changes([], ['E5']), ['revoke E5: revoked']],
    ['reports not_assigned for a product not held', [], changes([], ['E5']), ['revoke E5: not_assigned']],
    ['orders revokes before assigns', [lic('BASIC')], changes(['E3'], ['BASIC']), ['revoke BASIC: revoked', 'assign E3: assigned']],
    ['assigns an add-on together with its base', [], changes(['E3', 'PHONE']), ['assign E3: assigned', 'assign PHONE: assigned']],
    ['revokes an add-on together with its base', [lic('E3'), lic('PHONE')], changes([], ['E3', 'PHONE']), ['revoke E3: revoked', 'revoke PHONE: revoked']],
    ['keeps an add-on whose other base remains', [lic('E3'), lic('E5'), lic('PHONE')], changes([], ['E3']), ['revoke E3: revoked']],
    ['swaps suites that exclude each other', [lic('E3')], changes(['BASIC'], ['E3']), ['revoke E3: revoked', 'assign BASIC: assigned']],
    ['allows a product available in the usage location', [], changes(['CALLING', 'PHONE', 'E5']), ['assign CALLING: assigned', 'assign PHONE: assigned', 'assign E5: assigned']],
  ] as const)('%s', (_name, licenses, requested, expected) => {
    const { result, summary } = run([...licenses], requested);
    expect(summary).toEqual(expected);
    expect(result.status).toBe('succeeded');
    expect(result.errorCodes).toEqual([]);
  });

  it('returns the licenses after the job, with newly assigned and revoked products', () => {
    const { result } = run([lic('BASIC'), lic('COPILOT')], changes([['E3', ['FORMS']], 'COPILOT'], ['BASIC']));
    expect(result.licenses).toEqual([lic('COPILOT'), lic('E3', ['FORMS'])]);
    expect(result.newlyAssigned).toEqual(['E3']);
    expect(result.revoked).toEqual(['BASIC']);
  });
});

describe('evaluateUserChanges: violations', () => {
  it.each([
    ['refuses a product outside availableIn', [lic('E3'), lic('PHONE')], changes(['CALLING']), { usageLocation: 'FR' }, ['assign CALLING: failed (ProhibitedInUsageLocationViolation)']],
    ['refuses a product in unavailableIn', [], changes(['COPILOT']), { usageLocation: 'RU' }, ['assign COPILOT: failed (ProhibitedInUsageLocationViolation)']],
    ["falls back to the customer's country", [], changes(['COPILOT']), { country: 'CN' }, ['assign COPILOT: failed (ProhibitedInUsageLocationViolation)']],
    ['prefers the usage location over the country', [], changes(['COPILOT']), { country: 'CN', usageLocation: 'US' }, ['assign COPILOT: assigned']],
    ['refuses a product excluded by a held one', [lic('BASIC')], changes(['E3']), {}, ['assign E3: failed (MutuallyExclusiveViolation)']],
    ['refuses exclusion declared on the other side', [lic('E3')], changes(['BASIC']), {}, ['assign BASIC: failed (MutuallyExclusiveViolation)']],
    ['refuses exclusion declared only by the product being assigned', [lic('E5')], changes(['LITE']), {}, ['assign LITE: failed (MutuallyExclusiveViolation)']],
    ['fails both when two exclusive products are assigned together', [], changes(['E3', 'BASIC']), {}, ['assign E3: failed (MutuallyExclusiveViolation)', 'assign BASIC: failed (MutuallyExclusiveViolation)']],
    ['refuses an add-on without its base', [], changes(['PHONE']), {}, ['assign PHONE: failed (DependencyViolation)']],
    ['refuses revoking the base under an add-on', [lic('E3'), lic('PHONE')], changes([], ['E3']), {}, ['revoke E3: failed (DependencyViolation)']],
    ['refuses an enabled plan that requires a disabled one', [], changes([['E3', ['SPO']]]), {}, ['assign E3: failed (DependencyViolation)']],
    ['accepts disabling a plan together with the plans that need it', [], changes([['E3', ['SPO', 'FORMS', 'PLANNER']]]), {}, ['assign E3: assigned']],
    ['skips the valid changes of a failing user', [lic('BASIC')], changes(['COPILOT', 'E3'], ['E5']), {}, ['revoke E5: skipped', 'assign COPILOT: skipped', 'assign E3: failed (MutuallyExclusiveViolation)']],
  ] as const)('%s', (_name, licenses, requested, opts, expected) => {
    const { result, summary } = run([...licenses], requested, opts);
    expect(summary).toEqual(expected);
    if (expected.some((e) => e.includes('failed'))) {
      expect(result.status).toBe('failed');
      expect(result.licenses).toEqual(licenses);
      expect(result.newlyAssigned).toEqual([]);
    }
  });

  it('checks seats last, and only for products the user does not hold', () => {
    const noSeat = run([lic('E5')], changes(['E3', 'E5']), { seats: false });
    expect(noSeat.summary).toEqual(['assign E3: failed (CountViolation)', 'assign E5: skipped']);
    expect(noSeat.result.errorCodes).toEqual(['CountViolation']);
    expect(noSeat.hasSeat).toHaveBeenCalledTimes(1);
    expect(noSeat.hasSeat).toHaveBeenCalledWith('E3');

    const otherError = run([lic('BASIC')], changes(['E3', 'COPILOT']), { seats: false });
    expect(otherError.summary).toEqual(['assign E3: failed (MutuallyExclusiveViolation)', 'assign COPILOT: skipped']);
    expect(otherError.hasSeat).not.toHaveBeenCalled();

    const updateOnly = run([lic('E3')], changes([['E3', ['FORMS']]]), { seats: false });
    expect(updateOnly.summary).toEqual(['assign E3: updated']);
    expect(updateOnly.hasSeat).not.toHaveBeenCalled();
  });

  it('fails every change with UserNotFound when the user is gone', () => {
    const hasSeat = vi.fn(() => true);
    const result = evaluateUserChanges({ catalog, user: null, changes: changes(['E3'], ['BASIC']), hasSeat });
    expect(result.status).toBe('failed');
    expect(result.changes.map((c) => [c.productId, c.outcome, c.error?.code])).toEqual([
      ['BASIC', 'failed', 'UserNotFound'],
      ['E3', 'failed', 'UserNotFound'],
    ]);
    expect(result.errorCodes).toEqual(['UserNotFound']);
    expect(hasSeat).not.toHaveBeenCalled();
  });

  it('collects distinct error codes in order of appearance', () => {
    const { result, summary } = run([lic('E3'), lic('PHONE'), lic('E5')], changes(['COPILOT', 'LITE', 'CALLING'], ['E3', 'E5']), { usageLocation: 'CN' });
    expect(summary).toEqual([
      'revoke E3: failed (DependencyViolation)',
      'revoke E5: failed (DependencyViolation)',
      'assign COPILOT: failed (ProhibitedInUsageLocationViolation)',
      'assign LITE: skipped',
      'assign CALLING: failed (ProhibitedInUsageLocationViolation)',
    ]);
    expect(result.errorCodes).toEqual(['DependencyViolation', 'ProhibitedInUsageLocationViolation']);
  });
});
