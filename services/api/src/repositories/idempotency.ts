import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { tables, type DbOrTx } from '@licensing/db';
import { conflict, unprocessable } from '@licensing/http';

/** A claim whose request never finished (its process died) is taken over after this long. */
const ABANDONED_AFTER_SECONDS = 120;

export function requestFingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/**
 * A job request as the service understands it, so that requests meaning the same job fingerprint
 * alike: UUIDs lower-cased, user ids deduplicated and sorted (duplicates are ignored and order
 * carries no meaning), products and disabled plans sorted, absent lists as empty ones, a filter's
 * conditions in a fixed order. Key order is fixed by construction. Anything that changes the job
 * (another user, filter, product, plan or client reference) still changes the fingerprint.
 */
export function canonicalJobRequest(body: {
  userIds?: readonly string[] | undefined;
  userFilter?: { search?: string; hasProduct?: string; lacksProduct?: string; licensed?: boolean } | undefined;
  assign?: readonly { productId: string; disabledServicePlans?: readonly string[] }[] | undefined;
  revoke?: readonly string[] | undefined;
  clientReference?: string | undefined;
  notBefore?: string | undefined;
}) {
  const filter = body.userFilter;
  return {
    userIds: body.userIds ? sortedUnique(body.userIds.map((id) => id.toLowerCase())) : null,
    userFilter: filter
      ? {
          search: filter.search ?? null,
          hasProduct: filter.hasProduct ?? null,
          lacksProduct: filter.lacksProduct ?? null,
          licensed: filter.licensed ?? null,
        }
      : null,
    assign: [...(body.assign ?? [])]
      .map((a) => ({ productId: a.productId, disabledServicePlans: sortedUnique(a.disabledServicePlans ?? []) }))
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)),
    revoke: sortedUnique(body.revoke ?? []),
    clientReference: body.clientReference ?? null,
    // Only when given, so that the fingerprints of requests without it stay as they were; one instant
    // written with another offset is the same request.
    ...(body.notBefore !== undefined ? { notBefore: new Date(body.notBefore).toISOString() } : {}),
  };
}

export type IdempotencyClaim = { state: 'claimed' } | { state: 'completed'; jobId: string };

/** An Idempotency-Key as a partner sent it with a request about one of its customers. */
export interface IdempotencyKeyRef {
  partnerId: string;
  customerId: string;
  key: string;
}

const keyIs = (ref: IdempotencyKeyRef) =>
  and(
    eq(tables.idempotencyKeys.customerId, ref.customerId),
    eq(tables.idempotencyKeys.partnerId, ref.partnerId),
    eq(tables.idempotencyKeys.key, ref.key),
  );

/**
 * Claims an Idempotency-Key for a request, in its own short transaction so that a concurrent
 * request with the same key sees the claim at once (409 idempotency_key_in_use) instead of
 * blocking behind the first request's transaction.
 *
 * A key is the partner's (the contract): the same key sent for another customer of the partner is
 * refused as a different request (422 idempotency_key_reused; the fingerprint names the customer).
 * The claim is keyed by customer; the partner-wide unique index on (partner_id, key) is what refuses
 * the insert then, and the claim is looked up by customer only: when the insert is refused and this
 * customer holds no claim, another customer does (or a claim was released in between, so the insert
 * is tried once more).
 */
export async function claimIdempotencyKey(
  db: DbOrTx,
  ref: IdempotencyKeyRef,
  fingerprint: string,
  attempt = 0,
): Promise<IdempotencyClaim> {
  const inserted = await db
    .insert(tables.idempotencyKeys)
    .values({ ...ref, requestHash: fingerprint })
    .onConflictDoNothing()
    .returning();
  if (inserted.length) return { state: 'claimed' };
  const [row] = await db.select().from(tables.idempotencyKeys).where(keyIs(ref));
  if (!row && attempt === 0) return claimIdempotencyKey(db, ref, fingerprint, 1); // released meanwhile
  if (!row || row.requestHash !== fingerprint) {
    throw unprocessable(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
  if (row.jobId) return { state: 'completed', jobId: row.jobId };
  const takenOver = await db
    .update(tables.idempotencyKeys)
    .set({ createdAt: sql`now()` })
    .where(
      and(
        keyIs(ref),
        isNull(tables.idempotencyKeys.jobId),
        sql`${tables.idempotencyKeys.createdAt} < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`,
      ),
    )
    .returning();
  if (takenOver.length) return { state: 'claimed' };
  throw conflict(
    'idempotency_key_in_use',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
  );
}

/** Records the job created under the key; runs in the job's transaction so both commit together. */
export async function completeIdempotencyKey(tx: DbOrTx, ref: IdempotencyKeyRef, jobId: string): Promise<void> {
  await tx.update(tables.idempotencyKeys).set({ jobId }).where(keyIs(ref));
}

/** Frees a key whose request ended without creating a job, so the client can retry with it. */
export async function releaseIdempotencyKey(db: DbOrTx, ref: IdempotencyKeyRef): Promise<void> {
  await db.delete(tables.idempotencyKeys).where(and(keyIs(ref), isNull(tables.idempotencyKeys.jobId)));
}
