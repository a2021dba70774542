// The "manage licenses" page's choices turned into the API's assign/revoke lists (pure functions).
import { describe, expect, it } from 'vitest';
import type { OverviewProduct, Product } from '../web/src/api/types.ts';
import {
  initialChoice,
  licenseChanges,
  nextDesired,
  seatsNeeded,
  togglePlan,
} from '../web/src/features/licenses/license-changes.ts';

const product = (
  productId: string,
  selection: OverviewProduct['selection'],
  assignedCount: number,
): OverviewProduct => ({
  productId,
  name: productId,
  quantity: 10,
  assigned: assignedCount,
  available: 10 - assignedCount,
  selection,
  assignedCount,
  assignedUserIds: [],
  assignedUserIdsTruncated: false,
  groupOnlyCount: 0,
  buyMore: false,
  servicePlans: [],
});

describe('license changes', () => {
  it('cycles mixed → all → none → mixed when some hold the product, otherwise on and off', () => {
    const some = product('A', 'some', 1);
    expect(initialChoice(some).desired).toBe('mixed');
    expect(nextDesired('mixed', some)).toBe('all');
    expect(nextDesired('all', some)).toBe('none');
    expect(nextDesired('none', some)).toBe('mixed');
    const none = product('B', 'none', 0);
    expect(nextDesired('none', none)).toBe('all');
    expect(nextDesired('all', none)).toBe('none');
  });

  it('assigns what was ticked, revokes what was cleared, leaves mixed and unchanged products alone', () => {
    const products = [
      product('A', 'some', 1),
      product('B', 'all', 3),
      product('C', 'none', 0),
      product('D', 'some', 2),
    ];
    const choices = new Map(products.map((p) => [p.productId, initialChoice(p)]));
    expect(licenseChanges(products, choices)).toEqual({ assign: [], revoke: [] });
    choices.set('A', { ...choices.get('A')!, desired: 'all' });
    choices.set('B', { ...choices.get('B')!, desired: 'none' });
    choices.set('C', { desired: 'all', disabledPlans: new Set(['P2', 'P1']), plansTouched: true });
    expect(licenseChanges(products, choices)).toEqual({
      assign: [
        { productId: 'A', disabledServicePlans: [] },
        { productId: 'C', disabledServicePlans: ['P1', 'P2'] },
      ],
      revoke: ['B'],
    });
    expect(seatsNeeded(products[0]!, choices.get('A')!, 3)).toBe(2);
  });

  it('updates holders when only the plans of a held product change', () => {
    const held = product('A', 'all', 3);
    const choices = new Map([['A', { desired: 'all' as const, disabledPlans: new Set(['P']), plansTouched: true }]]);
    expect(licenseChanges([held], choices).assign).toEqual([{ productId: 'A', disabledServicePlans: ['P'] }]);
  });

  it('turns dependent plans off with the plan they need, and required plans on with the plan that needs them', () => {
    const catalog: Product = {
      id: 'A',
      name: 'A',
      servicePlans: [
        { id: 'EXCHANGE', name: 'Exchange' },
        { id: 'SHAREPOINT', name: 'SharePoint' },
        { id: 'PLANNER', name: 'Planner', requires: ['EXCHANGE', 'SHAREPOINT'] },
        { id: 'FORMS', name: 'Forms', requires: ['SHAREPOINT'] },
      ],
    };
    const off = togglePlan(catalog, new Set(), 'SHAREPOINT', false);
    expect([...off].sort()).toEqual(['FORMS', 'PLANNER', 'SHAREPOINT']);
    const on = togglePlan(catalog, off, 'PLANNER', true);
    expect([...on].sort()).toEqual(['FORMS']);
  });
});
