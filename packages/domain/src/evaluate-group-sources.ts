import type { Catalog } from './catalog.ts';
import {
  type AssignChange,
  type ChangeError,
  type ChangeResult,
  type License,
  normalizePlans,
  usageCountry,
  type UserState,
  type ViolationCode,
} from './changes.ts';
import {
  assignViolation,
  countViolation,
  planViolation,
  plansOfCatalog,
  revokeViolation,
} from './evaluate-user-changes.ts';
import {
  type GroupLicenseRow,
  type LicenseSources,
  removeSource,
  unionOfPlans,
  withGroupSource,
} from './license-sources.ts';

export interface EvaluateGroupSourcesInput {
  catalog: Catalog;
  /** null when the user no longer exists. */
  user: UserState | null;
  /** The sources of the licenses the user holds (a license missing here has the direct source only). */
  sources: ReadonlyMap<string, LicenseSources>;
  groupId: string;
  /** What the group grants the user: its licenses while the user is a member, nothing otherwise. */
  desired: readonly AssignChange[];
  /** The user's rows of this group as they stand (see GroupLicenseRow). */
  rows: readonly GroupLicenseRow[];
  /** As for a job: whether a seat can be had for a product the user would newly hold (asked last). */
  hasSeat: (productId: string) => boolean;
}

export interface GroupSourcesEvaluation {
  /** `failed` when any of the group's products was refused: then none of its changes is applied. */
  status: 'succeeded' | 'failed';
  /** Removals first (rows the group no longer grants), then the group's products in its order. */
  changes: ChangeResult[];
  /** The user's licenses after (the input's when failed). */
  licenses: License[];
  /** The sources of every license after (the input's when failed). */
  sources: Map<string, LicenseSources>;
  /** The user's rows of this group after. */
  rows: GroupLicenseRow[];
  /** Products the user newly holds (each takes a seat) and no longer holds (each frees one). */
  newlyAssigned: string[];
  revoked: string[];
  errorCodes: ViolationCode[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.join('\u0000') === b.join('\u0000');

/**
 * What a group means for one user now: the group's grants brought in line with what it should
 * grant (`desired`), as one all-or-nothing change under the rules and codes of a job.
 *
 * - A product the group no longer grants (the user left the group, or the group dropped it) loses
 *   this source. The license stays while another source remains (a direct one or another group's),
 *   with the union of their plans; with the last source it goes, unless a product the user keeps
 *   requires it (`DependencyViolation`: the source stays and the row is `error`). A row that was
 *   never applied (waiting or refused) simply goes.
 * - A product the group grants and the user already holds (directly or through another group) gains
 *   this source, without a seat; the plans become the union. One the user does not hold is assigned
 *   under the job rules (usage location, exclusions, required products, plan dependencies), and a
 *   seat is asked for last, only when everything else passed.
 * - All or nothing: when any product is refused, nothing changes for the user. The refused product's
 *   row is `waiting` (no seat: `CountViolation`, the intent kept) or `error`. The group's other new
 *   products wait with it (`waiting`, for the same product) when seats are all that failed, and are
 *   `error` otherwise; rows already applied stay as they were.
 */
export function evaluateGroupSources(input: EvaluateGroupSourcesInput): GroupSourcesEvaluation {
  const { catalog, user, groupId, hasSeat } = input;
  const want = new Map<string, string[]>();
  for (const d of input.desired) want.set(d.productId, plansOfCatalog(catalog, d.productId, d.disabledServicePlans));
  const rowOf = new Map(input.rows.map((r) => [r.productId, r]));
  const leaving = input.rows.filter((r) => !want.has(r.productId));
  const planned: ChangeResult[] = [
    ...leaving.map((r): ChangeResult => ({ productId: r.productId, action: 'revoke', outcome: 'revoked' })),
    ...[...want.keys()].map((productId): ChangeResult => ({ productId, action: 'assign', outcome: 'assigned' })),
  ];

  if (user === null) {
    const error: ChangeError = { code: 'UserNotFound', message: 'The user no longer exists' };
    return {
      status: 'failed',
      changes: planned.map((c) => ({ ...c, outcome: 'failed', error })),
      licenses: [],
      sources: new Map(),
      rows: [],
      newlyAssigned: [],
      revoked: [],
      errorCodes: ['UserNotFound'],
    };
  }

  const before = new Map(user.licenses.map((l) => [l.productId, l]));
  const sourcesBefore = new Map<string, LicenseSources>(
    user.licenses.map((l) => [
      l.productId,
      input.sources.get(l.productId) ?? { direct: l.disabledServicePlans, groups: [] },
    ]),
  );
  const after = new Map(before);
  const sourcesAfter = new Map(sourcesBefore);
  const country = usageCountry(user);
  const results: ChangeResult[] = [];

  // Removals first: a swap of products within the group frees the old one's seat for the new one.
  const revoked = new Set<string>();
  for (const row of leaving) {
    const held = sourcesAfter.get(row.productId);
    if (!row.applied || !held) {
      results.push({ productId: row.productId, action: 'revoke', outcome: 'not_assigned' });
      continue;
    }
    const left = removeSource(held, { type: 'group', groupId });
    if (left.kept) {
      sourcesAfter.set(row.productId, left.sources);
      after.set(row.productId, { productId: row.productId, disabledServicePlans: left.disabledServicePlans! });
      const unchanged = sameList(
        normalizePlans(before.get(row.productId)!.disabledServicePlans),
        left.disabledServicePlans!,
      );
      results.push({ productId: row.productId, action: 'revoke', outcome: unchanged ? 'unchanged' : 'updated' });
    } else {
      sourcesAfter.delete(row.productId);
      after.delete(row.productId);
      revoked.add(row.productId);
      results.push({ productId: row.productId, action: 'revoke', outcome: 'revoked' });
    }
  }

  const newly: string[] = [];
  for (const [productId, plans] of want) {
    const held = sourcesAfter.get(productId);
    if (held) {
      const next = withGroupSource(held, { groupId, disabledServicePlans: plans });
      const effective = unionOfPlans(next)!;
      sourcesAfter.set(productId, next);
      after.set(productId, { productId, disabledServicePlans: effective });
      const unchanged = sameList(normalizePlans(before.get(productId)!.disabledServicePlans), effective);
      results.push({ productId, action: 'assign', outcome: unchanged ? 'unchanged' : 'updated' });
    } else {
      sourcesAfter.set(productId, { direct: null, groups: [{ groupId, disabledServicePlans: plans }] });
      after.set(productId, { productId, disabledServicePlans: plans });
      newly.push(productId);
      results.push({ productId, action: 'assign', outcome: 'assigned' });
    }
  }

  const errors = new Map<ChangeResult, ChangeError>();
  for (const change of results) {
    if (change.action !== 'assign' || change.outcome === 'unchanged') continue;
    // A product the user already held passed the rules when it was first assigned; only its plans
    // are checked again (the catalog may have changed since).
    const violation =
      change.outcome === 'assigned'
        ? assignViolation(catalog, change.productId, after, country)
        : planViolation(
            catalog.get(change.productId),
            change.productId,
            after.get(change.productId)!.disabledServicePlans,
          );
    if (violation) errors.set(change, violation);
  }
  const failing = new Set([...errors.keys()].map((c) => c.productId));
  for (const change of results) {
    if (change.action !== 'revoke' || change.outcome !== 'revoked') continue;
    const violation = revokeViolation(catalog, change.productId, before, after, failing);
    if (violation) errors.set(change, violation);
  }
  if (errors.size === 0) {
    for (const change of results) {
      if (change.action === 'assign' && change.outcome === 'assigned' && !hasSeat(change.productId)) {
        errors.set(change, countViolation(change.productId));
        break;
      }
    }
  }

  if (errors.size === 0) {
    const licenses: License[] = [];
    for (const l of user.licenses) {
      const next = after.get(l.productId);
      if (next) licenses.push(next);
    }
    for (const productId of newly) licenses.push(after.get(productId)!);
    return {
      status: 'succeeded',
      changes: results,
      licenses,
      sources: sourcesAfter,
      rows: [...want].map(([productId, plans]) => ({
        groupId,
        productId,
        state: 'active',
        disabledServicePlans: plans,
        applied: true,
      })),
      newlyAssigned: newly,
      revoked: [...revoked],
      errorCodes: [],
    };
  }

  const codes: ViolationCode[] = [];
  const changes = results.map((c): ChangeResult => {
    const error = errors.get(c);
    if (!error) return { ...c, outcome: 'skipped' };
    if (!codes.includes(error.code)) codes.push(error.code);
    return { ...c, outcome: 'failed', error };
  });
  // What the group's other new products wait for or fail with: the first refusal.
  const first = [...errors.entries()][0]!;
  const seatsOnly = codes.length === 1 && codes[0] === 'CountViolation';
  const rows: GroupLicenseRow[] = [];
  for (const change of changes) {
    const row = rowOf.get(change.productId);
    const plans = want.get(change.productId) ?? row!.disabledServicePlans;
    const applied = row?.applied ?? false;
    if (change.error) {
      rows.push({
        groupId,
        productId: change.productId,
        state: change.error.code === 'CountViolation' ? 'waiting' : 'error',
        disabledServicePlans: applied ? row!.disabledServicePlans : plans,
        applied,
        ...(change.error.code === 'CountViolation' ? { waitingFor: change.productId } : {}),
        error: change.error,
      });
    } else if (applied) {
      rows.push(row!);
    } else if (change.action === 'assign') {
      rows.push({
        groupId,
        productId: change.productId,
        state: seatsOnly ? 'waiting' : 'error',
        disabledServicePlans: plans,
        applied: false,
        ...(seatsOnly ? { waitingFor: first[0].productId } : {}),
        error: {
          code: first[1].code,
          message: `Not applied: "${first[0].productId}" of the same group was refused (${first[1].code})`,
          productIds: [first[0].productId],
        },
      });
    }
    // A row never applied that the group no longer grants goes, whatever else failed: it changes no license.
  }
  return {
    status: 'failed',
    changes,
    licenses: user.licenses,
    sources: sourcesBefore,
    rows,
    newlyAssigned: [],
    revoked: [],
    errorCodes: codes,
  };
}

/**
 * Whether a user's rows of a group already say what the group should grant: the same products with
 * the same plans, all applied. Such a group needs no evaluation unless asked for (reprocess) or the
 * user's licenses changed, which may unblock refused rows.
 */
export function groupRowsSettled(
  desired: readonly AssignChange[],
  rows: readonly GroupLicenseRow[],
  catalog: Catalog,
): boolean {
  if (desired.length !== rows.length) return false;
  const byProduct = new Map(rows.map((r) => [r.productId, r]));
  return desired.every((d) => {
    const row = byProduct.get(d.productId);
    return (
      row !== undefined &&
      row.state === 'active' &&
      sameList(row.disabledServicePlans, plansOfCatalog(catalog, d.productId, d.disabledServicePlans))
    );
  });
}
