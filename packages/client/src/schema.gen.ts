// Generated from the API's declarations by `pnpm client:generate`; do not edit.
// `pnpm lint` and a test fail when this file differs from what they produce.

export interface paths {
    "/v1/admin/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List partners with their live API keys
         * @description Every partner, oldest first, with its live keys (prefix, created, last used).
         */
        get: operations["listPartners"];
        put?: never;
        /**
         * Create a partner; its API key is shown once
         * @description Creates a partner and answers its API key, the Bearer credential of its calls. The key is stored only as a hash: this answer is the only place it is ever shown.
         */
        post: operations["createPartner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/partners/{partnerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a partner with its live API keys
         * @description The partner and its live keys (prefix, created, last used), oldest first.
         */
        get: operations["getPartner"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/partners/{partnerId}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a partner's live API keys
         * @description The live keys, oldest first: id, name, prefix, scopes, customers, expiry, when created and when last used (to the minute); the keys the partner issued itself too.
         */
        get: operations["listPartnerApiKeys"];
        put?: never;
        /**
         * Issue another API key to a partner (rotation); shown once
         * @description Answers a new key that works at once, beside the existing one: hand it to the partner, let it switch, then revoke the old key. An operator-issued key has every scope and reaches every customer. A partner has at most 2 live operator-issued keys (those it issues itself do not count); a third is 409 `too_many_api_keys`.
         */
        post: operations["createPartnerApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/partners/{partnerId}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key; it stops working at once
         * @description The key is refused (401) by every API process from the next request on: keys are looked up on every request, never cached. Revoking the last live key locks the partner out until another is issued.
         */
        delete: operations["revokePartnerApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The partner's live API keys
         * @description Every live key of the partner (issued by an operator or by the partner), oldest first, without the keys themselves. A key limited to some customers sees only the keys limited to customers it reaches.
         *
         *     Needs scope `keys:manage`.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Issue an API key with chosen scopes, customers and expiry; shown once
         * @description Issues a key of the partner that grants only `scopes`, optionally only for `customerIds` and until `expiresAt`. A key grants nothing it lacks itself: a scope the calling key does not hold, or a customer it may not reach, is 403 `insufficient_scope`; a key cannot outlive its issuer (403 `key_outlives_issuer`). At most 25 live keys issued by the partner (409 `too_many_api_keys`). The key is stored only as a hash: this answer is the only place it is shown.
         *
         *     Needs scope `keys:manage`.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The API key of this request: its name, scopes, customers and expiry
         * @description Who is calling: what a client shows as signed in, and what it offers the key to do.
         *
         *     Needs scope `read`.
         */
        get: operations["getCurrentApiKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key; it stops working at once on every API process
         * @description Keys are looked up on every request, never cached: the key is refused (401) from the next request on, its open event streams and CSV downloads end. A key may revoke itself, and any key it could have issued (scopes and customers it holds itself); others are 403 `insufficient_scope`.
         *
         *     Needs scope `keys:manage`.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List products
         * @description Every product of the catalog with its service plans and assignment rules.
         *
         *     Needs scope `read`.
         */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/products/{productId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a product
         * @description One product of the catalog.
         *
         *     Needs scope `read`.
         */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The customer's audit trail, newest first
         * @description Every change made to the customer and what hangs below it, each recorded in the transaction of the change: who (partner, API key and its name), when, the request id and what changed. `type` filters.
         *
         *     Needs scope `read`.
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List customers
         * @description The calling partner's customers, oldest first; with a key limited to some customers, only those.
         *
         *     Needs scope `read`.
         */
        get: operations["listCustomers"];
        put?: never;
        /**
         * Create a customer
         * @description Creates a customer of the calling partner.
         *
         *     Needs scope `users:write` and a key for every customer (a key limited to some customers: 403).
         */
        post: operations["createCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a customer
         * @description One of the calling partner's customers.
         *
         *     Needs scope `read`.
         */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users, sorted by displayName then userPrincipalName
         * @description The customer's users with their licenses. The filters `search`, `hasProduct`, `lacksProduct`, `licensed` and `department` (exact match) combine (every one given must hold) and select exactly as the same `userFilter` does in a body. `search` matches any part of the display name or the user principal name, regardless of case, accents and Unicode form. A product the catalog does not have → 422 `unknown_product`. Where a filter matches many of a large customer's users, `total` is estimated from a sample (`totalIsEstimate: true`).
         *
         *     Needs scope `read`.
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Create a user
         * @description Creates a user of the customer, holding no licenses.
         *
         *     Needs scope `users:write`.
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/users/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create up to 10,000 users, all or nothing
         * @description Creates every user of the request in one transaction, or none of them. With `Prefer: return=minimal` (RFC 7240), the answer is `204` without a body and `Preference-Applied: return=minimal`: an import that needs no ids saves reading 10,000 users back.
         *
         *     Needs scope `users:write`.
         */
        post: operations["createUsersBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user
         * @description One user of the customer with its licenses.
         *
         *     Needs scope `read`.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Delete a user and free its seats
         * @description Deletes the user; the seats of the licenses it held, and those that unfinished jobs reserved for it, are free at once. Its users still pending in those jobs end `failed` with `UserNotFound`.
         *
         *     Needs scope `users:write`.
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /**
         * Change a user's display name, usage location or department
         * @description Only the fields given change; `usageLocation: null` clears it, and the customer's country applies again; `department: null` clears the department. The user keeps its licenses as they are (jobs check usage-location rules when they apply).
         *
         *     Needs scope `users:write`.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/v1/customers/{customerId}/users/{userId}/license-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's license history, newest first
         * @description Every change a job applied to the user, or refused for it (`outcome: failed` with `error`), one item per product and action, newest job first. Users a cancelled job never reached had nothing applied and are not listed. Kept as long as the jobs themselves (the worker's JOB_RETENTION_DAYS).
         *
         *     Needs scope `read`.
         */
        get: operations["listUserLicenseHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/subscriptions/{productId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create a subscription or set its quantity
         * @description Creates the subscription, or sets its quantity ("buy more" is a higher quantity). The quantity can never fall below the seats assigned and reserved.
         *
         *     Needs scope `subscriptions:write`.
         */
        put: operations["putSubscription"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the customer's subscriptions with seat counts
         * @description Every subscription of the customer: quantity, assigned, reserved and available seats.
         *
         *     Needs scope `read`.
         */
        get: operations["listSubscriptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the customer's license groups, by name
         * @description Needs scope `read`.
         */
        get: operations["listGroups"];
        put?: never;
        /**
         * Create a license group: static (members added explicitly) or dynamic (a membership rule)
         * @description Without `membershipRule` the group is static; with one it is dynamic and its members are, from now on, exactly the customer's users the rule selects. A new group grants nothing: give it products with `PUT …/groups/{groupId}/licenses`.
         *
         *     Needs scope `users:write`.
         */
        post: operations["createGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/groups/{groupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a group with its member count, members waiting or in error, and processing state
         * @description Needs scope `read`.
         */
        get: operations["getGroup"];
        put?: never;
        post?: never;
        /**
         * Delete a group that grants no licenses
         * @description A group that still grants products is refused (409 `group_has_licenses`): set its licenses to `[]` first, which removes them from the members in the background. Until no member holds, waits for or was refused a product through the group any more (the removal processed; a removal refused because a product the user keeps requires it stays until that product goes), it is refused too, with `membersHold: true`.
         *
         *     Needs scope `users:write`.
         */
        delete: operations["deleteGroup"];
        options?: never;
        head?: never;
        /**
         * Rename a group, change its description, or change a dynamic group's rule
         * @description A new rule takes effect at once: users who now match join, members who no longer match leave, and their licenses follow in the background (a job with `source: {type: "group"}`). A static group cannot take a rule, nor a dynamic one lose it (422 `group_type_fixed`). A new rule is applied by a job. Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `users:write`.
         */
        patch: operations["updateGroup"];
        trace?: never;
    };
    "/v1/customers/{customerId}/groups/{groupId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A group's members, each with its licenses and license states; filter by state
         * @description By display name, or with `state=waiting` the waiting room: the longest waiting first, as seats are handed out.
         *
         *     Needs scope `read`.
         */
        get: operations["listGroupMembers"];
        put?: never;
        /**
         * Add users to a static group; they gain its licenses in the background
         * @description By `userIds` or `userFilter` (at most 50,000 users). Answers at once; the licenses follow as a job with `source: {type: "group"}`. A dynamic group takes no explicit members (422 `group_is_dynamic`). Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `users:write`.
         */
        post: operations["addGroupMembers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/groups/{groupId}/members/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove users from a static group; they lose its licenses in the background
         * @description By `userIds` or `userFilter` (at most 50,000 users). Answers at once; the licenses follow as a job with `source: {type: "group"}`. A dynamic group takes no explicit members (422 `group_is_dynamic`). Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `users:write`.
         */
        post: operations["removeGroupMembers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/groups/{groupId}/licenses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the products every member of the group should hold; applied in the background
         * @description Replaces what the group grants (`[]` removes everything). Answers 202 at once; every member (and every user still holding something through the group) is brought in line by a job with `source: {type: "group"}`. A member who needs a seat when none is free waits for one (`waiting`) and is licensed, oldest first, as seats free up. Unknown products, missing subscriptions and invalid plans are refused as for jobs. Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `licenses:write`.
         */
        put: operations["setGroupLicenses"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/groups/{groupId}/reprocess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate again the members of the group that are waiting or in error
         * @description Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["reprocessGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/users/{userId}/reprocess-licenses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate again the user's licenses in each of its groups
         * @description Accepting the change's job takes one of the partner's two job acceptances in progress at a time on a server (shared with new jobs, retries and reverts); more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`, having changed nothing. Its job takes its place in the partner's share of the queue as a license job does: while the partner's unfinished jobs are at their limit, a change that reaches licenses (its group grants some, or is given some) is refused with 429 `partner_queue_full` and `Retry-After`, having changed nothing.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["reprocessUserLicenses"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Seats and holders of every subscribed product for a selection of users
         * @description The "manage licenses" page for a selection: one row per subscription of the customer. Reads only. Selects users by `userIds` or by `userFilter` (exactly one; `{}` selects every user of the customer). Per product, `assignedCount` selected users hold it; `assignedUserIds` lists at most 1000 of them in user-list order (`assignedUserIdsTruncated: true` when there are more); `groupOnlyCount` of them hold it through groups only, so a job cannot revoke it from them (`LicenseInheritedFromGroup`). Large selections share a per-process budget: when too many are being answered, a request waits up to 5 s for room, then answers 503 `overloaded` with `Retry-After`. A partner has one large selection (over 1,000 users) in progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time: past that, 429 `partner_concurrency_limit` with `Retry-After`, before the selection is read.
         *
         *     Needs scope `read`.
         */
        post: operations["getLicenseOverview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List jobs, newest first, optionally by status, client reference or group
         * @description The customer's license jobs with their progress; `status`, `clientReference` and `groupId` (the jobs that process changes of that group) narrow the list.
         *
         *     Needs scope `read`.
         */
        get: operations["listLicenseJobs"];
        put?: never;
        /**
         * Assign and/or revoke products for up to 50,000 users; seats are reserved before answering
         * @description Accepts a job that applies the same changes to every selected user, in the background. Selects users by `userIds` or by `userFilter` (exactly one); a filter is resolved once, in the transaction that reserves the seats. Before answering, one seat per user who does not hold an assigned product yet is reserved, atomically for all products: if any lacks seats nothing is reserved and no job is created (409 `insufficient_licenses`). Poll the job at `Location`, honouring `Retry-After`. With `notBefore` the job is `scheduled` until that time (at most 90 days ahead), its seats reserved now; it starts within a couple of seconds of it, and can be cancelled until then. A partner has two job acceptances (new jobs, retries, reverts) in progress at a time on a server; more wait up to 5 s for their turn, past which they are answered 429 `partner_concurrency_limit` with `Retry-After`.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["createLicenseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry run of a job: predicted seats, outcomes and failures; reserves and changes nothing
         * @description Takes the body of a job and answers what that job would do now, by the rules the worker applies, on the state at the time of the request. `seats` tells whether the job would get its seats (`shortfall` above 0: it would be refused with 409 `insufficient_licenses`); users are evaluated in user-list order against the seats free now. With `notBefore` the prediction is still made on the state now (`evaluatedAt`); a scheduled job is applied on the state at its time. Answers the same 4xx problems as creating the job. Previews share the license overview's budget of selected users: when it is full, 503 `overloaded` after up to 5 s; a partner has one large selection (over 1,000 users) in progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time, past which it is answered 429 `partner_concurrency_limit` with `Retry-After`.
         *
         *     Needs scope `read`.
         */
        post: operations["previewLicenseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a job; Retry-After is set while it is not finished
         * @description The job with its progress. While it is not finished, `Retry-After` says when to poll again. The `ETag` changes whenever the job does: send it back in `If-None-Match` to get 304 while nothing changed. To follow a job without polling, see `GET …/events`.
         *
         *     Needs scope `read`.
         */
        get: operations["getLicenseJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A job's progress as server-sent events, until it finishes
         * @description A `text/event-stream`: a `progress` event (data: the Job) at once and whenever the progress changes, at most every 250 ms, then one `finished` event (data: the final Job), then the stream ends; close the EventSource on `finished`, or it reconnects. Quiet streams get a comment line every 15 s. A server shutting down ends its streams (reconnect to continue); a stream whose API key is revoked or expires ends without another event. A partner has at most `EVENT_STREAMS_PER_PARTNER` (500) streams open on one server: one more is answered 429 `partner_concurrency_limit` with `Retry-After`.
         *
         *     Needs scope `read`.
         */
        get: operations["streamLicenseJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an unfinished job
         * @description Stops an unfinished job: users not applied yet become `cancelled` and their reserved seats are released; users already applied keep their changes.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["cancelLicenseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a finished job's failed and cancelled users as a new job
         * @description Creates a new job (`retryOf` names this one) with the same changes and client reference, for the users of this job whose result is `failed` or `cancelled` and who still exist, under the same seat rules as any job (409 `insufficient_licenses`, nothing reserved). Honours `Idempotency-Key`. An optional body `{notBefore}` schedules it, as for a new job.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["retryLicenseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo a finished job: a new job that puts its succeeded users back as they were before it
         * @description Creates a new job (`revertOf` names this one) that restores every user this job changed to its state just before the job, as the license history recorded it (not as the request asked): a license the job assigned is revoked, one it revoked is assigned again with the service plans the user had, one it updated gets its previous plans back. Users the job left as they were need no undoing. A user whose license of one of those products changed after the job (a later job, or by other means) is left alone: it fails with `ChangedSinceJob`, whose `jobIds` name the later jobs; this is decided when the revert is applied. Seats as for any job: a license assigned again needs a seat, reserved now (409 `insufficient_licenses`, nothing reserved). Reverting a revert redoes the job. Honours `Idempotency-Key`. An optional body `{notBefore}` schedules it, as for a new job (which users changed since is then decided at that time). Preview it with `POST …/revert/preview`.
         *
         *     Needs scope `licenses:write`.
         */
        post: operations["revertLicenseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/revert/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry run of a revert: what undoing the job would do now, and the users it would leave alone
         * @description Answers what `POST …/revert` would do now, by the rules the worker applies, on the state at the time of the request; reserves and changes nothing. The users whose license changed since the job are among `failures` with `ChangedSinceJob` (and the later jobs in `jobIds`). With `notBefore` the prediction is still made on the state now (`evaluatedAt`). Previews share the license overview's budget of selected users: when it is full, 503 `overloaded` after up to 5 s; a partner has one large selection (over 1,000 users) in progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time, past which it is answered 429 `partner_concurrency_limit` with `Retry-After`.
         *
         *     Needs scope `read`.
         */
        post: operations["previewLicenseJobRevert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/license-jobs/{jobId}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-user results of a job, in user-list order; as JSON pages or one CSV file
         * @description One item per user of the job: its status and the outcome of each change. With `Accept: text/csv` or `format=csv` the whole result (paging aside, `status` applied) is streamed as one CSV file: a header row, then one row per user and change (one row for a user without changes), RFC 4180 quoting, and cells that start with =, +, -, @, tab or CR prefixed with ' so spreadsheets do not run them. An API process serves 3 CSV downloads at once, at most 1 of one partner (by default): past its share a partner is answered 429 `partner_concurrency_limit` at once, with `Retry-After`; past the process's, a download waits up to 5 s for one to end, then is answered 503 `overloaded` with `Retry-After`. A download whose client reads nothing for 60 s, or reads slower than 16 KiB/s on average, is cut off, as is one whose API key is revoked or expires while it is read.
         *
         *     Needs scope `read`.
         */
        get: operations["listLicenseJobResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The partner's webhook, without its secret
         * @description The URL and events of the webhook; 404 when the partner has none.
         *
         *     Needs scope `read`.
         */
        get: operations["getWebhook"];
        /**
         * Create or update the partner's webhook; a new one answers its signing secret once
         * @description One webhook per partner. The URL must be https (http outside production), carry no credentials and resolve only to public addresses (checked now and again before every delivery). Creating the webhook answers its signing secret, the only time it is shown; updating keeps the secret.
         *
         *     Needs scope `webhooks:manage` and a key for every customer (a key limited to some customers: 403).
         */
        put: operations["putWebhook"];
        post?: never;
        /**
         * Delete the partner's webhook
         * @description No event is sent any more; deliveries still pending are marked failed.
         *
         *     Needs scope `webhooks:manage` and a key for every customer (a key limited to some customers: 403).
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret; the new one is answered once
         * @description Every attempt from now on, including retries of earlier events, is signed with the new secret.
         *
         *     Needs scope `webhooks:manage` and a key for every customer (a key limited to some customers: 403).
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a `ping` event to the webhook
         * @description Queues a `ping` event, attempted once (a ping is never retried): its delivery, in the answer and in the deliveries, turns `delivered` or `failed` with the status code or error of that attempt. A partner may send a few pings per minute (WEBHOOK_TESTS_PER_MINUTE, 5 by default; redeliveries of pings count too): more are answered 429 `webhook_test_rate_limited` with `Retry-After`. The newest 20 finished pings are kept.
         *
         *     Needs scope `webhooks:manage` and a key for every customer (a key limited to some customers: 403).
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events sent or to send to the webhook, newest first
         * @description Every event recorded for the partner, with its delivery status and its last attempt. With a key limited to some customers, only the events about those customers.
         *
         *     Needs scope `read`.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an event again
         * @description The delivery becomes pending and is attempted now, with the same `webhook-id` and a fresh retry schedule, whatever its status was. A `ping` is attempted once, and counts as a test ping (429 `webhook_test_rate_limited` past WEBHOOK_TESTS_PER_MINUTE).
         *
         *     Needs scope `webhooks:manage`.
         */
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A live API key of a partner, without the key itself. */
        ApiKey: {
            /** Format: uuid */
            id: string;
            /** @description What the key is for, as its issuer named it. */
            name: string;
            /** @description The first characters of the key, to recognise it. */
            prefix: string;
            /**
             * @description `operator`: issued by an operator (every scope; at most 2 live); `partner`: under /v1/keys.
             * @enum {string}
             */
            issuedBy: "operator" | "partner";
            /**
             * @description The scopes the key grants: `read`, `users:write`, `licenses:write`, `subscriptions:write`, `webhooks:manage`, `keys:manage`; `["*"]` is every scope.
             * @example [
             *       "read",
             *       "licenses:write"
             *     ]
             */
            scopes: string[];
            /** @description The only customers the key may reach; null: every customer of the partner. */
            customerIds: string[] | null;
            /**
             * Format: date-time
             * @description When the key stops working (401 `key_expired`); null: never.
             */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the key last authenticated a request (recorded to the minute); null if never.
             */
            lastUsedAt: string | null;
        };
        /** @description Live API keys. */
        ApiKeyList: components["schemas"]["ApiKey"][];
        /** @description A product to assign. */
        AssignChange: {
            productId: string;
            /** @description Service plans of the product to turn off for these users. */
            disabledServicePlans?: string[];
        };
        AuditActor: {
            /** Format: uuid */
            partnerId: string;
            /**
             * Format: uuid
             * @description The API key used; null for the service itself.
             */
            keyId: string | null;
            /** @description The API key's name (as it is now); null for the service itself. */
            keyName: string | null;
        };
        /** @description One change a partner made (or a job finishing). */
        AuditEvent: {
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            at: string;
            actor: components["schemas"]["AuditActor"];
            /** @enum {string} */
            type: "customer.created" | "user.created" | "user.updated" | "user.deleted" | "subscription.updated" | "license_job.accepted" | "license_job.cancelled" | "license_job.retried" | "license_job.reverted" | "license_job.scheduled" | "license_job.finished" | "group.created" | "group.updated" | "group.deleted" | "group.members_added" | "group.members_removed" | "group.licenses_updated";
            /** @description What changed; its fields depend on `type`. */
            data: {
                [key: string]: unknown;
            };
            requestId: string | null;
        };
        /** @description One page of a list. */
        AuditEventPage: {
            items: components["schemas"]["AuditEvent"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description Why a change failed, and what to act on. */
        ChangeError: {
            /** @enum {string} */
            code: "ProhibitedInUsageLocationViolation" | "MutuallyExclusiveViolation" | "DependencyViolation" | "CountViolation" | "UserNotFound" | "LicenseInheritedFromGroup" | "ChangedSinceJob";
            message: string;
            productIds?: string[];
            servicePlanIds?: string[];
            groupIds?: string[];
            /** @description ProhibitedInUsageLocationViolation: the usage location the product is not sold in. */
            usageLocation?: string;
            /** @description DependencyViolation of a revoke: the held products that need this one; remove them first. */
            requiredBy?: string[];
            /** @description For `ChangedSinceJob`: the later jobs that changed the license since the job being reverted. */
            jobIds?: string[];
        };
        /** @description The outcome of one product change for one user. */
        ChangeResult: {
            productId: string;
            /** @enum {string} */
            action: "assign" | "revoke";
            /**
             * @description `inherited`: a revoke removed the direct source of a license the user also holds through a group; the license stays and no seat changes.
             * @enum {string}
             */
            outcome: "assigned" | "updated" | "unchanged" | "revoked" | "not_assigned" | "inherited" | "skipped" | "failed";
            error?: components["schemas"]["ChangeError"];
        };
        /** @description A key the partner issues itself. */
        CreateApiKeyRequest: {
            /** @description What the key is for (shown in lists and in the audit trail). */
            name: string;
            /** @description The scopes to grant: each one the calling key holds itself. */
            scopes: ("read" | "users:write" | "licenses:write" | "subscriptions:write" | "webhooks:manage" | "keys:manage")[];
            /** @description Limits the key to these customers (others answer 404 and are left out of lists); omitted or null: every customer, which only a key for every customer may grant. */
            customerIds?: string[] | null;
            /**
             * Format: date-time
             * @description When the key stops working (RFC 3339, in the future); omitted: never, or when the calling key expires if it does (a key cannot outlive the key that issues it).
             */
            expiresAt?: string;
        };
        CreateCustomerRequest: {
            name: string;
            /** @description ISO 3166-1 alpha-2; the usage location of users that have none. */
            country: string;
        };
        CreateGroupRequest: {
            /** @description Unique within the customer (case aside). */
            name: string;
            description?: string;
            /** @description With a rule the group is dynamic. */
            membershipRule?: components["schemas"]["MembershipRule"];
        };
        /** @description The users (`userIds`, 1 to 50,000, duplicates ignored; or `userFilter`) and the products to assign and/or revoke for each of them. */
        CreateLicenseJobRequest: {
            /** @description Ids of users of the customer (1 to 50000; duplicates are ignored) */
            userIds?: string[];
            userFilter?: components["schemas"]["UserFilter"];
            assign?: components["schemas"]["AssignChange"][];
            revoke?: string[];
            clientReference?: string;
            /**
             * Format: date-time
             * @description Start the job no earlier than this (RFC 3339, at most 90 days ahead, else 422 `not_before_too_far`): until then it is `scheduled`, its seats reserved now. A time that has come runs at once.
             * @example 2026-07-01T06:00:00+02:00
             */
            notBefore?: string;
        };
        CreatePartnerRequest: {
            name: string;
        };
        CreateUserRequest: {
            /** @description name@domain, stored in Unicode NFKC. Unique within the customer regardless of case, Unicode form and look-alike letters of other scripts (full-width, decomposed, or Cyrillic "а" for Latin "a": the same name); invisible characters are refused. */
            userPrincipalName: string;
            displayName: string;
            /** @description An assigned ISO 3166-1 alpha-2 code; without one, the customer's country applies. */
            usageLocation?: string | null;
            /** @description Free text of at most 64 characters (trimmed); dynamic group rules select by it. */
            department?: string | null;
        };
        CreateUsersBatchRequest: {
            users: components["schemas"]["CreateUserRequest"][];
        };
        /** @description A new API key of a partner. */
        CreatedApiKey: {
            /** Format: uuid */
            id: string;
            /** @description The new Bearer credential; shown only in this answer. */
            apiKey: string;
            /** Format: date-time */
            createdAt: string;
        };
        /** @description A new partner and its API key. */
        CreatedPartner: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description The Bearer credential of the partner; shown only in this answer. */
            apiKey: string;
        };
        /** @description The users created, in request order. */
        CreatedUsers: {
            items: components["schemas"]["User"][];
        };
        /** @description One of the partner's customers (a tenant). */
        Customer: {
            /** Format: uuid */
            id: string;
            name: string;
            country: string;
            /** Format: date-time */
            createdAt: string;
        };
        /** @description One page of a list. */
        CustomerPage: {
            items: components["schemas"]["Customer"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description A license group: members, and the products every member should hold. */
        Group: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            customerId: string;
            name: string;
            description: string | null;
            /** @description null: a static group. Stored sorted, countries upper case, suffixes lower case. */
            membershipRule: {
                departments?: string[];
                usageLocations?: string[];
                userPrincipalNameSuffixes?: string[];
            } | null;
            memberCount: number;
            licenses: {
                productId: string;
                disabledServicePlans: string[];
            }[];
            processing: components["schemas"]["GroupProcessing"];
            /** @description Members with a license state `error`. */
            membersWithErrors: number;
            /** @description Members waiting for a seat. */
            membersWaiting: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description What a group change would do, computed over every affected member by the rules the worker applies. */
        GroupChangeImpact: {
            /** @description Users who would newly hold a product. */
            usersGaining: number;
            /** @description Users who would lose a product (its last source goes). */
            usersLosing: number;
            seats: components["schemas"]["ImpactSeats"][];
            losing: {
                total: number;
                byProduct: {
                    [key: string]: number;
                };
                /** @description The first 100, in user-list order. */
                users: components["schemas"]["ImpactUser"][];
            };
            failures: {
                /** @description Users the rules would refuse (or leave waiting for a seat). */
                total: number;
                byCode: {
                    [key: string]: number;
                };
                /** @description The first 100, in user-list order. */
                users: components["schemas"]["ImpactUser"][];
            };
        };
        /** @description One page of a list. */
        GroupMemberPage: {
            items: components["schemas"]["User"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        GroupMembersAdded: {
            /** @description Users who were not members before. */
            added: number;
        };
        GroupMembersRemoved: {
            /** @description Users who were members. */
            removed: number;
        };
        /** @description The users to add or remove: `userIds` (1 to 50,000) or `userFilter` (at most 50,000 matching users). */
        GroupMembersRequest: {
            /** @description Ids of users of the customer (1 to 50000; duplicates are ignored) */
            userIds?: string[];
            userFilter?: components["schemas"]["UserFilter"];
            /** @description Needed when the change would remove licenses from more than 100 users: at least the number of users who would lose one (else 409 `confirmation_required` with the Impact). */
            confirmRemovals?: number;
        };
        /** @description One page of a list. */
        GroupPage: {
            items: components["schemas"]["Group"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description Whether changes of the group are still being applied to members. */
        GroupProcessing: {
            /** @enum {string} */
            state: "idle" | "queued" | "processing";
            /** @description Users of the group's unfinished jobs not applied yet. */
            pendingUsers: number;
        };
        ImpactSeats: {
            productId: string;
            /** @description Users who would need a new seat. */
            required: number;
            /** @description Seats free now. */
            available: number;
            /** @description Users who would wait for a seat. */
            shortfall: number;
        };
        /** @description A user the change would affect, with the changes predicted for it. */
        ImpactUser: {
            /** Format: uuid */
            userId: string;
            userPrincipalName: string;
            displayName: string;
            changes: components["schemas"]["ChangeResult"][];
        };
        /** @description A key the partner issued itself, with the key (shown only here). */
        IssuedApiKey: {
            /** Format: uuid */
            id: string;
            /** @description What the key is for, as its issuer named it. */
            name: string;
            /** @description The first characters of the key, to recognise it. */
            prefix: string;
            /**
             * @description `operator`: issued by an operator (every scope; at most 2 live); `partner`: under /v1/keys.
             * @enum {string}
             */
            issuedBy: "operator" | "partner";
            /**
             * @description The scopes the key grants: `read`, `users:write`, `licenses:write`, `subscriptions:write`, `webhooks:manage`, `keys:manage`; `["*"]` is every scope.
             * @example [
             *       "read",
             *       "licenses:write"
             *     ]
             */
            scopes: string[];
            /** @description The only customers the key may reach; null: every customer of the partner. */
            customerIds: string[] | null;
            /**
             * Format: date-time
             * @description When the key stops working (401 `key_expired`); null: never.
             */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the key last authenticated a request (recorded to the minute); null if never.
             */
            lastUsedAt: string | null;
            /** @description The new Bearer credential; shown only in this answer. */
            apiKey: string;
        };
        /** @description A bulk license job: its request, status and progress. */
        Job: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            customerId: string;
            status: components["schemas"]["JobStatus"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            request: components["schemas"]["JobRequest"];
            progress: components["schemas"]["JobProgress"];
            /** @description Failed changes per error code (see the worker rules in the API documentation). */
            errorsByCode: {
                [key: string]: number;
            };
            /** @description The client's own reference, as given. */
            clientReference: string | null;
            /**
             * Format: uuid
             * @description The job whose failed and cancelled users this job retries.
             */
            retryOf: string | null;
            /**
             * Format: uuid
             * @description The job whose succeeded users this job puts back as they were just before it. Each user gets its own changes (see its results); `request` then lists the products the revert assigns or revokes for some of them.
             */
            revertOf: string | null;
            source: components["schemas"]["JobSource"];
            /**
             * Format: date-time
             * @description When the job may start, as asked (`scheduled` until then); null: at once.
             */
            notBefore: string | null;
        };
        /** @description Optional: `notBefore` schedules the new job; without a body (or without it) it runs at once. */
        JobFollowUpRequest: {
            /**
             * Format: date-time
             * @description Start the job no earlier than this (RFC 3339, at most 90 days ahead, else 422 `not_before_too_far`): until then it is `scheduled`, its seats reserved now. A time that has come runs at once.
             * @example 2026-07-01T06:00:00+02:00
             */
            notBefore?: string;
        };
        /** @description One page of a list. */
        JobPage: {
            items: components["schemas"]["Job"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description What a job with this body would do now, by the rules the worker applies; nothing is reserved. */
        JobPreview: {
            /**
             * Format: date-time
             * @description The preview is made on the state at this time (seats, licenses, users); a scheduled job is applied on the state at its `notBefore`, which may differ.
             */
            evaluatedAt: string;
            /**
             * Format: date-time
             * @description The `notBefore` given, as a UTC time; the prediction is still made on the state now.
             */
            notBefore: string | null;
            /** @description The users selected (each once). */
            userCount: number;
            /** @description One entry per assigned product, in request order. */
            seats: components["schemas"]["PreviewSeats"][];
            outcomes: components["schemas"]["PreviewOutcomes"];
            failures: components["schemas"]["PreviewFailures"];
        };
        /** @description Users of the job by result status. */
        JobProgress: {
            total: number;
            pending: number;
            succeeded: number;
            failed: number;
            /** @description Users a cancel left unapplied. */
            cancelled: number;
        };
        /** @description What the job was asked to do. */
        JobRequest: {
            assign: {
                productId: string;
                disabledServicePlans: string[];
            }[];
            revoke: string[];
            userCount: number;
        };
        /** @description One user's result in a job. */
        JobResult: {
            /** Format: uuid */
            userId: string;
            userPrincipalName: string;
            displayName: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "cancelled";
            changes: components["schemas"]["ChangeResult"][];
        };
        /** @description One page of a list. */
        JobResultPage: {
            items: components["schemas"]["JobResult"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description `direct`: a license job someone asked for. `group`: the processing of a change of that group for the affected users (`request.assign` lists what the group grants, `request.revoke` what it stopped granting); each user is brought in line with the group as it is when the user is applied. */
        JobSource: {
            /** @enum {string} */
            type: "direct";
        } | {
            /** @enum {string} */
            type: "group";
            /** Format: uuid */
            groupId: string;
        };
        /**
         * @description `scheduled`: waiting for its `notBefore` (seats reserved); `queued`, `running`; then `completed`: every user succeeded; `completed_with_errors`: some did; `failed`: none did; `cancelled`: stopped by a cancel.
         * @enum {string}
         */
        JobStatus: "scheduled" | "queued" | "running" | "completed" | "completed_with_errors" | "failed" | "cancelled";
        /** @description A product a user holds, with the service plans turned off for them. */
        License: {
            productId: string;
            disabledServicePlans: string[];
            assignedBy: components["schemas"]["LicenseAssignedBy"];
        };
        /** @description The license's sources. However many, it takes one seat; its enabled plans are the union of theirs. */
        LicenseAssignedBy: {
            /** @description Assigned by a license job (revocable by one). */
            direct: boolean;
            /** @description The groups the user holds the product through. */
            groupIds: string[];
        };
        /** @description One change a job applied to a user, or refused for it (`outcome: failed` with `error`), or one the user’s groups made once a job’s changes were applied (`groupId`). */
        LicenseHistoryEntry: {
            /** Format: uuid */
            jobId: string;
            /**
             * Format: date-time
             * @description When the job applied (or refused) the change for this user.
             */
            at: string;
            productId: string;
            /** @enum {string} */
            action: "assign" | "revoke";
            /**
             * @description `inherited`: a revoke removed the direct source of a license the user also holds through a group; the license stays and no seat changes.
             * @enum {string}
             */
            outcome: "assigned" | "updated" | "unchanged" | "revoked" | "not_assigned" | "inherited" | "skipped" | "failed";
            /** @description The service plans disabled once the change applied: for an assign, and for a revoke that left the license to its other sources (`inherited`, or a group’s `updated`/`unchanged`). Older assigns: those the job asked to disable. */
            disabledServicePlans?: string[];
            error?: components["schemas"]["ChangeError"];
            /**
             * Format: uuid
             * @description Set when the change was made by this group of the user once the job's changes were applied (a waiting or refused grant they settled: a seat or an excluded product freed); such changes are not in the job’s result.
             */
            groupId?: string;
        };
        /** @description One page of a list. */
        LicenseHistoryPage: {
            items: components["schemas"]["LicenseHistoryEntry"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description Seats and holders of every subscribed product for a selection of users. */
        LicenseOverview: {
            users: {
                /** Format: uuid */
                id: string;
                displayName: string;
                userPrincipalName: string;
            }[];
            products: components["schemas"]["LicenseOverviewProduct"][];
        };
        /** @description One subscription of the customer, seen from the selection. */
        LicenseOverviewProduct: {
            productId: string;
            name: string;
            quantity: number;
            assigned: number;
            available: number;
            /**
             * @description How many of the selected users hold the product
             * @enum {string}
             */
            selection: "all" | "some" | "none";
            /** @description How many of the selected users hold the product */
            assignedCount: number;
            /** @description Selected users who hold the product, in user-list order; at most 1000 */
            assignedUserIds: string[];
            /** @description true when more than 1000 selected users hold it */
            assignedUserIdsTruncated: boolean;
            /** @description How many of the holders hold it only through groups (no direct assignment): a job cannot revoke it from them (LicenseInheritedFromGroup); remove them from the group or the product from the group */
            groupOnlyCount: number;
            buyMore: boolean;
            servicePlans: {
                id: string;
                name: string;
            }[];
        };
        /** @description The selection: `userIds` or `userFilter`, exactly one. */
        LicenseOverviewRequest: {
            /** @description Ids of users of the customer (1 to 50000; duplicates are ignored) */
            userIds?: string[];
            userFilter?: components["schemas"]["UserFilter"];
        };
        /** @description A product the user should hold through a group, and where that stands. */
        LicenseState: {
            productId: string;
            /** Format: uuid */
            groupId: string;
            /**
             * @description `active`: held through the group. `waiting`: no seat was free; licensed automatically, oldest first, as seats free up. `error`: a rule refused it (see `error`); re-evaluated when the user, the group or the catalog changes, and on reprocess.
             * @enum {string}
             */
            state: "active" | "waiting" | "error";
            /**
             * Format: date-time
             * @description When the state began.
             */
            since: string;
            error?: components["schemas"]["ChangeError"];
        };
        /** @description A dynamic group's rule: its members are exactly the customer's users for whom every condition given holds (a list matches any of its values). Re-evaluated whenever a user is created, updated or deleted, or the rule changes. */
        MembershipRule: {
            /** @description The user's department is one of these (exact match, case included). */
            departments?: string[];
            /** @description The user's usage location, or else its customer's country, is one of these. */
            usageLocations?: string[];
            /** @description The user principal name ends with one of these, case aside (`@contoso.com`). */
            userPrincipalNameSuffixes?: string[];
        };
        /** @description A partner and its live API keys. */
        Partner: {
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            createdAt: string;
            /** @description The live keys, oldest first: at most 2 operator-issued ones and 25 of its own. */
            keys: components["schemas"]["ApiKey"][];
        };
        /** @description One page of a list. */
        PartnerPage: {
            items: components["schemas"]["Partner"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /** @description A user who would fail, with the outcome of each change. */
        PreviewFailure: {
            /** Format: uuid */
            userId: string;
            userPrincipalName: string;
            displayName: string;
            changes: components["schemas"]["ChangeResult"][];
        };
        /** @description The users who would fail. */
        PreviewFailures: {
            /** @description Users who would fail. */
            total: number;
            /** @description Failing users per error code, as a job counts them in errorsByCode. */
            byCode: {
                [key: string]: number;
            };
            /** @description The first 100 users who would fail, in user-list order. */
            users: components["schemas"]["PreviewFailure"][];
        };
        /** @description Predicted changes of the users who would succeed, by outcome. */
        PreviewOutcomes: {
            /** @description Products newly assigned. */
            assigned: number;
            /** @description Held products whose disabled plans would change. */
            updated: number;
            /** @description Held products assigned again as they are. */
            unchanged: number;
            /** @description Held products revoked. */
            revoked: number;
            /** @description Revokes of products the user does not hold. */
            not_assigned: number;
            /** @description Revokes of products the user also holds through a group: the direct source goes, the license stays. */
            inherited: number;
        };
        /** @description Whether the seats a job would reserve are there. */
        PreviewSeats: {
            productId: string;
            /** @description Seats the job would reserve now: selected users who do not hold the product. */
            required: number;
            /** @description Seats free now: quantity − assigned − reserved. */
            available: number;
            /** @description Seats missing (required − available, at least 0); above 0 the job would be refused with 409. */
            shortfall: number;
        };
        /** @description An RFC 9457 problem document, sent as application/problem+json. Fields beyond the five standard ones depend on `code`. */
        Problem: {
            /** @description A URI naming the problem type. */
            type: string;
            /** @description The HTTP status in words. */
            title: string;
            /** @description The HTTP status code. */
            status: number;
            /** @description What went wrong, for a person to read. */
            detail: string;
            /** @description Stable machine-readable code (see each response). */
            code: string;
            /** @description validation_error: one entry per invalid field. */
            errors?: {
                path: string;
                message: string;
            }[];
            /** @description unknown_users: the users that do not exist. */
            userIds?: string[];
            /**
             * @description insufficient_scope: the scope the request needs.
             * @example licenses:write
             */
            requiredScope?: string;
            /** @description unknown_customers, insufficient_scope: the customers refused. */
            customerIds?: string[];
            /** @description insufficient_scope: the scopes refused. */
            scopes?: string[];
            /** @description duplicate_user_principal_name: the names repeated or taken; invisible_characters: the names refused. */
            userPrincipalNames?: string[];
            productId?: string;
            productIds?: string[];
            servicePlanIds?: string[];
            /** @description partner_concurrency_limit: the partner's share, held in full; webhook_test_rate_limited: test pings per minute. */
            limit?: number;
            /** @description insufficient_licenses: the products short of seats. */
            shortages?: {
                productId: string;
                required: number;
                available: number;
            }[];
        } & {
            [key: string]: unknown;
        };
        /** @description A product of the catalog. */
        Product: {
            id: string;
            name: string;
            servicePlans: components["schemas"]["ServicePlan"][];
            availableIn?: string[];
            unavailableIn?: string[];
            requiresAnyOf?: string[];
            excludes?: string[];
        };
        /** @description Every product of the catalog. */
        ProductList: {
            items: components["schemas"]["Product"][];
        };
        PutSubscriptionRequest: {
            /** @description Seats bought; "buy more" is a higher one. */
            quantity: number;
        };
        /** @description The partner's webhook endpoint and the events it receives. */
        PutWebhookRequest: {
            /**
             * Format: uri
             * @description Where events are POSTed: https (http outside production), no credentials, resolving only to public addresses.
             */
            url: string;
            /** @description The events to send; all of them when omitted. */
            events?: components["schemas"]["WebhookEventType"][];
        };
        /** @description A part of a product that can be turned off per user; `requires` names plans that must stay on. */
        ServicePlan: {
            id: string;
            name: string;
            requires?: string[];
        };
        /** @description The products (and disabled service plans) every member should hold; `[]` removes them all. */
        SetGroupLicensesRequest: {
            licenses: components["schemas"]["AssignChange"][];
            /** @description Needed when the change would remove licenses from more than 100 users: at least the number of users who would lose one (else 409 `confirmation_required` with the Impact). */
            confirmRemovals?: number;
        };
        /** @description A customer's seats of one product. */
        Subscription: {
            productId: string;
            productName: string;
            quantity: number;
            assigned: number;
            reserved: number;
            /** @description quantity − assigned − reserved */
            available: number;
            /** @description Group members waiting for a seat of this product; licensed automatically, oldest first, as seats free up. */
            waiting: number;
        };
        /** @description The customer's subscriptions. */
        SubscriptionList: {
            items: components["schemas"]["Subscription"][];
        };
        UpdateGroupRequest: {
            name?: string;
            /** @description `null` clears it. */
            description?: string | null;
            /** @description A dynamic group's new rule (a static group cannot take one: 422 `group_type_fixed`). */
            membershipRule?: components["schemas"]["MembershipRule"];
            /** @description Needed when the change would remove licenses from more than 100 users: at least the number of users who would lose one (else 409 `confirmation_required` with the Impact). */
            confirmRemovals?: number;
        };
        /** @description The fields to change; those left out stay as they are. The licenses are not touched. */
        UpdateUserRequest: {
            displayName?: string;
            /** @description ISO 3166-1 alpha-2; null clears it, and the customer's country applies. */
            usageLocation?: string | null;
            /** @description At most 64 characters; null clears it. */
            department?: string | null;
        };
        /** @description A customer's user and the licenses it holds. */
        User: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            customerId: string;
            userPrincipalName: string;
            displayName: string;
            usageLocation: string | null;
            department: string | null;
            licenses: components["schemas"]["License"][];
            /** @description One row per (group, product) the user should hold through a group. */
            licenseStates: components["schemas"]["LicenseState"][];
        };
        /** @description Selects the users of the customer that match every condition given; {} selects all of them */
        UserFilter: {
            /** @description Part of the display name or user principal name, regardless of case and accents */
            search?: string;
            /** @description Users who hold this product */
            hasProduct?: string;
            /** @description Users who do not hold this product */
            lacksProduct?: string;
            /** @description true: users who hold any product; false: users who hold none */
            licensed?: boolean;
            /** @description Users of this department (exact match, case included) */
            department?: string;
        };
        /** @description One page of a list. */
        UserPage: {
            items: components["schemas"]["User"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
            /** @description true when `total` (and so `totalPages`) is an estimate: a filter matching many of a large customer's users is counted from a sample of them rather than by reading every match. The pages themselves are exact. */
            totalIsEstimate: boolean;
        };
        /** @description The partner's webhook (its secret is never shown again). */
        Webhook: {
            url: string;
            events: components["schemas"]["WebhookEventType"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description One event for the webhook and where its delivery stands. */
        WebhookDelivery: {
            /**
             * Format: uuid
             * @description The event id: the `webhook-id` header of every attempt.
             */
            id: string;
            /** @description An event type (`license_job.finished`, `group.processed`, …) or `ping`. */
            type: string;
            /**
             * Format: uuid
             * @description The customer the event is about; null for partner-wide events (`ping`).
             */
            customerId: string | null;
            /** Format: uuid */
            jobId: string | null;
            /**
             * @description `pending` until an attempt succeeds (`delivered`) or the last retry fails (`failed`).
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            /** @description Attempts made so far. */
            attempts: number;
            /** @description The endpoint's status on the last attempt. */
            lastStatusCode: number | null;
            /** @description Why the last attempt failed. */
            lastError: string | null;
            /**
             * Format: date-time
             * @description When the next attempt is due, while pending.
             */
            nextAttemptAt: string | null;
            /** Format: date-time */
            deliveredAt: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        /** @description One page of a list. */
        WebhookDeliveryPage: {
            items: components["schemas"]["WebhookDelivery"][];
            /** @description The page number, from 1. */
            page: number;
            pageSize: number;
            /** @description Items in all pages. */
            total: number;
            totalPages: number;
        };
        /**
         * @description `license_job.finished`: a license job finished (any final status). `group.processed`: a change of a group has been applied to every affected member (the group and the counts). `subscription.seats_exhausted`: a group member started waiting for a seat of a subscription nobody was waiting for (`{customerId, productId, waiting}`).
         * @enum {string}
         */
        WebhookEventType: "license_job.finished" | "group.processed" | "subscription.seats_exhausted";
        /** @description The webhook as saved, with its secret when it was just created. */
        WebhookWithSecret: {
            url: string;
            events: components["schemas"]["WebhookEventType"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description The signing secret (`whsec_` and base64), shown when the webhook is created and when the secret is rotated, never again. Absent when an existing webhook is updated. */
            secret?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPartners: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of partners. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createPartner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePartnerRequest"];
            };
        };
        responses: {
            /** @description The partner was created; keep its API key. */
            201: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedPartner"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPartner: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The partner's id (a UUID). */
                partnerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The partner. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Partner"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPartnerApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The partner's id (a UUID). */
                partnerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live keys. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createPartnerApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The partner's id (a UUID). */
                partnerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key was issued; it is shown only here. */
            201: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `too_many_api_keys`: the partner already has as many live API keys as allowed (2 operator-issued, 25 of its own); revoke one first (`maxLiveKeys`)
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokePartnerApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The partner's id (a UUID). */
                partnerId: string;
                /** @description The api key's id (a UUID). */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key was revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live keys. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The key was issued; keep it, it is shown only here. */
            201: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKey"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             *     - `key_outlives_issuer`: a key cannot be issued to expire later than the key that issues it (`expiresAt` of the caller)
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `too_many_api_keys`: the partner already has as many live API keys as allowed (2 operator-issued, 25 of its own); revoke one first (`maxLiveKeys`)
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_customers`: some `customerIds` are not customers of the partner; `customerIds` lists them
             *     - `invalid_expiry`: `expiresAt` is not in the future
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCurrentApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The calling key. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The api key's id (a UUID). */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key was revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The products of the catalog. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductList"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product id, e.g. SPE_E3. */
                productId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                type?: "customer.created" | "user.created" | "user.updated" | "user.deleted" | "subscription.updated" | "license_job.accepted" | "license_job.cancelled" | "license_job.retried" | "license_job.reverted" | "license_job.scheduled" | "license_job.finished" | "group.created" | "group.updated" | "group.deleted" | "group.members_added" | "group.members_removed" | "group.licenses_updated";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCustomers: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of customers. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCustomerRequest"];
            };
        };
        responses: {
            /** @description The customer was created. */
            201: {
                headers: {
                    /** @description The URL of the created resource. */
                    Location?: string;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                /** @description Matches any part of displayName or userPrincipalName, case- and accent-insensitively ("muller" finds "Müller"). */
                search?: string;
                /** @description Only users who hold this product. */
                hasProduct?: string;
                /** @description Only users who do not hold this product. */
                lacksProduct?: string;
                /** @description true: only users who hold any product; false: only users who hold none. */
                licensed?: "true" | "false";
                /** @description Only users of this department (exact match, case included). */
                department?: string;
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserRequest"];
            };
        };
        responses: {
            /** @description The user was created. */
            201: {
                headers: {
                    /** @description The URL of the created resource. */
                    Location?: string;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `duplicate_user_principal_name`: a userPrincipalName is repeated in the request or already taken in the customer; `userPrincipalNames` lists them
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `invisible_characters`: a userPrincipalName contains invisible or format characters (zero-width, bidirectional controls…); `userPrincipalNames` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUsersBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description `return=minimal`: answer 204 without a body (and `Preference-Applied: return=minimal`). */
                prefer?: string;
            };
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUsersBatchRequest"];
            };
        };
        responses: {
            /** @description Every user was created. */
            201: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedUsers"];
                };
            };
            /** @description Every user was created (`Prefer: return=minimal`; `Preference-Applied: return=minimal`). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `duplicate_user_principal_name`: a userPrincipalName is repeated in the request or already taken in the customer; `userPrincipalNames` lists them
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `invisible_characters`: a userPrincipalName contains invisible or format characters (zero-width, bidirectional controls…); `userPrincipalNames` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The user's id (a UUID). */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The user's id (a UUID). */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The user's id (a UUID). */
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserRequest"];
            };
        };
        responses: {
            /** @description The user as changed. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUserLicenseHistory: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The user's id (a UUID). */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the history, newest first. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicenseHistoryPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                productId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutSubscriptionRequest"];
            };
        };
        responses: {
            /** @description The subscription with its seat counts. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `quantity_below_usage`: the quantity is below the seats assigned and reserved; `minimumQuantity`, `assigned` and `reserved` tell the floor
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSubscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscriptions. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionList"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listGroups: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of groups. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGroupRequest"];
            };
        };
        responses: {
            /** @description The group was created. */
            201: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `group_name_taken`: the customer already has a group of this name (case aside); `name` repeats it
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `group_has_licenses`: the group still grants licenses (`productIds`); set its licenses to [] first. With `membersHold: true`: members still hold, wait for or were refused them through it
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateGroup: {
        parameters: {
            query?: {
                /** @description `true`: answer 200 with the Impact of the change, computed over every member; change nothing. */
                dryRun?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGroupRequest"];
            };
        };
        responses: {
            /** @description The group as changed; with `dryRun=true`, the Impact of the new rule instead. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"] | components["schemas"]["GroupChangeImpact"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `group_name_taken`: the customer already has a group of this name (case aside); `name` repeats it
             *     - `confirmation_required`: the change would remove licenses from more than 100 users (`usersLosing`; `impact` says who and what): send `confirmRemovals` of at least that number
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_type_fixed`: a static group cannot take a membership rule, nor a dynamic group lose its rule
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listGroupMembers: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                /** @description Members with at least one license state of the group in this state. `waiting` lists the waiting room in the order seats are handed out: the longest waiting first (by the `since` of their waiting states). */
                state?: "active" | "waiting" | "error";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupMemberPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addGroupMembers: {
        parameters: {
            query?: {
                /** @description `true`: answer 200 with the Impact of the change, computed over every member; change nothing. */
                dryRun?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupMembersRequest"];
            };
        };
        responses: {
            /** @description How many users joined; with `dryRun=true`, the Impact instead. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupMembersAdded"] | components["schemas"]["GroupChangeImpact"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_is_dynamic`: a dynamic group's members are the users its rule selects; they cannot be added or removed
             *     - `unknown_users`: some selected users do not exist in the customer; `userIds` lists them
             *     - `too_many_users`: the filter matches more than 50,000 users; `maxUsers` is the limit
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeGroupMembers: {
        parameters: {
            query?: {
                /** @description `true`: answer 200 with the Impact of the change, computed over every member; change nothing. */
                dryRun?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupMembersRequest"];
            };
        };
        responses: {
            /** @description How many users left; with `dryRun=true`, the Impact instead. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupMembersRemoved"] | components["schemas"]["GroupChangeImpact"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `confirmation_required`: the change would remove licenses from more than 100 users (`usersLosing`; `impact` says who and what): send `confirmRemovals` of at least that number
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_is_dynamic`: a dynamic group's members are the users its rule selects; they cannot be added or removed
             *     - `unknown_users`: some selected users do not exist in the customer; `userIds` lists them
             *     - `too_many_users`: the filter matches more than 50,000 users; `maxUsers` is the limit
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setGroupLicenses: {
        parameters: {
            query?: {
                /** @description `true`: answer 200 with the Impact of the change, computed over every member; change nothing. */
                dryRun?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetGroupLicensesRequest"];
            };
        };
        responses: {
            /** @description With `dryRun=true`: what the change would do; nothing changed. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupChangeImpact"];
                };
            };
            /** @description The change was accepted; `processing` tells how far it is. */
            202: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `confirmation_required`: the change would remove licenses from more than 100 users (`usersLosing`; `impact` says who and what): send `confirmRemovals` of at least that number
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `unknown_service_plan`: a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them
             *     - `invalid_service_plans`: the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reprocessGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The group's id (a UUID). */
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The members are being evaluated again. */
            202: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reprocessUserLicenses: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The user's id (a UUID). */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user is being evaluated again. */
            202: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLicenseOverview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LicenseOverviewRequest"];
            };
        };
        responses: {
            /** @description The overview of the selection. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LicenseOverview"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_users`: some selected users do not exist in the customer; `userIds` lists them
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `too_many_users`: the filter matches more than 50,000 users; `maxUsers` is the limit
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             *     - `overloaded`: too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLicenseJobs: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                status?: string;
                clientReference?: string;
                /** @description Only the jobs that process changes of this group (`source: {type: "group", groupId}`). */
                groupId?: string;
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createLicenseJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retried request safe: per partner and kept at least 24 hours, the same key with the same body answers the same job again; with another body 422 `idempotency_key_reused`. 1 to 255 characters. */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateLicenseJobRequest"];
            };
        };
        responses: {
            /** @description The job was accepted and its seats reserved. */
            202: {
                headers: {
                    /** @description The URL of the created resource. */
                    Location?: string;
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             *     - `invalid_idempotency_key`: the Idempotency-Key header is empty or longer than 255 characters
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `insufficient_licenses`: a product lacks free seats for the selection; nothing was reserved; `shortages` lists `{productId, required, available}`
             *     - `idempotency_key_in_use`: a request with this Idempotency-Key is still being answered; retry shortly
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_users`: some selected users do not exist in the customer; `userIds` lists them
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `unknown_service_plan`: a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them
             *     - `invalid_service_plans`: the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             *     - `too_many_users`: the filter matches more than 50,000 users; `maxUsers` is the limit
             *     - `no_matching_users`: no user of the customer matches the filter
             *     - `idempotency_key_reused`: this Idempotency-Key was used before with a different request
             *     - `not_before_too_far`: `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `too_many_pending_jobs`: some of the selected users already have MAX_PENDING_JOBS_PER_USER unfinished jobs (`userIds`: up to 100 of them, `limit`); nothing was created: wait for `Retry-After` seconds, or for those jobs to finish
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewLicenseJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateLicenseJobRequest"];
            };
        };
        responses: {
            /** @description The predicted effect of the job. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPreview"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `unknown_users`: some selected users do not exist in the customer; `userIds` lists them
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `unknown_service_plan`: a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them
             *     - `invalid_service_plans`: the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             *     - `too_many_users`: the filter matches more than 50,000 users; `maxUsers` is the limit
             *     - `no_matching_users`: no user of the customer matches the filter
             *     - `not_before_too_far`: `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             *     - `overloaded`: too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLicenseJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag received before (or a list of them, or `*`): 304 without a body while the resource matches it. */
                "if-none-match"?: string;
            };
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    /** @description A tag of the current representation; send it in If-None-Match to get 304 while it is unchanged. */
                    ETag?: string;
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description The job has not changed since the ETag given in If-None-Match (no body). */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamLicenseJobEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-sent events: `progress` ..., then `finished`. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelLicenseJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job, finished as cancelled. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `job_finished`: the job has already finished
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_job`: the job processes a change of a group: it is not cancelled, retried or reverted (change the group, or reprocess it)
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryLicenseJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retried request safe: per partner and kept at least 24 hours, the same key with the same body answers the same job again; with another body 422 `idempotency_key_reused`. 1 to 255 characters. */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["JobFollowUpRequest"];
            };
        };
        responses: {
            /** @description The new job was accepted and its seats reserved. */
            202: {
                headers: {
                    /** @description The URL of the created resource. */
                    Location?: string;
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             *     - `invalid_idempotency_key`: the Idempotency-Key header is empty or longer than 255 characters
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `job_not_finished`: the job has not finished yet; wait for it (or cancel it) before retrying or reverting it
             *     - `insufficient_licenses`: a product lacks free seats for the selection; nothing was reserved; `shortages` lists `{productId, required, available}`
             *     - `idempotency_key_in_use`: a request with this Idempotency-Key is still being answered; retry shortly
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_job`: the job processes a change of a group: it is not cancelled, retried or reverted (change the group, or reprocess it)
             *     - `nothing_to_retry`: no user of the job failed or was cancelled (among those that still exist)
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `unknown_service_plan`: a disabled service plan is not a plan of its product; `productId` and `servicePlanIds` name them
             *     - `invalid_service_plans`: the disabled service plans break a plan dependency of the product itself; `productId` and `servicePlanIds` name them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             *     - `idempotency_key_reused`: this Idempotency-Key was used before with a different request
             *     - `not_before_too_far`: `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `too_many_pending_jobs`: some of the selected users already have MAX_PENDING_JOBS_PER_USER unfinished jobs (`userIds`: up to 100 of them, `limit`); nothing was created: wait for `Retry-After` seconds, or for those jobs to finish
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revertLicenseJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retried request safe: per partner and kept at least 24 hours, the same key with the same body answers the same job again; with another body 422 `idempotency_key_reused`. 1 to 255 characters. */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["JobFollowUpRequest"];
            };
        };
        responses: {
            /** @description The revert was accepted and its seats reserved. */
            202: {
                headers: {
                    /** @description The URL of the created resource. */
                    Location?: string;
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             *     - `invalid_idempotency_key`: the Idempotency-Key header is empty or longer than 255 characters
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `job_not_finished`: the job has not finished yet; wait for it (or cancel it) before retrying or reverting it
             *     - `insufficient_licenses`: a product lacks free seats for the selection; nothing was reserved; `shortages` lists `{productId, required, available}`
             *     - `idempotency_key_in_use`: a request with this Idempotency-Key is still being answered; retry shortly
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `group_job`: the job processes a change of a group: it is not cancelled, retried or reverted (change the group, or reprocess it)
             *     - `nothing_to_revert`: the job changed no license of a user that still exists (no user succeeded, or each change left the license as it was)
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             *     - `idempotency_key_reused`: this Idempotency-Key was used before with a different request
             *     - `not_before_too_far`: `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `too_many_pending_jobs`: some of the selected users already have MAX_PENDING_JOBS_PER_USER unfinished jobs (`userIds`: up to 100 of them, `limit`); nothing was created: wait for `Retry-After` seconds, or for those jobs to finish
             *     - `partner_queue_full`: the partner's unfinished jobs (not scheduled ones) are at UNFINISHED_JOBS_PER_PARTNER, or their users at UNFINISHED_USERS_PER_PARTNER (`jobs`, `users`, `maxJobs`, `maxUsers`); nothing was created: retry after `Retry-After`, once some have finished (a partner with no unfinished job is never refused)
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewLicenseJobRevert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["JobFollowUpRequest"];
            };
        };
        responses: {
            /** @description The predicted effect of the revert. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPreview"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Conflicts with the current state. Problem codes:
             *     - `job_not_finished`: the job has not finished yet; wait for it (or cancel it) before retrying or reverting it
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `nothing_to_revert`: the job changed no license of a user that still exists (no user succeeded, or each change left the license as it was)
             *     - `unknown_product`: a product id is not in the catalog; `productIds` lists them
             *     - `no_subscription`: the customer has no subscription to an assigned product; `productIds` lists them
             *     - `not_before_too_far`: `notBefore` is more than 90 days ahead; `maxDays` is the limit and `latest` the last time accepted now
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             *     - `overloaded`: too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLicenseJobResults: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                /** @description Only the users with this result status. */
                status?: "pending" | "succeeded" | "failed" | "cancelled";
                /** @description `csv`: every result as one CSV file (as `Accept: text/csv` asks); paging is ignored. */
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                /** @description The customer's id (a UUID). */
                customerId: string;
                /** @description The license job's id (a UUID). */
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results (JSON), or every result as CSV. */
            200: {
                headers: {
                    /** @description With CSV: `attachment; filename="…"`, so that a browser saves the file. */
                    "Content-Disposition"?: string;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResultPage"];
                    "text/csv": string;
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `partner_concurrency_limit`: the partner already holds its share of this resource in this API process (results downloads as CSV); `limit` is the share; retry after `Retry-After` seconds, once one of its own requests has ended
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             *     - `overloaded`: too many large selections of users, or results downloads as CSV, are being served at once (each waited a few seconds for room); retry after `Retry-After` seconds
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutWebhookRequest"];
            };
        };
        responses: {
            /** @description The webhook as saved (with its secret when just created). */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             *     - `malformed_json`: the body is not valid JSON, or its bytes are not UTF-8
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is too large. Problem codes:
             *     - `payload_too_large`: the body exceeds the route’s size limit
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The body is not JSON. Problem codes:
             *     - `unsupported_media_type`: the body is not application/json
             */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The request is well-formed but cannot be carried out. Problem codes:
             *     - `invalid_webhook_url`: the webhook URL is not https (http outside production), carries credentials, or resolves to an address that is not public
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook with its new secret. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ping was queued. */
            202: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `webhook_test_rate_limited`: the partner has sent its WEBHOOK_TESTS_PER_MINUTE test pings (or redeliveries of pings) in the last minute; `limit` is that number; nothing was queued: retry after `Retry-After` seconds
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description The page, from 1. */
                page?: number;
                /** @description Items per page, at most 500. */
                pageSize?: number;
                /** @description Only deliveries with this status. */
                status?: "pending" | "delivered" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /**
             * @description The request is malformed. Problem codes:
             *     - `validation_error`: the path, query string or body does not match the schema, or a string of the body is not well-formed Unicode (a lone UTF-16 surrogate); `errors` lists each issue
             *     - `invalid_request`: a query parameter the route does not take; `parameters` names them
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The delivery's id (a UUID). */
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery was queued again. */
            202: {
                headers: {
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /**
             * @description Not authenticated. Problem codes:
             *     - `unauthorized`: the Bearer credential is missing or wrong (or the API key was revoked)
             *     - `key_expired`: the API key has expired (its `expiresAt` has passed); use another key
             */
            401: {
                headers: {
                    /** @description The authentication scheme expected (Bearer). */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description The API key may not do this. Problem codes:
             *     - `insufficient_scope`: the API key lacks the scope the request needs (`requiredScope`), or is limited to some customers and the request acts for all of them
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Not found. Problem codes:
             *     - `not_found`: the resource does not exist or belongs to another partner (a malformed id answers the same)
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description Too many requests. Problem codes:
             *     - `rate_limited`: more requests than RATE_LIMIT_PER_MINUTE for this API key; wait for `Retry-After` seconds
             *     - `authentication_throttled`: too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE): every credential from it is refused for `Retry-After` seconds; or a revoked key sent too often from it: that key is
             *     - `webhook_test_rate_limited`: the partner has sent its WEBHOOK_TESTS_PER_MINUTE test pings (or redeliveries of pings) in the last minute; `limit` is that number; nothing was queued: retry after `Retry-After` seconds
             */
            429: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    /** @description Requests allowed per minute for this API key (when rate limiting is on). */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left in the current minute (when rate limiting is on). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the current window ends (when rate limiting is on). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /**
             * @description A backing service is unavailable. Problem codes:
             *     - `service_unavailable`: Postgres or Redis is unreachable for now; retry after `Retry-After` seconds
             *     - `shutting_down`: the API process is shutting down (a restart or a deployment); the request was not run: retry after `Retry-After` seconds (another process answers)
             */
            503: {
                headers: {
                    /** @description Seconds to wait before polling again (or before retrying). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
