// Partners and their API keys. Operator routes read any partner; partner routes only ever reach
// their own partner through the key they authenticated with.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { preparedQuery, tables, type Db, type DbOrTx } from '@licensing/db';
import { conflict, sha256 } from '@licensing/http';
import type { PageQuery } from '../schemas/common.ts';

/** Keys carry 256 random bits behind a recognisable prefix, so leaked keys are easy to spot and scan for. */
export const API_KEY_PREFIX = 'lsk_';
/** Live keys a partner may hold at once: one in use and its replacement during a rotation. */
export const MAX_LIVE_KEYS = 2;
/** lastUsedAt is written at most this often per key, so authenticating is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The first characters of a key, stored and shown to recognise it; also what failures are throttled by. */
export const apiKeyPrefix = (apiKey: string) => apiKey.slice(0, API_KEY_PREFIX.length + 6);

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export interface ApiKeyInfo {
  id: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

async function insertKey(tx: DbOrTx, partnerId: string) {
  const apiKey = generateApiKey();
  const [row] = await tx
    .insert(tables.partnerApiKeys)
    .values({ partnerId, prefix: apiKeyPrefix(apiKey), hash: sha256(apiKey) })
    .returning({ id: tables.partnerApiKeys.id, createdAt: tables.partnerApiKeys.createdAt });
  return { id: row!.id, apiKey, createdAt: row!.createdAt };
}

export async function createPartner(db: Db, name: string): Promise<{ id: string; name: string; apiKey: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tables.partners)
      .values({ name })
      .returning({ id: tables.partners.id, name: tables.partners.name });
    const { apiKey } = await insertKey(tx, row!.id);
    return { id: row!.id, name: row!.name, apiKey };
  });
}

/**
 * Issues another key to a partner, for rotation. The partner's row lock serialises concurrent
 * issues, so no more than MAX_LIVE_KEYS are ever live. Undefined when the partner does not exist.
 */
export async function issueApiKey(
  tx: DbOrTx,
  partnerId: string,
): Promise<{ id: string; apiKey: string; createdAt: Date } | undefined> {
  const locked = await tx.execute(sql`SELECT 1 FROM partners WHERE id = ${partnerId} FOR UPDATE`);
  if (locked.length === 0) return undefined;
  const [live] = await tx
    .select({ n: count() })
    .from(tables.partnerApiKeys)
    .where(and(eq(tables.partnerApiKeys.partnerId, partnerId), isNull(tables.partnerApiKeys.revokedAt)));
  if ((live?.n ?? 0) >= MAX_LIVE_KEYS)
    throw conflict(
      'too_many_api_keys',
      `The partner already has ${MAX_LIVE_KEYS} live API keys; revoke one before issuing another.`,
      { maxLiveKeys: MAX_LIVE_KEYS },
    );
  return insertKey(tx, partnerId);
}

/** Revokes a live key; it stops working with the next request on every process (nothing caches keys). */
export async function revokeApiKey(db: DbOrTx, partnerId: string, keyId: string): Promise<boolean> {
  const rows = await db
    .update(tables.partnerApiKeys)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(tables.partnerApiKeys.partnerId, partnerId),
        eq(tables.partnerApiKeys.id, keyId),
        isNull(tables.partnerApiKeys.revokedAt),
      ),
    )
    .returning({ id: tables.partnerApiKeys.id });
  return rows.length > 0;
}

/** The live keys of partners, oldest first, by partner. */
export async function liveApiKeys(db: DbOrTx, partnerIds: string[]): Promise<Map<string, ApiKeyInfo[]>> {
  const result = new Map<string, ApiKeyInfo[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const rows = await db
    .select({
      partnerId: tables.partnerApiKeys.partnerId,
      id: tables.partnerApiKeys.id,
      prefix: tables.partnerApiKeys.prefix,
      createdAt: tables.partnerApiKeys.createdAt,
      lastUsedAt: tables.partnerApiKeys.lastUsedAt,
    })
    .from(tables.partnerApiKeys)
    .where(and(inArray(tables.partnerApiKeys.partnerId, partnerIds), isNull(tables.partnerApiKeys.revokedAt)))
    .orderBy(asc(tables.partnerApiKeys.createdAt), asc(tables.partnerApiKeys.id));
  for (const { partnerId, ...key } of rows) result.get(partnerId)?.push(key);
  return result;
}

export interface PartnerRow {
  id: string;
  name: string;
  createdAt: Date;
}

const partnerColumns = { id: tables.partners.id, name: tables.partners.name, createdAt: tables.partners.createdAt };

export async function getPartner(db: DbOrTx, partnerId: string): Promise<PartnerRow | undefined> {
  const [row] = await db.select(partnerColumns).from(tables.partners).where(eq(tables.partners.id, partnerId));
  return row;
}

export async function listPartners(db: DbOrTx, page: PageQuery): Promise<{ items: PartnerRow[]; total: number }> {
  const [items, [totals]] = await Promise.all([
    db
      .select(partnerColumns)
      .from(tables.partners)
      .orderBy(asc(tables.partners.createdAt), asc(tables.partners.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ total: count() }).from(tables.partners),
  ]);
  return { items, total: totals?.total ?? 0 };
}

/**
 * The key with this hash, live or revoked. Only the key's hash is stored or looked up, on every
 * request: there is no cache, so a revoked key fails at once on every API process.
 */
const apiKeyByHash = preparedQuery((db) =>
  db
    .select({
      id: tables.partners.id,
      name: tables.partners.name,
      keyId: tables.partnerApiKeys.id,
      hash: tables.partnerApiKeys.hash,
      lastUsedAt: tables.partnerApiKeys.lastUsedAt,
      revokedAt: tables.partnerApiKeys.revokedAt,
    })
    .from(tables.partnerApiKeys)
    .innerJoin(tables.partners, eq(tables.partners.id, tables.partnerApiKeys.partnerId))
    .where(eq(tables.partnerApiKeys.hash, sql.placeholder('hash')))
    .prepare('api_key_by_hash'),
);

/** Keys whose lastUsedAt this process is writing or wrote recently (key id → when). */
const lastUsedWrites = new Map<string, number>();

/** A presented key that exists: live (with its partner), or revoked. */
export type ApiKeyMatch =
  | { live: true; partner: { id: string; name: string; keyId: string } }
  | { live: false; keyId: string };

/** The key presented, if it exists (live or revoked); undefined for anything else. */
export async function findApiKey(
  db: Db,
  apiKey: string,
  log?: { warn: (obj: object, msg: string) => void },
): Promise<ApiKeyMatch | undefined> {
  if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 200) return undefined;
  const hash = sha256(apiKey);
  const [row] = await apiKeyByHash(db).execute({ hash });
  if (!row || row.hash.length !== hash.length || !timingSafeEqual(row.hash, hash)) return undefined;
  if (row.revokedAt) return { live: false, keyId: row.keyId };
  noteKeyUse(db, row.keyId, row.lastUsedAt, log);
  return { live: true, partner: { id: row.id, name: row.name, keyId: row.keyId } };
}

/** Which of these keys are still live (not revoked). */
export async function liveKeyIds(db: DbOrTx, keyIds: readonly string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db
    .select({ id: tables.partnerApiKeys.id })
    .from(tables.partnerApiKeys)
    .where(and(inArray(tables.partnerApiKeys.id, [...keyIds]), isNull(tables.partnerApiKeys.revokedAt)));
  return new Set(rows.map((r) => r.id));
}

/**
 * Records a key's use at most once a minute: only when the stored lastUsedAt (read with the key) is
 * older than that, and not while this process is already writing it. Runs beside the request; a
 * failure to record is logged, never answered.
 */
function noteKeyUse(
  db: Db,
  keyId: string,
  lastUsedAt: Date | null,
  log?: { warn: (obj: object, msg: string) => void },
): void {
  const now = Date.now();
  if (lastUsedAt && now - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const pending = lastUsedWrites.get(keyId);
  if (pending !== undefined && now - pending < LAST_USED_RESOLUTION_MS) return;
  if (lastUsedWrites.size > 10_000) lastUsedWrites.clear();
  lastUsedWrites.set(keyId, now);
  db.update(tables.partnerApiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(tables.partnerApiKeys.id, keyId),
        sql`(${tables.partnerApiKeys.lastUsedAt} IS NULL OR ${tables.partnerApiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    )
    .then(
      () => undefined,
      (err: unknown) => log?.warn({ err }, 'could not record the use of an API key'),
    );
}
