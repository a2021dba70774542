import { changeErrorMessage } from '@licensing/i18n';
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
import { type LicenseSources, removeSource, unionOfPlans } from './license-sources.ts';

type Violation = ChangeError;

/** The error with its English message (readers word it again in their own language). */
function violation(change: { productId: string; action: 'assign' | 'revoke' }, error: Omit<Violation, 'message'>) {
  return { ...error, message: changeErrorMessage(change, error, 'en') } as Violation;
}

export function excludesEachOther(catalog: Catalog, a: string, b: string): boolean {
  return Boolean(catalog.get(a)?.excludes?.includes(b) || catalog.get(b)?.excludes?.includes(a));
}

export function locationViolation(
  product: Product | undefined,
  productId: string,
  country: string,
): Violation | undefined {
  if (!product) return undefined;
  const refused =
    (product.availableIn && !product.availableIn.includes(country)) || product.unavailableIn?.includes(country);
  return refused
    ? violation(
        { productId, action: 'assign' },
        { code: 'ProhibitedInUsageLocationViolation', productIds: [productId], usageLocation: country },
      )
    : undefined;
}

export function planViolation(
  product: Product | undefined,
  productId: string,
  disabled: readonly string[],
): Violation | undefined {
  if (!product) return undefined;
  const conflicts = servicePlanConflicts(product, disabled);
  const first = conflicts[0];
  if (!first) return undefined;
  return violation(
    { productId, action: 'assign' },
    { code: 'DependencyViolation', servicePlanIds: requiredDisabledPlans(conflicts) },
  );
}

/**
 * The disabled plans to write for a product: the catalog as it is now decides, not as it was when
 * the job was accepted, so a plan the product no longer has is dropped (a license never names a
 * plan its product does not have). A product missing from the catalog keeps the list as asked.
 */
export function plansOfCatalog(catalog: Catalog, productId: string, disabled: readonly string[] | undefined): string[] {
  const plans = normalizePlans(disabled);
  const product = catalog.get(productId);
  if (!product) return plans;
  const known = new Set(product.servicePlans.map((p) => p.id));
  return plans.filter((p) => known.has(p));
}

/**
 * The first rule a product the user would hold after a change breaks, checked against everything
 * the user would hold then (`after`): usage location, products that exclude each other, required
 * products, the product's own plan dependencies. Undefined when it passes (seats are checked apart).
 */
export function assignViolation(
  catalog: Catalog,
  productId: string,
  after: ReadonlyMap<string, License>,
  country: string,
): Violation | undefined {
  const product = catalog.get(productId);
  const location = locationViolation(product, productId, country);
  if (location) return location;
  const rivals = [...after.keys()].filter(
    (other) => other !== productId && excludesEachOther(catalog, productId, other),
  );
  if (rivals.length)
    return violation(
      { productId, action: 'assign' },
      { code: 'MutuallyExclusiveViolation', productIds: [productId, ...rivals] },
    );
  const requires = product?.requiresAnyOf ?? [];
  if (requires.length && !requires.some((p) => after.has(p)))
    return violation({ productId, action: 'assign' }, { code: 'DependencyViolation', productIds: [...requires] });
  const held = after.get(productId);
  return held ? planViolation(product, productId, held.disabledServicePlans) : undefined;
}

/**
 * Whether removing a license leaves a product the user keeps without any of the products it
 * requires (a base under an add-on). Only products held before count, and not those in `ignore`
 * (an add-on whose own assign failed fails on its assign, not on the base's removal).
 */
export function revokeViolation(
  catalog: Catalog,
  productId: string,
  before: ReadonlyMap<string, unknown>,
  after: ReadonlyMap<string, License>,
  ignore: ReadonlySet<string>,
): Violation | undefined {
  const orphans = [...after.keys()].filter((held) => {
    if (!before.has(held) || ignore.has(held)) return false;
    const requires = catalog.get(held)?.requiresAnyOf ?? [];
    return requires.includes(productId) && !requires.some((p) => after.has(p));
  });
  if (!orphans.length) return undefined;
  return violation(
    { productId, action: 'revoke' },
    {
      code: 'DependencyViolation',
      // Every product the kept ones require is missing after the change: keeping any one of them would do.
      productIds: [...new Set(orphans.flatMap((orphan) => catalog.get(orphan)?.requiresAnyOf ?? []))],
      // What the partner removes first to revoke this one.
      requiredBy: orphans,
    },
  );
}

export function countViolation(productId: string): Violation {
  return violation({ productId, action: 'assign' }, { code: 'CountViolation', productIds: [productId] });
}

/**
 * The rules for one user and one job, evaluated against the user's licenses as they would be
 * after the job (revokes first, then assigns). All or nothing: one failing change fails the user,
 * the others are skipped. Seats are the last check, so a user failing for another reason never
 * asks for one.
 */
export const evaluateUserChanges: EvaluateUserChanges = ({ catalog, user, changes, hasSeat, sources }) => {
  const planned: ChangeResult[] = [
    ...changes.revoke.map((productId): ChangeResult => ({ productId, action: 'revoke', outcome: 'revoked' })),
    ...changes.assign.map((a): ChangeResult => ({ productId: a.productId, action: 'assign', outcome: 'assigned' })),
  ];

  if (user === null) {
    return failed(
      planned.map((c) => ({ ...c, outcome: 'failed', error: violation(c, { code: 'UserNotFound' }) })),
      [],
      ['UserNotFound'],
      new Map(),
    );
  }

  const before = new Map(user.licenses.map((l) => [l.productId, l]));
  // Every license's sources: as given, or the direct one alone with the license's plans.
  const sourcesBefore = new Map<string, LicenseSources>(
    user.licenses.map((l) => [
      l.productId,
      sources?.get(l.productId) ?? { direct: l.disabledServicePlans, groups: [] },
    ]),
  );
  const sourcesAfter = new Map(sourcesBefore);
  const country = usageCountry(user);
  // A revoke removes the direct source. A license also held through a group stays (`inherited`);
  // one held through groups only cannot be revoked by a job.
  const inheritedOnly = new Map<string, string[]>();
  const inherited = new Set<string>();
  const revoked = new Set<string>();
  for (const productId of changes.revoke) {
    const held = sourcesBefore.get(productId);
    if (!held) continue;
    if (held.groups.length === 0) revoked.add(productId);
    else if (held.direct === null)
      inheritedOnly.set(
        productId,
        held.groups.map((g) => g.groupId),
      );
    else inherited.add(productId);
  }

  // The state after the job.
  const after = new Map<string, License>();
  for (const l of user.licenses) if (!revoked.has(l.productId)) after.set(l.productId, l);
  for (const productId of inherited) {
    const left = removeSource(sourcesBefore.get(productId)!, { type: 'direct' });
    sourcesAfter.set(productId, left.sources);
    after.set(productId, { productId, disabledServicePlans: left.disabledServicePlans! });
  }
  for (const productId of revoked) sourcesAfter.delete(productId);
  const assignOutcome = new Map<string, 'assigned' | 'updated' | 'unchanged'>();
  for (const a of changes.assign) {
    const plans = plansOfCatalog(catalog, a.productId, a.disabledServicePlans);
    const held = before.get(a.productId);
    // The direct source gets the plans asked for; the license has the union of its sources'.
    const next: LicenseSources = { direct: plans, groups: sourcesBefore.get(a.productId)?.groups ?? [] };
    const effective = unionOfPlans(next)!;
    sourcesAfter.set(a.productId, next);
    assignOutcome.set(
      a.productId,
      !held
        ? 'assigned'
        : normalizePlans(held.disabledServicePlans).join('\u0000') === effective.join('\u0000')
          ? 'unchanged'
          : 'updated',
    );
    after.set(a.productId, { productId: a.productId, disabledServicePlans: effective });
  }

  const errors = new Map<ChangeResult, Violation>();
  const results: ChangeResult[] = planned.map((c) => {
    if (c.action === 'revoke')
      return {
        ...c,
        outcome: !before.has(c.productId) ? 'not_assigned' : inherited.has(c.productId) ? 'inherited' : 'revoked',
      };
    return { ...c, outcome: assignOutcome.get(c.productId)! };
  });
  for (const change of results) {
    const groupIds = change.action === 'revoke' ? inheritedOnly.get(change.productId) : undefined;
    if (groupIds) errors.set(change, violation(change, { code: 'LicenseInheritedFromGroup', groupIds }));
  }

  for (const change of results) {
    if (change.action !== 'assign' || change.outcome === 'unchanged') continue;
    const violation = assignViolation(catalog, change.productId, after, country);
    if (violation) errors.set(change, violation);
  }

  // A revoke that leaves a product the user keeps without any of the products it requires.
  // Only products held before count, and only when their own assign (if any) did not fail already:
  // an add-on assigned without its base fails on its assign, not on the base's revoke.
  const failingAssigns = new Set([...errors.keys()].map((c) => c.productId));
  for (const change of results) {
    if (change.action !== 'revoke' || change.outcome !== 'revoked') continue;
    const violation = revokeViolation(catalog, change.productId, before, after, failingAssigns);
    if (violation) errors.set(change, violation);
  }

  // Seats last, and only while the user has no error: stop at the first product without a seat.
  if (errors.size === 0) {
    for (const change of results) {
      if (change.action === 'assign' && change.outcome === 'assigned' && !hasSeat(change.productId)) {
        errors.set(change, countViolation(change.productId));
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
    return failed(withErrors, user.licenses, codes, sourcesBefore);
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
    sources: sourcesAfter,
    errorCodes: [],
  };
};

function failed(
  changes: ChangeResult[],
  licenses: License[],
  errorCodes: ViolationCode[],
  sources: Map<string, LicenseSources>,
): UserEvaluation {
  return { status: 'failed', changes, licenses, newlyAssigned: [], revoked: [], errorCodes, sources };
}
