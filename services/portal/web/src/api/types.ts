// The contract's shapes, as the typed client (packages/client, generated from the API's OpenAPI
// document) declares them, under the names the portal uses.
import type { components } from '@licensing/client';

type Schemas = components['schemas'];

export type Customer = Schemas['Customer'];
export type User = Schemas['User'];
export type UpdateUser = Schemas['UpdateUserRequest'];
export type CreateUser = Schemas['CreateUserRequest'];
export type CreateCustomer = Schemas['CreateCustomerRequest'];
export type LicenseHistoryEntry = Schemas['LicenseHistoryEntry'];
export type AuditEvent = Schemas['AuditEvent'];
export type Product = Schemas['Product'];
export type ServicePlan = Schemas['ServicePlan'];
export type Subscription = Schemas['Subscription'];
export type UserFilter = Schemas['UserFilter'];
export type LicenseOverview = Schemas['LicenseOverview'];
export type OverviewProduct = Schemas['LicenseOverviewProduct'];
export type AssignChange = Schemas['AssignChange'];
export type LicenseJobRequest = Schemas['CreateLicenseJobRequest'];
export type Job = Schemas['Job'];
export type JobStatus = Schemas['JobStatus'];
export type JobResult = Schemas['JobResult'];
export type ResultStatus = JobResult['status'];
export type ResultChange = Schemas['ChangeResult'];
export type ChangeError = Schemas['ChangeError'];
export type LicensePreview = Schemas['JobPreview'];

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

/** Which users a request is about: a list of ids, or every user matching a filter (resolved by the API). */
export type UserSelection = { userIds: string[] } | { userFilter: UserFilter };
export type Group = Schemas['Group'];
export type MembershipRule = Schemas['MembershipRule'];
export type GroupImpact = Schemas['GroupChangeImpact'];
export type LicenseState = Schemas['LicenseState'];
export type GroupLicense = Group['licenses'][number];
