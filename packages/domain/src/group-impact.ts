// The dry run of a group change (contract 1.2, `?dryRun=true`): what the change would do to every
// affected user, counted as the users are evaluated one after another (in user-list order) by the
// same rule the worker applies (evaluateGroupSources), seats taken from what is free now.
import type { ChangeResult } from './changes.ts';
import type { GroupSourcesEvaluation } from './evaluate-group-sources.ts';

/** A user named in an impact (the first 100 of each list). */
export interface ImpactUser {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  changes: ChangeResult[];
}

export interface GroupImpact {
  /** Users who would newly hold a product. */
  usersGaining: number;
  /** Users who would lose a product (its last source goes). */
  usersLosing: number;
  /** Per product some user would newly need: seats needed, free now, and missing. */
  seats: { productId: string; required: number; available: number; shortfall: number }[];
  losing: { total: number; byProduct: Record<string, number>; users: ImpactUser[] };
  failures: { total: number; byCode: Record<string, number>; users: ImpactUser[] };
}

export const IMPACT_LISTED_USERS = 100;

/**
 * Counts a group change's impact user by user. `available` is the seats free now per product; a user
 * who newly needs a seat takes one while there are any (`hasSeat`), as the worker would, and one who
 * frees a seat gives it back.
 */
export class GroupImpactCounter {
  private readonly free: Map<string, number>;
  private readonly required = new Map<string, number>();
  private gaining = 0;
  private readonly losing: GroupImpact['losing'] = { total: 0, byProduct: {}, users: [] };
  private readonly failures: GroupImpact['failures'] = { total: 0, byCode: {}, users: [] };

  constructor(private readonly available: ReadonlyMap<string, number>) {
    this.free = new Map(available);
  }

  /** For evaluateGroupSources: whether a seat is free for the user being evaluated. */
  readonly hasSeat = (productId: string): boolean => (this.free.get(productId) ?? 0) > 0;

  add(user: Omit<ImpactUser, 'changes'>, evaluation: GroupSourcesEvaluation): void {
    const listed = (): ImpactUser => ({ ...user, changes: evaluation.changes });
    if (evaluation.status === 'failed') {
      this.failures.total++;
      for (const code of evaluation.errorCodes) this.failures.byCode[code] = (this.failures.byCode[code] ?? 0) + 1;
      if (this.failures.users.length < IMPACT_LISTED_USERS) this.failures.users.push(listed());
      for (const change of evaluation.changes) if (change.error?.code === 'CountViolation') this.need(change.productId);
      return;
    }
    for (const productId of evaluation.newlyAssigned) {
      this.need(productId);
      this.free.set(productId, (this.free.get(productId) ?? 0) - 1);
    }
    for (const productId of evaluation.revoked) this.free.set(productId, (this.free.get(productId) ?? 0) + 1);
    if (evaluation.newlyAssigned.length > 0) this.gaining++;
    if (evaluation.revoked.length > 0) {
      this.losing.total++;
      for (const productId of evaluation.revoked)
        this.losing.byProduct[productId] = (this.losing.byProduct[productId] ?? 0) + 1;
      if (this.losing.users.length < IMPACT_LISTED_USERS) this.losing.users.push(listed());
    }
  }

  private need(productId: string): void {
    this.required.set(productId, (this.required.get(productId) ?? 0) + 1);
  }

  result(): GroupImpact {
    return {
      usersGaining: this.gaining,
      usersLosing: this.losing.total,
      seats: [...this.required]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([productId, required]) => {
          const available = Math.max(0, this.available.get(productId) ?? 0);
          return { productId, required, available, shortfall: Math.max(0, required - available) };
        }),
      losing: this.losing,
      failures: this.failures,
    };
  }
}
