// License sources (contract 1.2, group-based licensing). A user's license of a product has one or
// more sources: `direct` (license jobs) and every group whose grant of the product is applied to the
// user. However many sources, the license takes one seat; it goes when its last source goes. Its
// enabled service plans are the union of its sources' enabled plans: a plan is disabled only if
// every source disables it.
import type { ChangeError } from './changes.ts';

/** A group's grant of a product as applied to a user: one of the license's sources. */
export interface GroupSource {
  groupId: string;
  disabledServicePlans: string[];
}

/** The sources of one license. A license with no source does not exist. */
export interface LicenseSources {
  /** The direct source's disabled plans (what license jobs asked for), or null without a direct source. */
  direct: string[] | null;
  /** The groups the user holds the product through, each with the plans it disables. */
  groups: GroupSource[];
}

/** Whether a license with these sources exists at all. */
export function hasAnySource(sources: LicenseSources): boolean {
  return sources.direct !== null || sources.groups.length > 0;
}

/**
 * The plans disabled in a license with these sources: those every source disables (the union of
 * the enabled plans), sorted. Undefined when there is no source (the license does not exist).
 *
 * The union of consistent plan sets is consistent: a plan enabled in the result is enabled in some
 * source, whose own consistency keeps every plan it requires enabled there, hence in the result.
 */
export function unionOfPlans(sources: LicenseSources): string[] | undefined {
  const lists = [
    ...(sources.direct !== null ? [sources.direct] : []),
    ...sources.groups.map((g) => g.disabledServicePlans),
  ];
  if (lists.length === 0) return undefined;
  const [first, ...rest] = lists;
  return [...new Set(first)].filter((plan) => rest.every((list) => list.includes(plan))).sort();
}

/** A source of a license: the direct one, or a group's. */
export type SourceRef = { type: 'direct' } | { type: 'group'; groupId: string };

/**
 * The sources left once one is removed: the license stays (with the union of what is left) while
 * any source remains, and goes with the last. Removing a source the license does not have changes
 * nothing.
 */
export function removeSource(
  sources: LicenseSources,
  source: SourceRef,
): { sources: LicenseSources; kept: boolean; disabledServicePlans?: string[] } {
  const left: LicenseSources =
    source.type === 'direct'
      ? { direct: null, groups: sources.groups }
      : { direct: sources.direct, groups: sources.groups.filter((g) => g.groupId !== source.groupId) };
  const plans = unionOfPlans(left);
  return plans === undefined
    ? { sources: left, kept: false }
    : { sources: left, kept: true, disabledServicePlans: plans };
}

/** The sources with a group's grant added or its plans replaced. */
export function withGroupSource(sources: LicenseSources, source: GroupSource): LicenseSources {
  const groups = sources.groups.filter((g) => g.groupId !== source.groupId);
  groups.push({ groupId: source.groupId, disabledServicePlans: [...source.disabledServicePlans] });
  groups.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  return { direct: sources.direct, groups };
}

/** Where a member stands with one product of one group. */
export const GROUP_LICENSE_STATES = ['active', 'waiting', 'error'] as const;
export type GroupLicenseState = (typeof GROUP_LICENSE_STATES)[number];

/**
 * One (user, group, product) the user should hold through a group, or still holds through it.
 *
 * - `active`: applied: the group is one of the license's sources.
 * - `waiting`: not applied because no seat was free (`waitingFor` names the product without one);
 *   the intent is kept and the member is licensed as seats free up.
 * - `error`: a rule refused the change; re-evaluated when the user, the group or the catalog
 *   changes, and on reprocess. An error can be a blocked removal: the row is then still `applied`.
 */
export interface GroupLicenseRow {
  groupId: string;
  productId: string;
  state: GroupLicenseState;
  /** The plans the group disables for the product (the source's, when applied). */
  disabledServicePlans: string[];
  /** Whether the user holds the product through this group (the row is one of its sources). */
  applied: boolean;
  /** For `waiting`: the product whose seat is missing (this one, or another of the same group). */
  waitingFor?: string;
  error?: ChangeError;
}

/** The sources of every license a user holds, from the license rows and the user's applied group rows. */
export function sourcesOf(
  licenses: readonly { productId: string; directDisabledServicePlans: string[] | null }[],
  rows: readonly GroupLicenseRow[],
): Map<string, LicenseSources> {
  const sources = new Map<string, LicenseSources>();
  for (const l of licenses) sources.set(l.productId, { direct: l.directDisabledServicePlans, groups: [] });
  for (const r of rows) {
    if (!r.applied) continue;
    const s = sources.get(r.productId);
    if (s)
      sources.set(
        r.productId,
        withGroupSource(s, { groupId: r.groupId, disabledServicePlans: r.disabledServicePlans }),
      );
  }
  return sources;
}
