// Webhook signing secrets. The server must be able to sign with a secret after showing it once,
// so it is kept recoverable, not hashed: sealed with AES-256-GCM under WEBHOOK_SECRET_KEY when the
// operator configured one, so a copy of the database alone does not give away the secrets; without
// a key it is stored as it is (prefixed `plain:`), which protects it no better than the database
// does. Both forms are read, so a key can be configured later (secrets rotated afterwards are sealed).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries expect. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The 32-byte key of WEBHOOK_SECRET_KEY (base64); throws on a malformed value. */
export function parseSecretKey(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes in base64');
  return key;
}

export function sealSecret(secret: string, key: Buffer | undefined): string {
  if (!key) return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `sealed:v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`;
}

export function openSecret(stored: string, key: Buffer | undefined): string {
  if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
  const [scheme, version, iv, tag, sealed] = stored.split(':');
  if (scheme !== 'sealed' || version !== 'v1' || !iv || !tag || !sealed) throw new Error('unreadable webhook secret');
  if (!key) throw new Error('the webhook secret is sealed and WEBHOOK_SECRET_KEY is not configured');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
}
