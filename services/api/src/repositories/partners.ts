import { randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { preparedQuery, tables, type Db, type DbOrTx } from '@licensing/db';
import { sha256 } from '@licensing/http';

/** Keys carry 256 random bits behind a recognisable prefix, so leaked keys are easy to spot and scan for. */
export const API_KEY_PREFIX = 'lsk_';

/** The first characters of a key, stored and shown to recognise it; also what failures are throttled by. */
export const apiKeyPrefix = (apiKey: string) => apiKey.slice(0, API_KEY_PREFIX.length + 6);

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export async function createPartner(db: DbOrTx, name: string): Promise<{ id: string; name: string; apiKey: string }> {
  const apiKey = generateApiKey();
  const [row] = await db
    .insert(tables.partners)
    .values({ name, apiKeyPrefix: apiKeyPrefix(apiKey), apiKeyHash: sha256(apiKey) })
    .returning({ id: tables.partners.id, name: tables.partners.name });
  return { id: row!.id, name: row!.name, apiKey };
}

/** The partner owning an API key, or undefined. Only the key's hash is stored or looked up. */
const partnerByKeyHash = preparedQuery((db) =>
  db
    .select({ id: tables.partners.id, name: tables.partners.name, hash: tables.partners.apiKeyHash })
    .from(tables.partners)
    .where(eq(tables.partners.apiKeyHash, sql.placeholder('hash')))
    .prepare('partner_by_key_hash'),
);

export async function findPartnerByApiKey(db: Db, apiKey: string): Promise<{ id: string; name: string } | undefined> {
  if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 200) return undefined;
  const hash = sha256(apiKey);
  const [row] = await partnerByKeyHash(db).execute({ hash });
  if (!row || row.hash.length !== hash.length || !timingSafeEqual(row.hash, hash)) return undefined;
  return { id: row.id, name: row.name };
}
