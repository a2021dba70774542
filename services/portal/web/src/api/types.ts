// The shapes of the public contract the portal uses (API.md, v1 with the 1.1 additions).

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export interface Customer {
  id: string;
  name: string;
  country: string;
  createdAt: string;
}

export interface License {
  productId: string;
  disabledServicePlans: string[];
}

export interface User {
  id: string;
  customerId: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation: string | null;
  licenses: License[];
}

export interface ServicePlan {
  id: string;
  name: string;
  requires?: string[];
}

export interface Product {
  id: string;
  name: string;
  servicePlans: ServicePlan[];
  availableIn?: string[];
  unavailableIn?: string[];
  requiresAnyOf?: string[];
  excludes?: string[];
}

export interface Subscription {
  productId: string;
  productName: string;
  quantity: number;
  assigned: number;
  reserved: number;
  available: number;
}

/** Which users a request is about: a list of ids, or every user matching a filter (resolved by the API). */
export interface UserFilter {
  search?: string;
  hasProduct?: string;
  lacksProduct?: string;
  licensed?: boolean;
}
export type UserSelection = { userIds: string[] } | { userFilter: UserFilter };

export interface OverviewProduct {
  productId: string;
  name: string;
  quantity: number;
  assigned: number;
  available: number;
  selection: 'all' | 'some' | 'none';
  assignedUserIds: string[];
  assignedCount?: number;
  assignedUserIdsTruncated?: boolean;
  buyMore: boolean;
  servicePlans: { id: string; name: string }[];
}

export interface LicenseOverview {
  users: { id: string; displayName: string; userPrincipalName: string }[];
  products: OverviewProduct[];
}

export interface AssignChange {
  productId: string;
  disabledServicePlans?: string[];
}

export type LicenseJobRequest = UserSelection & {
  assign?: AssignChange[];
  revoke?: string[];
  clientReference?: string;
};

export type JobStatus = 'queued' | 'running' | 'completed' | 'completed_with_errors' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  customerId: string;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  retryOf?: string | null;
  clientReference?: string | null;
  request: { assign: AssignChange[]; revoke: string[]; userCount: number };
  progress: { total: number; pending: number; succeeded: number; failed: number; cancelled?: number };
  errorsByCode: Record<string, number>;
}

export interface ChangeError {
  code: string;
  message: string;
  productIds?: string[];
  servicePlanIds?: string[];
}

export interface ResultChange {
  productId: string;
  action: 'assign' | 'revoke';
  outcome: 'assigned' | 'updated' | 'unchanged' | 'revoked' | 'not_assigned' | 'skipped' | 'failed' | 'cancelled';
  error?: ChangeError;
}

export type ResultStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface JobResult {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  status: ResultStatus;
  changes: ResultChange[];
}

export interface LicensePreview {
  userCount: number;
  seats: { productId: string; required: number; available: number; shortfall: number }[];
  outcomes: { assigned: number; updated: number; unchanged: number; revoked: number; not_assigned: number };
  failures: {
    total: number;
    byCode: Record<string, number>;
    users: { userId: string; userPrincipalName: string; displayName: string; changes: ResultChange[] }[];
  };
}
