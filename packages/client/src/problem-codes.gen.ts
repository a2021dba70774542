// Generated from the API's declarations by `pnpm client:generate`; do not edit.
// `pnpm lint` and a test fail when this file differs from what they produce.

/** Every problem `code` the API answers (the framework may add a few of its own, in lower case). */
export const PROBLEM_CODES = [
  /** the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue */
  "validation_error",
  /** a query parameter the route does not take; `parameters` names them */
  "invalid_request",
  /** the body is not valid JSON, or its bytes are not UTF-8 */
  "malformed_json",
  /** the Idempotency-Key header is empty or longer than 255 characters */
  "invalid_idempotency_key",
  /** the Bearer credential is missing or wrong (or the API key was revoked) */
  "unauthorized",
  /** the API key has expired (its `expiresAt` has passed); use another key */
  "key_expired",
  /** the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them */
  "insufficient_scope",
  /** a key cannot be issued to expire later than the key that issues it (`expiresAt` of the caller) */
  "key_outlives_issuer",
  /** some `customerIds` are not customers of the partner; `customerIds` lists them */
  "unknown_customers",
  /** `expiresAt` is not in the future */
  "invalid_expiry",
  /** the resource does not exist or belongs to another partner (a malformed id answers the same) */
  "not_found",
  /** a userPrincipalName contains invisible or format characters (zero-width, bidirectional controls…); `userPrincipalNames` lists them */
  "invisible_characters",
  /** a userPrincipalName is repeated in the request or already taken in the customer; `userPrincipalNames` lists them */
  "duplicate_user_principal_name",
  /** the quantity is below the seats assigned and reserved; `minimumQuantity`, `assigned` and `reserved` tell the floor */
  "quantity_below_usage",
  /** a product lacks free seats for the selection; nothing was reserved; `shortages` lists `{productId, required, available}` */
  "insufficient_licenses",
  /** a request with this Idempotency-Key is still being answered; retry shortly */
  "idempotency_key_in_use",
  /** the job has already finished */
  "job_finished",
  /** the partner already has as many live API keys as allowed (2 operator-issued, 25 of its own); revoke one first (`maxLiveKeys`) */
  "too_many_api_keys",
  /** the job has not finished yet; wait for it (or cancel it) before retrying or reverting it */
  "job_not_finished",
  /** no user of the job failed or was cancelled (among those that still exist) */
  "nothing_to_retry",
  /** `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now */
  "not_before_too_far",
  /** the job changed no license of a user that still exists (no user succeeded, or each change left the license as it was) */
  "nothing_to_revert",
  /** some selected users do not exist in the customer; `userIds` lists them */
  "unknown_users",
  /** a product id is not in the catalog; `productIds` lists them */
  "unknown_product",
  /** a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them */
  "unknown_service_plan",
  /** the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them */
  "invalid_service_plans",
  /** the customer has no subscription to an assigned product; `productIds` lists them */
  "no_subscription",
  /** the filter matches more than 50,000 users; `maxUsers` is the limit */
  "too_many_users",
  /** no user of the customer matches the filter */
  "no_matching_users",
  /** this Idempotency-Key was used before with a different request */
  "idempotency_key_reused",
  /** the webhook URL is not https (http outside production), carries credentials, or resolves to an address that is not public */
  "invalid_webhook_url",
  /** the partner has sent its WEBHOOK_TESTS_PER_MINUTE test pings (or redeliveries of pings) in the last minute; `limit` is that number; nothing was queued: retry after `Retry-After` seconds */
  "webhook_test_rate_limited",
  /** the body exceeds the route’s size limit */
  "payload_too_large",
  /** the body is not application/json */
  "unsupported_media_type",
  /** more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds */
  "rate_limited",
  /** some of the selected users already have MAX_PENDING_JOBS_PER_USER unfinished jobs (`userIds`: up to 100 of them, `limit`); nothing was created: wait for `Retry-After` seconds, or for those jobs to finish */
  "too_many_pending_jobs",
  /** the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused) */
  "partner_queue_full",
  /** the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended */
  "partner_concurrency_limit",
  /** too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is */
  "authentication_throttled",
  /** Postgres or Redis is unreachable for now; retry after `Retry-After` seconds */
  "service_unavailable",
  /** the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers) */
  "shutting_down",
  /** the customer already has a group of this name (case aside); `name` repeats it */
  "group_name_taken",
  /** a static group cannot take a membership rule, nor a dynamic group lose its rule */
  "group_type_fixed",
  /** the group still grants licenses (`productIds`); set its licenses to [] first. With `membersHold: true`: members still hold, wait for or were refused them through it */
  "group_has_licenses",
  /** the change would remove licenses from more than 100 users (`usersLosing`; `impact` says who and what): send `confirmRemovals` of at least that number */
  "confirmation_required",
  /** the job processes a change of a group: it is not cancelled, retried or reverted (change the group, or reprocess it) */
  "group_job",
  /** a dynamic group's members are the users its rule selects; they cannot be added or removed */
  "group_is_dynamic",
  /** too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds */
  "overloaded",
] as const;

export type KnownProblemCode = (typeof PROBLEM_CODES)[number];
