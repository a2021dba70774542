// What the partner asked for on the "manage licenses" page, as the API's assign/revoke lists.
import type { AssignChange, OverviewProduct, Product } from '../../api/types.ts';

/** The product's checkbox: every selected user holds it, none does, or left as it is (some do). */
export type Desired = 'all' | 'none' | 'mixed';

export interface ProductChoice {
  desired: Desired;
  disabledPlans: ReadonlySet<string>;
  /** The plans were changed: assign (update) even to users who hold the product already. */
  plansTouched: boolean;
}

export function initialChoice(product: OverviewProduct): ProductChoice {
  return {
    desired: product.selection === 'all' ? 'all' : product.selection === 'none' ? 'none' : 'mixed',
    disabledPlans: new Set(),
    plansTouched: false,
  };
}

/** Clicking the checkbox: mixed → all → none → mixed when some hold it, otherwise on ↔ off. */
export function nextDesired(current: Desired, product: OverviewProduct): Desired {
  if (current === 'all') return 'none';
  if (current === 'none') return product.selection === 'some' ? 'mixed' : 'all';
  return 'all';
}

export function holders(product: OverviewProduct): number {
  return product.assignedCount ?? product.assignedUserIds.length;
}

/** Seats this change needs: one per selected user who does not hold the product yet. */
export function seatsNeeded(product: OverviewProduct, choice: ProductChoice, selectedCount: number): number {
  return choice.desired === 'all' ? Math.max(0, selectedCount - holders(product)) : 0;
}

export function licenseChanges(
  products: OverviewProduct[],
  choices: ReadonlyMap<string, ProductChoice>,
): { assign: AssignChange[]; revoke: string[] } {
  const assign: AssignChange[] = [];
  const revoke: string[] = [];
  for (const product of products) {
    const choice = choices.get(product.productId);
    if (!choice) continue;
    if (choice.desired === 'all' && (product.selection !== 'all' || choice.plansTouched))
      assign.push({ productId: product.productId, disabledServicePlans: [...choice.disabledPlans].sort() });
    if (choice.desired === 'none' && product.selection !== 'none') revoke.push(product.productId);
  }
  return { assign, revoke };
}

/**
 * Turning a plan off also turns off the plans that need it; turning one on also turns on what it
 * needs (the catalog's `requires`), so the choice never breaks the product's own plan rules.
 */
export function togglePlan(
  product: Product | undefined,
  disabled: ReadonlySet<string>,
  planId: string,
  on: boolean,
): Set<string> {
  const next = new Set(disabled);
  const plans = product?.servicePlans ?? [];
  const enable = (id: string) => {
    if (!next.delete(id)) return;
    for (const required of plans.find((plan) => plan.id === id)?.requires ?? []) enable(required);
  };
  const disable = (id: string) => {
    if (next.has(id)) return;
    next.add(id);
    for (const dependant of plans.filter((plan) => plan.requires?.includes(id))) disable(dependant.id);
  };
  if (on) enable(planId);
  else disable(planId);
  return next;
}
