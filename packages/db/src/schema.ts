// Drizzle mirror of migrations/*.sql (the SQL files are the source of truth for the database);
// test/schema-matches-migrations.test.ts holds the two together.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  integer,
  json,
  jsonb,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  AssignChange,
  ChangeError,
  ChangeResult,
  GroupChange,
  Product,
  RequestedChanges,
} from '@licensing/domain';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const catalogSchema = pgSchema('catalog');

export const products = catalogSchema.table('products', {
  id: text('id').primaryKey(),
  document: jsonb('document').$type<Product>().notNull(),
  revision: bigint('revision', { mode: 'number' }).notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const seedMarker = catalogSchema.table('seed_marker', {
  name: text('name').primaryKey(),
  seededAt: ts('seeded_at').notNull().defaultNow(),
});

export const partners = pgTable('partners', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A partner's API keys (migrations 0008, 0014): operator-issued ones (two live at most) and its own (25). */
export const partnerApiKeys = pgTable('partner_api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  partnerId: uuid('partner_id').notNull(),
  prefix: text('prefix').notNull(),
  hash: bytea('hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
  // Migration 0014: what the key grants.
  /** The defaults serve the previous release's inserts during a rolling upgrade (migration 0016). */
  name: text('name').notNull().default('Operator-issued key'),
  issuedBy: text('issued_by').$type<'operator' | 'partner'>().notNull().default('operator'),
  /** The scopes granted; `*` is every scope (operator-issued keys). */
  scopes: text('scopes').array().notNull().default(['*']),
  /** The customers the key may reach; null: every customer of the partner. */
  customerIds: uuid('customer_ids').array(),
  expiresAt: ts('expires_at'),
  /** The key that issued this one under /v1/keys; null for operator-issued keys. */
  issuedByKeyId: uuid('issued_by_key_id'),
});

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  partnerId: uuid('partner_id').notNull(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * A customer's number of users is the sum of its deltas: triggers on users add one per statement
 * and customer (+n inserted, -n deleted) and fold them now and then (migration 0022). Read it with
 * `customerUserCount`; nothing writes it directly.
 */
export const customerUserDeltas = pgTable(
  'customer_user_deltas',
  {
    customerId: uuid('customer_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    users: integer('users').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.seq] })],
);

/**
 * How many of a customer's users hold a product is the sum of its deltas: triggers on user_licenses
 * add one per statement, customer and product (+n inserted, -n deleted) and fold them now and then
 * (migration 0023). Read it with `licenseHolderCount`; nothing writes it directly.
 */
export const licenseHolderDeltas = pgTable(
  'license_holder_deltas',
  {
    customerId: uuid('customer_id').notNull(),
    productId: text('product_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    holders: integer('holders').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId, t.seq] })],
);

// Customer-level tables are keyed by customer first (migration 0010): see docs/scaling.md.

export const users = pgTable(
  'users',
  {
    id: uuid('id').notNull().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    userPrincipalName: text('user_principal_name').notNull(),
    displayName: text('display_name').notNull(),
    usageLocation: text('usage_location'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Free text (at most 64 characters) or null; dynamic group rules select by it (migration 0011). */
    department: text('department'),
    /**
     * Created before look-alike names were refused, and looks like an older user of the customer: kept,
     * keyed by its id as well (migration 0012).
     */
    lookAlikeKept: boolean('look_alike_kept').notNull().default(false),
    /**
     * The name's uniqueness key (Unicode form, case and cross-script look-alikes aside), computed by
     * Postgres; see migrations 0007 and 0012.
     */
    upnKey: text('upn_key').generatedAlwaysAs(
      sql`CASE WHEN look_alike_kept THEN user_principal_name_key(user_principal_name) || ' ' || id::text ELSE user_principal_name_key(user_principal_name) END`,
    ),
    /** Both names as searches compare them (Unicode form, case and accents aside); see migration 0013. */
    searchText: text('search_text').generatedAlwaysAs(
      sql`user_search_key(display_name) || E'\\x01' || user_search_key(user_principal_name)`,
    ),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.id] })],
);

export const userLicenses = pgTable(
  'user_licenses',
  {
    userId: uuid('user_id').notNull(),
    productId: text('product_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    disabledServicePlans: text('disabled_service_plans').array().notNull().default([]),
    assignedAt: ts('assigned_at').notNull().defaultNow(),
    /** Whether the license has the direct source (license jobs); see migration 0017. */
    direct: boolean('direct').notNull().default(true),
    /** The direct source's disabled plans; null: those of the license (no group source, or none written). */
    directDisabledServicePlans: text('direct_disabled_service_plans').array(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.userId, t.productId] })],
);

export const subscriptions = pgTable(
  'subscriptions',
  {
    customerId: uuid('customer_id').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);

export const licenseJobs = pgTable(
  'license_jobs',
  {
    id: uuid('id').notNull().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    partnerId: uuid('partner_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    status: text('status').notNull().default('queued'),
    assign: jsonb('assign').$type<AssignChange[]>().notNull(),
    revoke: jsonb('revoke').$type<string[]>().notNull(),
    userCount: integer('user_count').notNull(),
    idempotencyKey: text('idempotency_key'),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    summary: jsonb('summary').$type<JobSummary>(),
    /** Set once the API has added every task of the job to the queue (see the reconciler). */
    tasksEnqueuedAt: ts('tasks_enqueued_at'),
    /** The client's own reference for the job (1.1), echoed and filterable. */
    clientReference: text('client_reference'),
    /** The finished job whose failed and cancelled users this job retries (1.1). */
    retryOf: uuid('retry_of'),
    /** The finished job whose succeeded users this job puts back as they were before it (1.2). */
    revertOf: uuid('revert_of'),
    /** The job is `scheduled` until then, and none of its users is applied before (1.2). */
    notBefore: ts('not_before'),
    /** The group whose change this job processes (1.2); null for a license job. */
    sourceGroupId: uuid('source_group_id'),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.id] })],
);

export interface JobSummary {
  /** `cancelled` is absent from summaries frozen before it existed (read as 0). */
  progress: { total: number; pending: number; succeeded: number; failed: number; cancelled?: number };
  errorsByCode: Record<string, number>;
}

export const licenseJobItems = pgTable(
  'license_job_items',
  {
    customerId: uuid('customer_id').notNull(),
    jobId: uuid('job_id').notNull(),
    userId: uuid('user_id').notNull(),
    jobSeq: bigint('job_seq', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
    userPrincipalName: text('user_principal_name').notNull(),
    displayName: text('display_name').notNull(),
    status: text('status').notNull().default('pending'),
    changes: jsonb('changes').$type<ChangeResult[]>(),
    /**
     * License changes the user's groups made once the item's changes were applied (group grants they
     * settled), each with its groupId: part of the license history, not of the job's result.
     */
    groupChanges: jsonb('group_changes').$type<GroupChange[]>(),
    errorCodes: text('error_codes').array(),
    finishedAt: ts('finished_at'),
    /** Products a seat is reserved for while the item is pending (one seat each). */
    reservedProducts: text('reserved_products').array().notNull().default([]),
    /** This user's own changes when they differ from the job's (a revert's users); null: the job's. */
    request: jsonb('request').$type<RequestedChanges>(),
  },
  // Keyed by customer, user and job (migrations 0003, 0010); a job's items are found by
  // (customer_id, job_id, position).
  (t) => [primaryKey({ columns: [t.customerId, t.userId, t.jobSeq] })],
);

/**
 * Insert-only progress deltas: one row per job per worker batch (or cancel) that finished users of
 * it, written in the same transaction as those items. A job's progress is their sum.
 */
export const licenseJobProgress = pgTable('license_job_progress', {
  customerId: uuid('customer_id').notNull(),
  jobId: uuid('job_id').notNull(),
  succeeded: integer('succeeded').notNull(),
  failed: integer('failed').notNull(),
  cancelled: integer('cancelled').notNull().default(0),
  errorsByCode: jsonb('errors_by_code').$type<Record<string, number>>().notNull().default({}),
});

// `seat_reservations` is a view (see migration 0002): the products reserved for each pending item.

/**
 * reserved(customer, product): the seats held for pending items, kept in step with them by the
 * transactions that reserve (job acceptance) and end reservations (worker batch, cancel, user
 * deletion), one aggregated delta per product each (see migration 0006).
 */
export const reservedSeats = pgTable(
  'reserved_seats',
  {
    customerId: uuid('customer_id').notNull(),
    productId: text('product_id').notNull(),
    reserved: integer('reserved').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.productId] })],
);

/**
 * A claimed Idempotency-Key, for the customer in the request's path. Also unique per partner
 * (partner_id, key), as the contract wants, on the one primary (see docs/scaling.md).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    customerId: uuid('customer_id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    jobId: uuid('job_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.partnerId, t.key] })],
);

/** A partner's webhook endpoint (1.1); `secret` is sealed or prefixed `plain:` (see packages/webhooks). */
export const webhooks = pgTable('webhooks', {
  partnerId: uuid('partner_id').primaryKey(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  secret: text('secret').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** The outbox: one row per event to deliver, with its delivery state (see migration 0006). */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  partnerId: uuid('partner_id').notNull(),
  type: text('type').notNull(),
  jobId: uuid('job_id'),
  /** The customer the event is about (migration 0014); null for partner-wide events such as `ping`. */
  customerId: uuid('customer_id'),
  payload: json('payload').$type<unknown>().notNull(),
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  roundAttempts: integer('round_attempts').notNull().default(0),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  lastAttemptAt: ts('last_attempt_at'),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  deliveredAt: ts('delivered_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    deliveryId: uuid('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    attemptedAt: ts('attempted_at').notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** The audit trail (migration 0009): one row per change a partner made, newest = highest seq. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').notNull().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    partnerId: uuid('partner_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    type: text('type').notNull(),
    keyId: uuid('key_id'),
    requestId: text('request_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.id] })],
);

/** What a group grants every member: a product and the plans it disables. */
export interface GroupLicense {
  productId: string;
  disabledServicePlans: string[];
}

/** A dynamic group's rule: every present condition must hold (see migration 0017, packages/domain). */
export interface MembershipRuleDocument {
  departments?: string[];
  usageLocations?: string[];
  userPrincipalNameSuffixes?: string[];
}

/** License groups (migration 0017): static (no rule) or dynamic. */
export const groups = pgTable(
  'groups',
  {
    customerId: uuid('customer_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    membershipRule: jsonb('membership_rule').$type<MembershipRuleDocument>(),
    licenses: jsonb('licenses').$type<GroupLicense[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.id] })],
);

export const groupMembers = pgTable(
  'group_members',
  {
    customerId: uuid('customer_id').notNull(),
    groupId: uuid('group_id').notNull(),
    userId: uuid('user_id').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.groupId, t.userId] })],
);

/** One row per (user, group, product) a group grants the user or still holds: see GroupLicenseRow. */
export const groupLicenseStates = pgTable(
  'group_license_states',
  {
    customerId: uuid('customer_id').notNull(),
    userId: uuid('user_id').notNull(),
    groupId: uuid('group_id').notNull(),
    productId: text('product_id').notNull(),
    state: text('state').$type<'active' | 'waiting' | 'error'>().notNull(),
    applied: boolean('applied').notNull(),
    disabledServicePlans: text('disabled_service_plans').array().notNull().default([]),
    since: ts('since').notNull().defaultNow(),
    waitingFor: text('waiting_for'),
    error: jsonb('error').$type<ChangeError>(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.userId, t.groupId, t.productId] })],
);
