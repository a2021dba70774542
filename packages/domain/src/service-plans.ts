import type { Product } from './catalog.ts';

export interface ServicePlanConflict {
  /** An enabled plan of the product... */
  servicePlanId: string;
  /** ...and the plans it requires that would be disabled. */
  disabledRequirements: string[];
}

/**
 * The product's own plan dependencies (`servicePlans[].requires`) that a list of disabled plans
 * breaks: every enabled plan that requires a disabled one. Empty when the list is consistent.
 * The same rule refuses such an assign up front (it would fail for every user) and fails a user
 * in the worker (the catalog may have changed since the job was accepted).
 */
export function servicePlanConflicts(product: Product, disabled: readonly string[]): ServicePlanConflict[] {
  const off = new Set(disabled);
  const conflicts: ServicePlanConflict[] = [];
  for (const plan of product.servicePlans) {
    if (off.has(plan.id)) continue;
    const missing = (plan.requires ?? []).filter((r) => off.has(r));
    if (missing.length) conflicts.push({ servicePlanId: plan.id, disabledRequirements: missing });
  }
  return conflicts;
}

/** The disabled plans that enabled plans require: what must be enabled again, sorted, once each. */
export function requiredDisabledPlans(conflicts: readonly ServicePlanConflict[]): string[] {
  return [...new Set(conflicts.flatMap((c) => c.disabledRequirements))].sort();
}
