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
  };
}

export type IdempotencyClaim = { state: 'claimed' } | { state: 'completed'; jobId: string };

/**
 * Claims an Idempotency-Key for a request, in its own short transaction so that a concurrent
 * request with the same key sees the claim at once (409 idempotency_key_in_use) instead of
 * blocking behind the first request's transaction.
 */
export async function claimIdempotencyKey(
  db: DbOrTx,
  partnerId: string,
  key: string,
  fingerprint: string,
): Promise<IdempotencyClaim> {
  const inserted = await db
    .insert(tables.idempotencyKeys)
    .values({ partnerId, key, requestHash: fingerprint })
    .onConflictDoNothing()
    .returning();
  if (inserted.length) return { state: 'claimed' };
  const [row] = await db
    .select()
    .from(tables.idempotencyKeys)
    .where(and(eq(tables.idempotencyKeys.partnerId, partnerId), eq(tables.idempotencyKeys.key, key)));
  if (!row) return claimIdempotencyKey(db, partnerId, key, fingerprint); // released meanwhile
  if (row.requestHash !== fingerprint) {
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
        eq(tables.idempotencyKeys.partnerId, partnerId),
        eq(tables.idempotencyKeys.key, key),
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
export async function completeIdempotencyKey(tx: DbOrTx, partnerId: string, key: string, jobId: string): Promise<void> {
  await tx
    .update(tables.idempotencyKeys)
    .set({ jobId })
    .where(and(eq(tables.idempotencyKeys.partnerId, partnerId), eq(tables.idempotencyKeys.key, key)));
}

/** Frees a key whose request ended without creating a job, so the client can retry with it. */
export async function releaseIdempotencyKey(db: DbOrTx, partnerId: string, key: string): Promise<void> {
  await db
    .delete(tables.idempotencyKeys)
    .where(
      and(
        eq(tables.idempotencyKeys.partnerId, partnerId),
        eq(tables.idempotencyKeys.key, key),
        isNull(tables.idempotencyKeys.jobId),
      ),
    );
}
