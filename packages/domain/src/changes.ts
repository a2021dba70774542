import type { Catalog } from './catalog.ts';
import type { LicenseSources } from './license-sources.ts';

export const VIOLATION_CODES = [
  'ProhibitedInUsageLocationViolation',
  'MutuallyExclusiveViolation',
  'DependencyViolation',
  'CountViolation',
  'UserNotFound',
  'LicenseInheritedFromGroup',
  'ChangedSinceJob',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

/**
 * `inherited`: a revoke removed the user's direct source of a license it also holds through a group;
 * the license stays (no seat changes).
 */
export type ChangeOutcome =
  | 'assigned'
  | 'updated'
  | 'unchanged'
  | 'revoked'
  | 'not_assigned'
  | 'inherited'
  | 'skipped'
  | 'failed';

/** A license a user holds: the product and the service plans switched off inside it. */
export interface License {
  productId: string;
  disabledServicePlans: string[];
}

export interface AssignChange {
  productId: string;
  disabledServicePlans?: string[];
}

/** What one bulk job asks for every selected user. No product appears in both lists. */
export interface RequestedChanges {
  assign: AssignChange[];
  revoke: string[];
}

/**
 * Why a change failed, naming what the partner must act on: for DependencyViolation the required
 * products (or service plans) that are missing, for MutuallyExclusiveViolation the products in
 * conflict, for ProhibitedInUsageLocationViolation and CountViolation the product itself, for
 * LicenseInheritedFromGroup the groups the user holds the product through. The `message` is
 * English here; readers word it in their language from the other fields (changeErrorMessage of
 * packages/i18n), so every field a message names is kept.
 */
export interface ChangeError {
  code: ViolationCode;
  message: string;
  productIds?: string[];
  servicePlanIds?: string[];
  groupIds?: string[];
  /** ProhibitedInUsageLocationViolation: the usage location the product is not sold in. */
  usageLocation?: string;
  /** DependencyViolation of a revoke: the held products that need the revoked one (remove them first). */
  requiredBy?: string[];
  /** For ChangedSinceJob: the later jobs that changed the license since the job being reverted. */
  jobIds?: string[];
}

export interface ChangeResult {
  productId: string;
  action: 'assign' | 'revoke';
  outcome: ChangeOutcome;
  error?: ChangeError;
  /**
   * Recorded by the worker with an applied change (the license history), not part of a job's
   * results: the plans disabled once an assign applied (`assigned`, `updated`, `unchanged`), and
   * those disabled just before a license was `revoked` or `updated`, which a revert puts back.
   */
  disabledServicePlans?: string[];
  previousDisabledServicePlans?: string[];
}

/**
 * A change of a user's license that one of its groups made once a job's changes were applied (a
 * waiting or refused grant of the group settled by them): recorded in the license history with the
 * job's item, not part of the job's result.
 */
export interface GroupChange extends ChangeResult {
  groupId: string;
}

export interface UserState {
  /** The user's own usage location, or null when unset (then the customer's country applies). */
  usageLocation: string | null;
  customerCountry: string;
  licenses: License[];
}

export interface EvaluateUserChangesInput {
  catalog: Catalog;
  /** null when the user no longer exists (deleted after the job was accepted). */
  user: UserState | null;
  changes: RequestedChanges;
  /**
   * The sources of the licenses the user holds (see license-sources.ts); a license missing here
   * (or every license, when omitted) has the direct source only, with the license's plans.
   */
  sources?: ReadonlyMap<string, LicenseSources>;
  /**
   * Whether a seat can be had for a product the user would newly hold
   * (a seat reserved for this user by the job, or a free one). Only consulted for
   * products the user does not hold yet, and only once every other rule has passed.
   */
  hasSeat: (productId: string) => boolean;
}

export interface UserEvaluation {
  status: 'succeeded' | 'failed';
  /** Revokes first (in request order), then assigns (in request order). */
  changes: ChangeResult[];
  /** The user's licenses after the job: the new set when succeeded, the unchanged input when failed. */
  licenses: License[];
  /** Products the user holds after but did not hold before (each takes a seat). Empty when failed. */
  newlyAssigned: string[];
  /** Products the user held before but not after (each frees a seat). Empty when failed. */
  revoked: string[];
  /** The sources of every license held after the job (the input's when failed). */
  sources: Map<string, LicenseSources>;
  /** Distinct error codes of the failing changes, for the job's errorsByCode. */
  errorCodes: ViolationCode[];
}

export type EvaluateUserChanges = (input: EvaluateUserChangesInput) => UserEvaluation;

export function usageCountry(user: Pick<UserState, 'usageLocation' | 'customerCountry'>): string {
  return user.usageLocation ?? user.customerCountry;
}

/** Canonical form of a disabled-plan list: sorted, without duplicates, so lists can be compared. */
export function normalizePlans(plans: readonly string[] | undefined): string[] {
  return [...new Set(plans ?? [])].sort();
}

export type { Catalog };
