// Reasons in the words a partner uses. The API's codes stay visible next to them (support asks
// for them), but the sentence says what to do about it.
import type { ChangeError, ResultChange } from '../../api/types.ts';

type Names = ReadonlyMap<string, string>;

const list = (ids: string[] | undefined, names: Names) =>
  (ids ?? []).map((id) => names.get(id) ?? id).join(' or ') || 'another product';

/** What a failure code means, without the specifics of one user. */
export const reasonSummary: Record<string, string> = {
  ProhibitedInUsageLocationViolation: "The product isn't sold in the user's country or region (usage location)",
  MutuallyExclusiveViolation: "The user would hold two products that can't be combined",
  DependencyViolation: 'A required base product or service plan is missing',
  CountViolation: 'No license was available (buy more seats)',
  UserNotFound: 'The user was deleted',
  cancelled: 'The job was cancelled before this user was changed',
};

export function summaryOf(code: string): string {
  return reasonSummary[code] ?? `The change could not be made`;
}

/** One failed change of one user, in a sentence. */
export function describeError(change: ResultChange, error: ChangeError, names: Names): string {
  const product = names.get(change.productId) ?? change.productId;
  switch (error.code) {
    case 'ProhibitedInUsageLocationViolation':
      return `${product} isn't available in this user's country or region. Change the user's usage location or pick another product.`;
    case 'MutuallyExclusiveViolation':
      return `${product} can't be held together with ${list(
        error.productIds?.filter((id) => id !== change.productId),
        names,
      )}. Remove one of them first.`;
    case 'DependencyViolation':
      if (error.servicePlanIds?.length)
        return `A service plan of ${product} needs ${error.servicePlanIds.join(', ')} turned on.`;
      return change.action === 'revoke'
        ? `Other licenses of this user need ${product}; remove ${list(error.productIds, names)} first.`
        : `${product} needs ${list(error.productIds, names)} first. Assign a base product too.`;
    case 'CountViolation':
      return `No ${product} license was free. Buy more seats, then retry.`;
    case 'UserNotFound':
      return 'The user was deleted before the change was made.';
    default:
      return error.message;
  }
}

export const outcomeWords: Record<ResultChange['outcome'] | 'cancelled', string> = {
  assigned: 'assigned',
  updated: 'updated',
  unchanged: 'already assigned, unchanged',
  revoked: 'removed',
  not_assigned: 'was not assigned',
  skipped: 'not changed (another change of this user failed)',
  failed: 'failed',
  cancelled: 'cancelled',
};
