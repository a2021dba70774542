// Generated from the API's declarations by `pnpm client:generate`; do not edit.
// `pnpm lint` and a test fail when this file differs from what they produce.

/** The POST routes that take an Idempotency-Key header (path templates of the OpenAPI document). */
export const IDEMPOTENT_ROUTES = [
  "/v1/customers/{customerId}/license-jobs",
  "/v1/customers/{customerId}/license-jobs/{jobId}/retry",
  "/v1/customers/{customerId}/license-jobs/{jobId}/revert",
] as const;
