import type { Catalog, Product } from './catalog.ts';
import {
  normalizePlans,
  usageCountry,
  type ChangeError,
  type ChangeResult,
  type EvaluateUserChanges,
  type License,
  type UserEvaluation,
  type ViolationCode,
} from './changes.ts';
import { requiredDisabledPlans, servicePlanConflicts } from './service-plans.ts';

type Violation = ChangeError;

const quote = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(', ');

function excludesEachOther(catalog: Catalog, a: string, b: string): boolean {
  return Boolean(catalog.get(a)?.excludes?.includes(b) || catalog.get(b)?.excludes?.includes(a));
}

function locationViolation(product: Product | undefined, productId: string, country: string): Violation | undefined {
  if (!product) return undefined;
  const refused =
    (product.availableIn && !product.availableIn.includes(country)) || product.unavailableIn?.includes(country);
  return refused
    ? {
        code: 'ProhibitedInUsageLocationViolation',
        message: `Product "${productId}" is not available in usage location "${country}"`,
        productIds: [productId],
      }
    : undefined;
}

function planViolation(
  product: Product | undefined,
  productId: string,
  disabled: readonly string[],
): Violation | undefined {
  if (!product) return undefined;
  const conflicts = servicePlanConflicts(product, disabled);
  const first = conflicts[0];
  if (!first) return undefined;
  return {
    code: 'DependencyViolation',
    message: `Service plan "${first.servicePlanId}" of "${productId}" requires ${quote(first.disabledRequirements)}, which would be disabled`,
    servicePlanIds: requiredDisabledPlans(conflicts),
  };
}

/**
 * The disabled plans to write for a product: the catalog as it is now decides, not as it was when
 * the job was accepted, so a plan the product no longer has is dropped (a license never names a
 * plan its product does not have). A product missing from the catalog keeps the list as asked.
 */
function plansOfCatalog(catalog: Catalog, productId: string, disabled: readonly string[] | undefined): string[] {
  const plans = normalizePlans(disabled);
  const product = catalog.get(productId);
  if (!product) return plans;
  const known = new Set(product.servicePlans.map((p) => p.id));
  return plans.filter((p) => known.has(p));
}

/**
 * The rules for one user and one job, evaluated against the user's licenses as they would be
 * after the job (revokes first, then assigns). All or nothing: one failing change fails the user,
 * the others are skipped. Seats are the last check, so a user failing for another reason never
 * asks for one.
 */
export const evaluateUserChanges: EvaluateUserChanges = ({ catalog, user, changes, hasSeat }) => {
  const planned: ChangeResult[] = [
    ...changes.revoke.map((productId): ChangeResult => ({ productId, action: 'revoke', outcome: 'revoked' })),
    ...changes.assign.map((a): ChangeResult => ({ productId: a.productId, action: 'assign', outcome: 'assigned' })),
  ];

  if (user === null) {
    const error = { code: 'UserNotFound' as const, message: 'The user no longer exists' };
    return failed(
      planned.map((c) => ({ ...c, outcome: 'failed', error })),
      [],
      ['UserNotFound'],
    );
  }

  const before = new Map(user.licenses.map((l) => [l.productId, l]));
  const country = usageCountry(user);
  const revoked = new Set(changes.revoke.filter((p) => before.has(p)));

  // The state after the job.
  const after = new Map<string, License>();
  for (const l of user.licenses) if (!revoked.has(l.productId)) after.set(l.productId, l);
  const assignOutcome = new Map<string, 'assigned' | 'updated' | 'unchanged'>();
  for (const a of changes.assign) {
    const plans = plansOfCatalog(catalog, a.productId, a.disabledServicePlans);
    const held = before.get(a.productId);
    assignOutcome.set(
      a.productId,
      !held
        ? 'assigned'
        : normalizePlans(held.disabledServicePlans).join('\u0000') === plans.join('\u0000')
          ? 'unchanged'
          : 'updated',
    );
    after.set(a.productId, { productId: a.productId, disabledServicePlans: plans });
  }

  const errors = new Map<ChangeResult, Violation>();
  const results: ChangeResult[] = planned.map((c) => {
    if (c.action === 'revoke') return { ...c, outcome: before.has(c.productId) ? 'revoked' : 'not_assigned' };
    return { ...c, outcome: assignOutcome.get(c.productId)! };
  });

  for (const change of results) {
    if (change.action !== 'assign' || change.outcome === 'unchanged') continue;
    const product = catalog.get(change.productId);
    const location = locationViolation(product, change.productId, country);
    if (location) {
      errors.set(change, location);
      continue;
    }
    const rivals = [...after.keys()].filter(
      (other) => other !== change.productId && excludesEachOther(catalog, change.productId, other),
    );
    if (rivals.length) {
      errors.set(change, {
        code: 'MutuallyExclusiveViolation',
        message: `Product "${change.productId}" cannot be held together with ${quote(rivals)}`,
        productIds: [change.productId, ...rivals],
      });
      continue;
    }
    const requires = product?.requiresAnyOf ?? [];
    if (requires.length && !requires.some((p) => after.has(p))) {
      errors.set(change, {
        code: 'DependencyViolation',
        message: `Product "${change.productId}" requires one of ${quote(requires)}`,
        productIds: [...requires],
      });
      continue;
    }
    const plans = planViolation(product, change.productId, after.get(change.productId)!.disabledServicePlans);
    if (plans) errors.set(change, plans);
  }

  // A revoke that leaves a product the user keeps without any of the products it requires.
  // Only products held before count, and only when their own assign (if any) did not fail already:
  // an add-on assigned without its base fails on its assign, not on the base's revoke.
  const failingAssigns = new Set([...errors.keys()].map((c) => c.productId));
  for (const change of results) {
    if (change.action !== 'revoke' || change.outcome !== 'revoked') continue;
    const orphan = [...after.keys()].find((held) => {
      if (!before.has(held) || failingAssigns.has(held)) return false;
      const requires = catalog.get(held)?.requiresAnyOf ?? [];
      return requires.includes(change.productId) && !requires.some((p) => after.has(p));
    });
    if (orphan) {
      const requires = catalog.get(orphan)?.requiresAnyOf ?? [];
      errors.set(change, {
        code: 'DependencyViolation',
        message: `Product "${orphan}" requires "${change.productId}" (or another of ${quote(requires)}), so it cannot be revoked`,
        // Every product the kept one requires is missing after the job: keeping any one of them would do.
        productIds: [...requires],
      });
    }
  }

  // Seats last, and only while the user has no error: stop at the first product without a seat.
  if (errors.size === 0) {
    for (const change of results) {
      if (change.action === 'assign' && change.outcome === 'assigned' && !hasSeat(change.productId)) {
        errors.set(change, {
          code: 'CountViolation',
          message: `No license of "${change.productId}" is available`,
          productIds: [change.productId],
        });
        break;
      }
    }
  }

  if (errors.size > 0) {
    const codes: ViolationCode[] = [];
    const withErrors = results.map((c): ChangeResult => {
      const error = errors.get(c);
      if (!error) return { ...c, outcome: 'skipped' };
      if (!codes.includes(error.code)) codes.push(error.code);
      return { ...c, outcome: 'failed', error };
    });
    return failed(withErrors, user.licenses, codes);
  }

  // Kept licenses stay in place (updated ones with their new plans), new ones follow in request order.
  const licenses: License[] = [];
  for (const l of user.licenses) {
    const next = after.get(l.productId);
    if (next) licenses.push(next);
  }
  const newlyAssigned = [...new Set(changes.assign.map((a) => a.productId))].filter((p) => !before.has(p));
  for (const productId of newlyAssigned) licenses.push(after.get(productId)!);
  return {
    status: 'succeeded',
    changes: results,
    licenses,
    newlyAssigned,
    revoked: [...revoked],
    errorCodes: [],
  };
};

function failed(changes: ChangeResult[], licenses: License[], errorCodes: ViolationCode[]): UserEvaluation {
  return { status: 'failed', changes, licenses, newlyAssigned: [], revoked: [], errorCodes };
}
