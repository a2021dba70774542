// Undoing a job: what puts one user back as it was just before the job, and when a user is left
// alone because its license changed since. Pure rules; the API and the worker read the history
// they need (a job's recorded changes, the changes applied to the user after it) and pass it in.
import {
  normalizePlans,
  type ChangeError,
  type ChangeResult,
  type EvaluateUserChangesInput,
  type License,
  type RequestedChanges,
  type UserEvaluation,
} from './changes.ts';
import { evaluateUserChanges } from './evaluate-user-changes.ts';

/**
 * Whether an applied change changed the user's license (as opposed to `unchanged`, `not_assigned`,
 * …): `inherited` removed its direct source, the license staying through a group.
 */
export function changedLicense(change: Pick<ChangeResult, 'outcome'>): boolean {
  return (
    change.outcome === 'assigned' ||
    change.outcome === 'updated' ||
    change.outcome === 'revoked' ||
    change.outcome === 'inherited'
  );
}

/**
 * The license states an applied change leaves in the history: for an assign that applied, and for a
 * revoke that left the license to its other sources, the plans disabled after it (so that the
 * history folds to the licenses); for a license revoked or updated, the plans disabled before it (what a revert
 * restores). `before` and `after` are the user's licenses just before and just after the change's
 * job. Changes of a failed user applied nothing and are returned as they are.
 */
export function recordLicenseStates(
  changes: readonly ChangeResult[],
  before: readonly License[],
  after: readonly License[],
): ChangeResult[] {
  const was = new Map(before.map((l) => [l.productId, l]));
  const is = new Map(after.map((l) => [l.productId, l]));
  return changes.map((c) => {
    const recorded: ChangeResult = { ...c };
    // The plans in force after: an assign's, and a revoke's that left the license to other sources.
    if (
      (c.action === 'assign' && (c.outcome === 'assigned' || c.outcome === 'updated' || c.outcome === 'unchanged')) ||
      (c.action === 'revoke' && (c.outcome === 'updated' || c.outcome === 'unchanged' || c.outcome === 'inherited'))
    ) {
      const now = is.get(c.productId);
      if (now) recorded.disabledServicePlans = normalizePlans(now.disabledServicePlans);
    }
    if (c.outcome === 'revoked' || c.outcome === 'updated' || c.outcome === 'inherited') {
      const then = was.get(c.productId);
      if (then) recorded.previousDisabledServicePlans = normalizePlans(then.disabledServicePlans);
    }
    return recorded;
  });
}

/**
 * What puts a user back as it was just before a job, from the changes that job applied to it
 * (succeeded users only): a license it `assigned` is revoked, one it `revoked` is assigned again
 * with the plans disabled then, one it `updated` gets its previous plans back, one it left to the
 * user's groups (`inherited`) is assigned directly again. Changes that changed
 * nothing (`unchanged`, `not_assigned`) need no undoing. Undefined when nothing needs undoing.
 * A change applied without its previous plans recorded counts as having had none disabled; the
 * caller fills `previousDisabledServicePlans` from older history where it can.
 */
export function revertChanges(done: readonly ChangeResult[]): RequestedChanges | undefined {
  const assign: { productId: string; disabledServicePlans: string[] }[] = [];
  const revoke: string[] = [];
  for (const c of done) {
    if (c.outcome === 'assigned') revoke.push(c.productId);
    else if (c.outcome === 'revoked' || c.outcome === 'updated' || c.outcome === 'inherited')
      assign.push({ productId: c.productId, disabledServicePlans: normalizePlans(c.previousDisabledServicePlans) });
  }
  return assign.length + revoke.length === 0 ? undefined : { assign, revoke };
}

/** Changes applied to a user after the job being reverted, oldest first, with the job that applied them. */
export interface LaterChanges {
  jobId: string;
  changes: readonly ChangeResult[];
}

/**
 * The products of a revert whose license changed after the job: a later job changed it (its jobs
 * named), or it is no longer as the job left it (held or not, with the plans the job set) although
 * no job recorded a change, as when a product reached the user another way. Each is one
 * ChangedSinceJob error; none when the revert may go ahead.
 */
export function changedSinceJob(input: {
  /** What the job being reverted applied to the user (its succeeded changes, with plan states). */
  done: readonly ChangeResult[];
  /** The user's licenses now (just before the revert would apply). */
  licenses: readonly License[];
  later: readonly LaterChanges[];
}): Map<string, ChangeError> {
  const held = new Map(input.licenses.map((l) => [l.productId, l]));
  const errors = new Map<string, ChangeError>();
  for (const c of input.done) {
    if (!changedLicense(c) || errors.has(c.productId)) continue;
    const jobIds = [
      ...new Set(
        input.later
          .filter((l) => l.changes.some((x) => x.productId === c.productId && changedLicense(x)))
          .map((l) => l.jobId),
      ),
    ];
    const now = held.get(c.productId);
    const asLeft =
      c.outcome === 'revoked'
        ? !now
        : Boolean(now) &&
          (c.disabledServicePlans === undefined ||
            normalizePlans(now!.disabledServicePlans).join('\u0000') ===
              normalizePlans(c.disabledServicePlans).join('\u0000'));
    if (jobIds.length === 0 && asLeft) continue;
    errors.set(c.productId, {
      code: 'ChangedSinceJob',
      message: jobIds.length
        ? `The license of "${c.productId}" was changed by a later job (${jobIds.join(', ')}); it is left as it is`
        : `The license of "${c.productId}" is no longer as the job left it; it is left as it is`,
      productIds: [c.productId],
      jobIds,
    });
  }
  return errors;
}

/**
 * One user of a revert: left alone (failed, ChangedSinceJob on each product that changed since the
 * job, every other change skipped) when a license it would put back changed since, otherwise the
 * revert's changes for the user under the rules of any job (evaluateUserChanges).
 */
export function evaluateRevertUser(
  input: EvaluateUserChangesInput & { done: readonly ChangeResult[]; later: readonly LaterChanges[] },
): UserEvaluation {
  if (input.user === null) return evaluateUserChanges(input);
  const errors = changedSinceJob({ done: input.done, licenses: input.user.licenses, later: input.later });
  if (errors.size === 0) return evaluateUserChanges(input);
  const changes: ChangeResult[] = [
    ...input.changes.revoke.map((productId) => ({ productId, action: 'revoke' as const })),
    ...input.changes.assign.map((a) => ({ productId: a.productId, action: 'assign' as const })),
  ].map((c) => {
    const error = errors.get(c.productId);
    return error ? { ...c, outcome: 'failed' as const, error } : { ...c, outcome: 'skipped' as const };
  });
  return {
    status: 'failed',
    changes,
    licenses: input.user.licenses,
    newlyAssigned: [],
    revoked: [],
    // Every license's sources as they were: as given, or the direct one alone (as evaluateUserChanges has them).
    sources: new Map(
      input.user.licenses.map((l) => [
        l.productId,
        input.sources?.get(l.productId) ?? { direct: l.disabledServicePlans, groups: [] },
      ]),
    ),
    errorCodes: ['ChangedSinceJob'],
  };
}
