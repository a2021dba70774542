import { describe, expect, it, vi } from 'vitest';
import {
  catalogOf,
  evaluateUserChanges,
  requiredDisabledPlans,
  servicePlanConflicts,
  type License,
  type Product,
  type RequestedChanges,
} from '../src/index.ts';

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
  // Every rule at once, to check which one wins.
  {
    id: 'VIVA',
    name: 'Viva',
    servicePlans: [
      { id: 'CORE', name: 'Core' },
      { id: 'INSIGHTS', name: 'Insights', requires: ['CORE'] },
    ],
    availableIn: ['US'],
    requiresAnyOf: ['E5'],
    excludes: ['BASIC'],
  },
  // Excludes a product the catalog does not know.
  { id: 'MODERN', name: 'Modern', servicePlans: [], excludes: ['LEGACY'] },
];
const catalog = catalogOf(products);

const lic = (productId: string, disabledServicePlans: string[] = []): License => ({ productId, disabledServicePlans });
const changes = (assign: (string | [string, string[]])[] = [], revoke: string[] = []): RequestedChanges => ({
  assign: assign.map((a) =>
    typeof a === 'string' ? { productId: a } : { productId: a[0], disabledServicePlans: a[1] },
  ),
  revoke,
});

function run(
  licenses: License[],
  requested: RequestedChanges,
  opts: { usageLocation?: string | null; country?: string; seats?: boolean } = {},
) {
  const hasSeat = vi.fn(() => opts.seats ?? true);
  const result = evaluateUserChanges({
    catalog,
    user: { usageLocation: opts.usageLocation ?? null, customerCountry: opts.country ?? 'US', licenses },
    changes: requested,
    hasSeat,
  });
  const summary = result.changes.map(
    (c) => `${c.action} ${c.productId}: ${c.outcome}${c.error ? ` (${c.error.code})` : ''}`,
  );
  return { result, summary, hasSeat };
}

describe('evaluateUserChanges: outcomes', () => {
  it.each([
    ['assigns a product the user lacks', [], changes(['E3']), ['assign E3: assigned']],
    [
      'leaves an identical assignment unchanged',
      [lic('E3', ['FORMS'])],
      changes([['E3', ['FORMS']]]),
      ['assign E3: unchanged'],
    ],
    ['updates when the disabled plans change', [lic('E3')], changes([['E3', ['FORMS']]]), ['assign E3: updated']],
    [
      'normalises plan lists before comparing',
      [lic('E3', ['FORMS', 'PLANNER'])],
      changes([['E3', ['PLANNER', 'FORMS', 'FORMS']]]),
      ['assign E3: unchanged'],
    ],
    ['revokes a held product', [lic('E5')], changes([], ['E5']), ['revoke E5: revoked']],
    ['reports not_assigned for a product not held', [], changes([], ['E5']), ['revoke E5: not_assigned']],
    [
      'orders revokes before assigns',
      [lic('BASIC')],
      changes(['E3'], ['BASIC']),
      ['revoke BASIC: revoked', 'assign E3: assigned'],
    ],
    [
      'assigns an add-on together with its base',
      [],
      changes(['E3', 'PHONE']),
      ['assign E3: assigned', 'assign PHONE: assigned'],
    ],
    [
      'revokes an add-on together with its base',
      [lic('E3'), lic('PHONE')],
      changes([], ['E3', 'PHONE']),
      ['revoke E3: revoked', 'revoke PHONE: revoked'],
    ],
    [
      'keeps an add-on whose other base remains',
      [lic('E3'), lic('E5'), lic('PHONE')],
      changes([], ['E3']),
      ['revoke E3: revoked'],
    ],
    [
      'swaps suites that exclude each other',
      [lic('E3')],
      changes(['BASIC'], ['E3']),
      ['revoke E3: revoked', 'assign BASIC: assigned'],
    ],
    [
      'allows a product available in the usage location',
      [],
      changes(['CALLING', 'PHONE', 'E5']),
      ['assign CALLING: assigned', 'assign PHONE: assigned', 'assign E5: assigned'],
    ],
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
    [
      'refuses a product outside availableIn',
      [lic('E3'), lic('PHONE')],
      changes(['CALLING']),
      { usageLocation: 'FR' },
      ['assign CALLING: failed (ProhibitedInUsageLocationViolation)'],
    ],
    [
      'refuses a product in unavailableIn',
      [],
      changes(['COPILOT']),
      { usageLocation: 'RU' },
      ['assign COPILOT: failed (ProhibitedInUsageLocationViolation)'],
    ],
    [
      "falls back to the customer's country",
      [],
      changes(['COPILOT']),
      { country: 'CN' },
      ['assign COPILOT: failed (ProhibitedInUsageLocationViolation)'],
    ],
    [
      'prefers the usage location over the country',
      [],
      changes(['COPILOT']),
      { country: 'CN', usageLocation: 'US' },
      ['assign COPILOT: assigned'],
    ],
    [
      'refuses a product excluded by a held one',
      [lic('BASIC')],
      changes(['E3']),
      {},
      ['assign E3: failed (MutuallyExclusiveViolation)'],
    ],
    [
      'refuses exclusion declared on the other side',
      [lic('E3')],
      changes(['BASIC']),
      {},
      ['assign BASIC: failed (MutuallyExclusiveViolation)'],
    ],
    [
      'refuses exclusion declared only by the product being assigned',
      [lic('E5')],
      changes(['LITE']),
      {},
      ['assign LITE: failed (MutuallyExclusiveViolation)'],
    ],
    [
      'fails both when two exclusive products are assigned together',
      [],
      changes(['E3', 'BASIC']),
      {},
      ['assign E3: failed (MutuallyExclusiveViolation)', 'assign BASIC: failed (MutuallyExclusiveViolation)'],
    ],
    ['refuses an add-on without its base', [], changes(['PHONE']), {}, ['assign PHONE: failed (DependencyViolation)']],
    [
      'refuses revoking the base under an add-on',
      [lic('E3'), lic('PHONE')],
      changes([], ['E3']),
      {},
      ['revoke E3: failed (DependencyViolation)'],
    ],
    [
      'refuses an enabled plan that requires a disabled one',
      [],
      changes([['E3', ['SPO']]]),
      {},
      ['assign E3: failed (DependencyViolation)'],
    ],
    [
      'accepts disabling a plan together with the plans that need it',
      [],
      changes([['E3', ['SPO', 'FORMS', 'PLANNER']]]),
      {},
      ['assign E3: assigned'],
    ],
    [
      'skips the valid changes of a failing user',
      [lic('BASIC')],
      changes(['COPILOT', 'E3'], ['E5']),
      {},
      ['revoke E5: skipped', 'assign COPILOT: skipped', 'assign E3: failed (MutuallyExclusiveViolation)'],
    ],
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
    const { result, summary } = run(
      [lic('E3'), lic('PHONE'), lic('E5')],
      changes(['COPILOT', 'LITE', 'CALLING'], ['E3', 'E5']),
      { usageLocation: 'CN' },
    );
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

describe('evaluateUserChanges: interpretations and edge cases', () => {
  it.each([
    [
      'location beats exclusion',
      [lic('BASIC')],
      changes(['VIVA']),
      { usageLocation: 'FR' },
      'ProhibitedInUsageLocationViolation',
    ],
    [
      'exclusion beats dependency',
      [lic('BASIC')],
      changes(['VIVA']),
      { usageLocation: 'US' },
      'MutuallyExclusiveViolation',
    ],
    ['product dependency comes next', [], changes(['VIVA']), {}, 'DependencyViolation'],
    ['plan dependency comes next', [lic('E5')], changes([['VIVA', ['CORE']]]), {}, 'DependencyViolation'],
    ['seats come last', [lic('E5')], changes(['VIVA']), { seats: false }, 'CountViolation'],
  ] as const)('precedence: %s', (_name, licenses, requested, opts, code) => {
    const { result } = run([...licenses], requested, opts);
    expect(result.changes.find((c) => c.productId === 'VIVA')?.error?.code).toBe(code);
    expect(result.errorCodes).toEqual([code]);
  });

  it.each([
    [
      'an unchanged assign skips the location check',
      [lic('COPILOT')],
      changes(['COPILOT']),
      { usageLocation: 'CN' },
      ['assign COPILOT: unchanged'],
    ],
    [
      'an unchanged assign skips the plan check',
      [lic('E3', ['SPO'])],
      changes([['E3', ['SPO']]]),
      {},
      ['assign E3: unchanged'],
    ],
    [
      'an unchanged held product still excludes a new one',
      [lic('E3')],
      changes(['E3', 'BASIC']),
      {},
      ['assign E3: skipped', 'assign BASIC: failed (MutuallyExclusiveViolation)'],
    ],
    [
      'an updated assign is checked for location',
      [lic('E5'), lic('VIVA')],
      changes([['VIVA', ['INSIGHTS']]]),
      { usageLocation: 'FR' },
      ['assign VIVA: failed (ProhibitedInUsageLocationViolation)'],
    ],
    [
      'an updated assign is checked for plan dependencies',
      [lic('E3')],
      changes([['E3', ['EXO']]]),
      {},
      ['assign E3: failed (DependencyViolation)'],
    ],
    [
      'normalises ["PLANNER","FORMS","FORMS"] to ["FORMS","PLANNER"]',
      [lic('E3', ['FORMS', 'PLANNER'])],
      changes([['E3', ['PLANNER', 'FORMS', 'FORMS']]]),
      {},
      ['assign E3: unchanged'],
    ],
    ['ignores plan ids the product does not have', [], changes([['E3', ['NOPE']]]), {}, ['assign E3: assigned']],
    [
      'treats a product unknown to the catalog as having no rules',
      [lic('E3')],
      changes(['LEGACY']),
      {},
      ['assign LEGACY: assigned'],
    ],
    [
      'applies exclusion declared against an unknown held product',
      [lic('LEGACY')],
      changes(['MODERN']),
      {},
      ['assign MODERN: failed (MutuallyExclusiveViolation)'],
    ],
    [
      'ignores an unmet dependency that was already unmet before the job',
      [lic('PHONE')],
      changes(['COPILOT'], ['E5']),
      {},
      ['revoke E5: not_assigned', 'assign COPILOT: assigned'],
    ],
    [
      'fails the add-on, not the revoked base, when both are in the job',
      [lic('E3')],
      changes(['PHONE'], ['E3']),
      {},
      ['revoke E3: skipped', 'assign PHONE: failed (DependencyViolation)'],
    ],
    [
      'swaps the base under a held add-on',
      [lic('E3'), lic('PHONE')],
      changes(['E5'], ['E3']),
      {},
      ['revoke E3: revoked', 'assign E5: assigned'],
    ],
    [
      'fails an add-on assigned after its only base is revoked',
      [lic('E3'), lic('PHONE')],
      changes(['CALLING'], ['PHONE']),
      {},
      ['revoke PHONE: skipped', 'assign CALLING: failed (DependencyViolation)'],
    ],
  ] as const)('%s', (_name, licenses, requested, opts, expected) => {
    const { result, summary } = run([...licenses], requested, opts);
    expect(summary).toEqual(expected);
    expect(result.status).toBe(expected.some((e) => e.includes('failed')) ? 'failed' : 'succeeded');
  });

  it('names the products, countries and plans in its messages', () => {
    const message = (licenses: License[], requested: RequestedChanges, opts: Parameters<typeof run>[2] = {}) =>
      run(licenses, requested, opts).result.changes.find((c) => c.error)?.error?.message;
    expect(message([], changes(['COPILOT']), { usageLocation: 'RU' })).toBe(
      'Product "COPILOT" is not available in usage location "RU" (Russia)',
    );
    expect(message([lic('BASIC')], changes(['E3']))).toMatch(/"E3".*"BASIC"/);
    expect(message([], changes(['PHONE']))).toMatch(/"PHONE".*"E3" or "E5"/);
    expect(message([], changes([['E3', ['SPO']]]))).toMatch(/"E3".*"SPO"/);
    // A revoke names what must go first.
    expect(message([lic('E3'), lic('PHONE')], changes([], ['E3']))).toMatch(/"PHONE".*"E3".*remove "PHONE" first/);
    expect(message([], changes(['E5']), { seats: false })).toMatch(/"E5"/);
  });

  it('writes only the disabled plans the product has now: a plan removed since the job was accepted is dropped', () => {
    // The job disabled FORMS and a plan E3 no longer has; the catalog at apply time decides.
    const assigned = run([], changes([['E3', ['FORMS', 'GONE']]]));
    expect(assigned.summary).toEqual(['assign E3: assigned']);
    expect(assigned.result.licenses).toEqual([lic('E3', ['FORMS'])]);
    // Held with FORMS disabled: asking for FORMS and a removed plan changes nothing.
    const same = run([lic('E3', ['FORMS'])], changes([['E3', ['FORMS', 'GONE']]]));
    expect(same.summary).toEqual(['assign E3: unchanged']);
  });

  it('keeps positions on success: updated in place, kept in order, new ones last', () => {
    const { result } = run(
      [lic('E3'), lic('BASIC'), lic('COPILOT')],
      changes(['E5', ['E3', ['PLANNER', 'FORMS']]], ['BASIC', 'LITE']),
    );
    expect(result.status).toBe('succeeded');
    expect(result.licenses).toEqual([lic('E3', ['FORMS', 'PLANNER']), lic('COPILOT'), lic('E5')]);
    expect(result.newlyAssigned).toEqual(['E5']);
    expect(result.revoked).toEqual(['BASIC']);
  });

  it('changes nothing when the user fails', () => {
    const licenses = [lic('E3'), lic('PHONE')];
    const { result } = run(licenses, changes(['COPILOT'], ['E3']));
    expect(result).toEqual({
      status: 'failed',
      changes: [
        {
          productId: 'E3',
          action: 'revoke',
          outcome: 'failed',
          error: {
            code: 'DependencyViolation',
            message: expect.any(String),
            productIds: ['E3', 'E5'],
            requiredBy: ['PHONE'],
          },
        },
        { productId: 'COPILOT', action: 'assign', outcome: 'skipped' },
      ],
      licenses: [lic('E3'), lic('PHONE')],
      newlyAssigned: [],
      revoked: [],
      errorCodes: ['DependencyViolation'],
      sources: new Map([
        ['E3', { direct: [], groups: [] }],
        ['PHONE', { direct: [], groups: [] }],
      ]),
    });
    expect(licenses).toEqual([lic('E3'), lic('PHONE')]);
  });

  it('returns no licenses for a user that no longer exists', () => {
    const result = evaluateUserChanges({ catalog, user: null, changes: changes(['E3']), hasSeat: () => true });
    expect(result).toMatchObject({
      status: 'failed',
      licenses: [],
      newlyAssigned: [],
      revoked: [],
      errorCodes: ['UserNotFound'],
    });
  });

  it('asks for a seat once per newly assigned product, in request order', () => {
    const { hasSeat, result } = run([lic('E5'), lic('E3')], changes(['BASIC', ['E5', ['EXO']], 'COPILOT'], ['E3']));
    expect(result.changes.map((c) => c.outcome)).toEqual(['revoked', 'assigned', 'updated', 'assigned']);
    expect(hasSeat.mock.calls).toEqual([['BASIC'], ['COPILOT']]);
  });

  it('never asks for a seat for unchanged assigns or when a revoke fails', () => {
    expect(run([lic('E5')], changes(['E5']), { seats: false }).hasSeat).not.toHaveBeenCalled();
    const revokeFails = run([lic('E3'), lic('PHONE')], changes(['COPILOT'], ['E3']));
    expect(revokeFails.hasSeat).not.toHaveBeenCalled();
  });

  it('stops asking for seats at the first product without one', () => {
    const hasSeat = vi.fn((productId: string) => productId !== 'BASIC');
    const result = evaluateUserChanges({
      catalog,
      user: { usageLocation: null, customerCountry: 'US', licenses: [] },
      changes: changes(['E5', 'BASIC', 'COPILOT']),
      hasSeat,
    });
    expect(result.changes.map((c) => `${c.productId}: ${c.outcome}`)).toEqual([
      'E5: skipped',
      'BASIC: failed',
      'COPILOT: skipped',
    ]);
    expect(hasSeat.mock.calls).toEqual([['E5'], ['BASIC']]);
  });
});

describe('evaluateUserChanges: what the partner must act on', () => {
  const errorOf = (
    licenses: License[],
    requested: RequestedChanges,
    opts: { usageLocation?: string | null; seats?: boolean } = {},
  ) => {
    const result = evaluateUserChanges({
      catalog,
      user: { usageLocation: opts.usageLocation ?? null, customerCountry: 'US', licenses },
      changes: requested,
      hasSeat: () => opts.seats ?? true,
    });
    return result.changes.find((c) => c.error)?.error;
  };

  it('names the required products missing for an add-on without its base', () => {
    expect(errorOf([], changes(['PHONE']))).toMatchObject({ code: 'DependencyViolation', productIds: ['E3', 'E5'] });
  });

  it('names the required products a revoke would leave missing', () => {
    expect(errorOf([lic('E3'), lic('PHONE')], changes([], ['E3']))).toMatchObject({
      code: 'DependencyViolation',
      productIds: ['E3', 'E5'],
    });
  });

  it('names the disabled plans that enabled plans require', () => {
    const error = errorOf([], changes([['E3', ['SPO', 'EXO']]]));
    expect(error).toMatchObject({ code: 'DependencyViolation', servicePlanIds: ['EXO', 'SPO'] });
    expect(error).not.toHaveProperty('productIds');
  });

  it('names every product in conflict, the assigned one first', () => {
    expect(errorOf([lic('BASIC')], changes(['E3']))).toMatchObject({
      code: 'MutuallyExclusiveViolation',
      productIds: ['E3', 'BASIC'],
    });
  });

  it('names the product refused in the usage location, and the one without a seat', () => {
    expect(errorOf([], changes(['COPILOT']), { usageLocation: 'CN' })).toMatchObject({
      code: 'ProhibitedInUsageLocationViolation',
      productIds: ['COPILOT'],
    });
    expect(errorOf([], changes(['E5']), { seats: false })).toMatchObject({
      code: 'CountViolation',
      productIds: ['E5'],
    });
  });
});

describe('servicePlanConflicts', () => {
  const e3 = products[0]!;
  it('is empty when no enabled plan requires a disabled one', () => {
    expect(servicePlanConflicts(e3, [])).toEqual([]);
    expect(servicePlanConflicts(e3, ['SPO', 'FORMS', 'PLANNER'])).toEqual([]);
  });
  it('lists each enabled plan with the disabled plans it requires', () => {
    const conflicts = servicePlanConflicts(e3, ['SPO']);
    expect(conflicts).toEqual([
      { servicePlanId: 'FORMS', disabledRequirements: ['SPO'] },
      { servicePlanId: 'PLANNER', disabledRequirements: ['SPO'] },
    ]);
    expect(requiredDisabledPlans(conflicts)).toEqual(['SPO']);
    expect(requiredDisabledPlans(servicePlanConflicts(e3, ['SPO', 'EXO', 'FORMS']))).toEqual(['EXO', 'SPO']);
  });
});
