import type { Catalog } from './catalog.ts';
import type { ChangeResult, License, RequestedChanges, ViolationCode } from './changes.ts';
import type { LicenseSources } from './license-sources.ts';
import { evaluateUserChanges } from './evaluate-user-changes.ts';
import { evaluateRevertUser, type LaterChanges } from './revert.ts';

/** A selected user as it stands now, with what the rules need. */
export interface PreviewUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** The user's own usage location, or null (then the customer's country applies). */
  usageLocation: string | null;
  licenses: License[];
  /** The sources of the user's licenses (a license missing here has the direct source only). */
  sources?: ReadonlyMap<string, LicenseSources>;
  /** This user's own changes, when users differ (a revert's); otherwise the preview's `changes`. */
  changes?: RequestedChanges;
  /** For a revert's user: what the reverted job applied to it, and what changed since (see evaluateRevertUser). */
  revert?: { done: readonly ChangeResult[]; later: readonly LaterChanges[] };
}

export interface PreviewJobInput {
  catalog: Catalog;
  customerCountry: string;
  /** In user-list order: the order a job's items take, and the order failures are listed in. */
  users: readonly PreviewUser[];
  changes: RequestedChanges;
  /** Seats free now per assigned product: quantity − assigned − reserved. */
  available: ReadonlyMap<string, number>;
  /** How many failed users to list with their changes (default 100). */
  failureSample?: number;
}

export type PredictedOutcome = 'assigned' | 'updated' | 'unchanged' | 'revoked' | 'not_assigned' | 'inherited';

export interface JobPreview {
  userCount: number;
  /** Per assigned product: the seats a job would reserve now, and whether they are there. */
  seats: { productId: string; required: number; available: number; shortfall: number }[];
  /** Changes of the users predicted to succeed, by outcome. */
  outcomes: Record<PredictedOutcome, number>;
  failures: {
    total: number;
    /** Failed users per error code (a user with two codes counts under both), as a job's errorsByCode. */
    byCode: Partial<Record<ViolationCode, number>>;
    users: { userId: string; userPrincipalName: string; displayName: string; changes: ChangeResult[] }[];
  };
}

/**
 * What a job with these changes would do to these users now, without doing it: the same rules the
 * worker applies (evaluateUserChanges), user by user on the current licenses.
 *
 * Seats: a job reserves, per assigned product, one seat for every selected user who does not hold it
 * yet, and is refused (409 insufficient_licenses) when they are not all free: `required`, `available`
 * and `shortfall` say whether that happens. Users are then evaluated in user-list order against the
 * seats free now, as the worker counts free seats: a user who passes every other rule takes one, and
 * once they run out the next users fail with CountViolation.
 */
export function previewJob(input: PreviewJobInput): JobPreview {
  const steps = previewJobSteps(input);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * `previewJob` in steps: pauses after every `stepUsers` users (returning the preview at the end), so
 * that a caller serving others meanwhile can let them run between steps.
 */
export function* previewJobSteps(input: PreviewJobInput, stepUsers = 2_000): Generator<void, JobPreview, void> {
  const { catalog, changes } = input;
  const sample = input.failureSample ?? 100;
  const changesOf = (user: PreviewUser) => user.changes ?? changes;
  const assigned = [
    ...new Set([...changes.assign, ...input.users.flatMap((u) => u.changes?.assign ?? [])].map((a) => a.productId)),
  ];
  const free = new Map(assigned.map((p) => [p, Math.max(0, input.available.get(p) ?? 0)]));
  const required = new Map(assigned.map((p) => [p, 0]));
  const outcomes: Record<PredictedOutcome, number> = {
    assigned: 0,
    updated: 0,
    unchanged: 0,
    revoked: 0,
    not_assigned: 0,
    inherited: 0,
  };
  const failures: JobPreview['failures'] = { total: 0, byCode: {}, users: [] };

  let sinceStep = 0;
  for (const user of input.users) {
    if (++sinceStep > stepUsers) {
      sinceStep = 1;
      yield;
    }
    const held = new Set(user.licenses.map((l) => l.productId));
    const own = changesOf(user);
    for (const a of own.assign) if (!held.has(a.productId)) required.set(a.productId, required.get(a.productId)! + 1);
    const evaluate = {
      catalog,
      user: { usageLocation: user.usageLocation, customerCountry: input.customerCountry, licenses: user.licenses },
      changes: own,
      ...(user.sources ? { sources: user.sources } : {}),
      hasSeat: (productId: string) => (free.get(productId) ?? 0) > 0,
    };
    const evaluation = user.revert
      ? evaluateRevertUser({ ...evaluate, ...user.revert })
      : evaluateUserChanges(evaluate);
    if (evaluation.status === 'succeeded') {
      for (const p of evaluation.newlyAssigned) free.set(p, free.get(p)! - 1);
      for (const c of evaluation.changes) outcomes[c.outcome as PredictedOutcome] += 1;
      continue;
    }
    failures.total += 1;
    for (const code of evaluation.errorCodes) failures.byCode[code] = (failures.byCode[code] ?? 0) + 1;
    if (failures.users.length < sample) {
      failures.users.push({
        userId: user.id,
        userPrincipalName: user.userPrincipalName,
        displayName: user.displayName,
        changes: evaluation.changes,
      });
    }
  }

  return {
    userCount: input.users.length,
    seats: assigned.map((productId) => {
      const available = Math.max(0, input.available.get(productId) ?? 0);
      const needed = required.get(productId)!;
      return { productId, required: needed, available, shortfall: Math.max(0, needed - available) };
    }),
    outcomes,
    failures,
  };
}
