// Partners and their API keys. Operator routes read any partner; partner routes only ever reach
// their own partner through the key they authenticated with.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { ALL_SCOPES } from '@licensing/domain';
import { preparedQuery, tables, type Db, type DbOrTx } from '@licensing/db';
import { conflict, sha256 } from '@licensing/http';
import type { PageQuery } from '../schemas/common.ts';

/** Keys carry 256 random bits behind a recognisable prefix, so leaked keys are easy to spot and scan for. */
export const API_KEY_PREFIX = 'lsk_';
/** Live operator-issued keys a partner may hold at once: one in use and its replacement during a rotation. */
export const MAX_LIVE_KEYS = 2;
/** Live keys a partner may issue itself under /v1/keys (expired and revoked ones do not count). */
export const MAX_LIVE_PARTNER_KEYS = 25;
/** The name of a key an operator issues without naming it. */
export const OPERATOR_KEY_NAME = 'Operator-issued key';
/** lastUsedAt is written at most this often per key, so authenticating is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The first characters of a key, stored and shown to recognise it; also what failures are throttled by. */
export const apiKeyPrefix = (apiKey: string) => apiKey.slice(0, API_KEY_PREFIX.length + 6);

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  issuedBy: 'operator' | 'partner';
  /** The scopes granted; `['*']` for every scope. */
  scopes: string[];
  /** The customers the key may reach; null: every customer of the partner. */
  customerIds: string[] | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const k = tables.partnerApiKeys;
const keyInfoColumns = {
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  issuedBy: k.issuedBy,
  scopes: k.scopes,
  customerIds: k.customerIds,
  expiresAt: k.expiresAt,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
};

/** A key that works: not revoked, not expired (by the database's clock, the same for every process). */
const isLive = () => and(isNull(k.revokedAt), or(isNull(k.expiresAt), sql`${k.expiresAt} > now()`));

interface NewKey {
  name: string;
  issuedBy: 'operator' | 'partner';
  scopes: string[];
  customerIds?: string[] | null;
  expiresAt?: Date | null;
  issuedByKeyId?: string | null;
}

async function insertKey(tx: DbOrTx, partnerId: string, key: NewKey): Promise<ApiKeyInfo & { apiKey: string }> {
  const apiKey = generateApiKey();
  const [row] = await tx
    .insert(k)
    .values({
      partnerId,
      prefix: apiKeyPrefix(apiKey),
      hash: sha256(apiKey),
      name: key.name,
      issuedBy: key.issuedBy,
      scopes: key.scopes,
      customerIds: key.customerIds ?? null,
      expiresAt: key.expiresAt ?? null,
      issuedByKeyId: key.issuedByKeyId ?? null,
    })
    .returning(keyInfoColumns);
  return { ...row!, apiKey };
}

export async function createPartner(db: Db, name: string): Promise<{ id: string; name: string; apiKey: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tables.partners)
      .values({ name })
      .returning({ id: tables.partners.id, name: tables.partners.name });
    const { apiKey } = await insertKey(tx, row!.id, {
      name: OPERATOR_KEY_NAME,
      issuedBy: 'operator',
      scopes: [ALL_SCOPES],
    });
    return { id: row!.id, name: row!.name, apiKey };
  });
}

/**
 * Issues another operator key to a partner (every scope, every customer), for rotation. The
 * partner's row lock serialises concurrent issues, so no more than MAX_LIVE_KEYS operator-issued keys
 * are ever live. Undefined when the partner does not exist.
 */
export async function issueApiKey(
  tx: DbOrTx,
  partnerId: string,
  name = OPERATOR_KEY_NAME,
): Promise<(ApiKeyInfo & { apiKey: string }) | undefined> {
  const locked = await tx.execute(sql`SELECT 1 FROM partners WHERE id = ${partnerId} FOR UPDATE`);
  if (locked.length === 0) return undefined;
  const [live] = await tx
    .select({ n: count() })
    .from(k)
    .where(and(eq(k.partnerId, partnerId), eq(k.issuedBy, 'operator'), isNull(k.revokedAt)));
  if ((live?.n ?? 0) >= MAX_LIVE_KEYS)
    throw conflict(
      'too_many_api_keys',
      `The partner already has ${MAX_LIVE_KEYS} live operator-issued API keys; revoke one before issuing another.`,
      { maxLiveKeys: MAX_LIVE_KEYS },
      { issuedBy: 'operator' },
    );
  return insertKey(tx, partnerId, { name, issuedBy: 'operator', scopes: [ALL_SCOPES] });
}

/**
 * A key the partner issues itself (POST /v1/keys), checked by the caller against what the issuing
 * key holds. The partner's row lock serialises concurrent issues, so no more than
 * MAX_LIVE_PARTNER_KEYS partner-issued keys are ever live.
 */
export async function issuePartnerApiKey(
  tx: DbOrTx,
  partnerId: string,
  key: Omit<NewKey, 'issuedBy'>,
): Promise<ApiKeyInfo & { apiKey: string }> {
  await tx.execute(sql`SELECT 1 FROM partners WHERE id = ${partnerId} FOR UPDATE`);
  const [live] = await tx
    .select({ n: count() })
    .from(k)
    .where(and(eq(k.partnerId, partnerId), eq(k.issuedBy, 'partner'), isLive()));
  if ((live?.n ?? 0) >= MAX_LIVE_PARTNER_KEYS)
    throw conflict(
      'too_many_api_keys',
      `The partner already has ${MAX_LIVE_PARTNER_KEYS} live API keys of its own; revoke one before issuing another.`,
      { maxLiveKeys: MAX_LIVE_PARTNER_KEYS },
      { issuedBy: 'partner' },
    );
  return insertKey(tx, partnerId, { ...key, issuedBy: 'partner' });
}

/** One key of the partner that is not revoked (it may have expired). */
export async function getApiKey(db: DbOrTx, partnerId: string, keyId: string): Promise<ApiKeyInfo | undefined> {
  const [row] = await db
    .select(keyInfoColumns)
    .from(k)
    .where(and(eq(k.partnerId, partnerId), eq(k.id, keyId), isNull(k.revokedAt)));
  return row;
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

/** The live keys of partners (neither revoked nor expired), oldest first, by partner. */
export async function liveApiKeys(db: DbOrTx, partnerIds: string[]): Promise<Map<string, ApiKeyInfo[]>> {
  const result = new Map<string, ApiKeyInfo[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const rows = await db
    .select({ partnerId: k.partnerId, ...keyInfoColumns })
    .from(k)
    .where(and(inArray(k.partnerId, partnerIds), isLive()))
    .orderBy(asc(k.createdAt), asc(k.id));
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
 * The key with this hash, live, revoked or expired. Only the key's hash is stored or looked up, on
 * every request: there is no cache, so a revoked or expired key fails at once on every API process.
 * Expiry is judged by the database's clock, the same for every process.
 */
const apiKeyByHash = preparedQuery((db) =>
  db
    .select({
      id: tables.partners.id,
      name: tables.partners.name,
      keyId: k.id,
      keyName: k.name,
      hash: k.hash,
      scopes: k.scopes,
      customerIds: k.customerIds,
      expiresAt: k.expiresAt,
      expired: sql<boolean>`(${k.expiresAt} IS NOT NULL AND ${k.expiresAt} <= now())`,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
    })
    .from(k)
    .innerJoin(tables.partners, eq(tables.partners.id, k.partnerId))
    .where(eq(k.hash, sql.placeholder('hash')))
    .prepare('api_key_by_hash'),
);

/** Keys whose lastUsedAt this process is writing or wrote recently (key id → when). */
const lastUsedWrites = new Map<string, number>();

/** The caller of a partner route: its partner and the key it authenticated with. */
export interface PartnerCaller {
  id: string;
  name: string;
  keyId: string;
  keyName: string;
  /** The scopes the key grants; `['*']` for every scope. */
  scopes: string[];
  /** The customers the key may reach; null: every customer of the partner. */
  customerIds: string[] | null;
  expiresAt: Date | null;
}

/** A presented key that exists: live (with its partner), revoked, or expired. */
export type ApiKeyMatch = { state: 'live'; partner: PartnerCaller } | { state: 'revoked' | 'expired'; keyId: string };

/** The key presented, if it exists (live, revoked or expired); undefined for anything else. */
export async function findApiKey(
  db: Db,
  apiKey: string,
  log?: { warn: (obj: object, msg: string) => void },
): Promise<ApiKeyMatch | undefined> {
  if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 200) return undefined;
  const hash = sha256(apiKey);
  const [row] = await apiKeyByHash(db).execute({ hash });
  if (!row || row.hash.length !== hash.length || !timingSafeEqual(row.hash, hash)) return undefined;
  if (row.revokedAt) return { state: 'revoked', keyId: row.keyId };
  if (row.expired) return { state: 'expired', keyId: row.keyId };
  noteKeyUse(db, row.keyId, row.lastUsedAt, log);
  return {
    state: 'live',
    partner: {
      id: row.id,
      name: row.name,
      keyId: row.keyId,
      keyName: row.keyName,
      scopes: row.scopes,
      customerIds: row.customerIds,
      expiresAt: row.expiresAt,
    },
  };
}

/** Which of these keys still work (neither revoked nor expired). */
export async function liveKeyIds(db: DbOrTx, keyIds: readonly string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await db
    .select({ id: k.id })
    .from(k)
    .where(and(inArray(k.id, [...keyIds]), isLive()));
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
