// Webhook signing secrets. The server must be able to sign with a secret after showing it once,
// so it is kept recoverable, not hashed: sealed with AES-256-GCM under WEBHOOK_SECRET_KEY when the
// operator configured one, so a copy of the database alone does not give away the secrets; without
// a key it is stored as it is (prefixed `plain:`), which protects it no better than the database
// does. Both forms are read, so a key can be configured later (secrets rotated afterwards are sealed).
// There is one key at a time: secrets sealed under a key no longer configured cannot be opened, and
// their deliveries are not sent (see WebhookSecretUnreadableError) until that key is configured again
// or the partner rotates its secret, which seals the new one under the current key.
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

/**
 * A stored secret that the configured WEBHOOK_SECRET_KEY does not open: sealed under another key
 * (the setting changed, or differs between the API and the worker), sealed while no key is set here,
 * or altered. Nothing can be signed with it; AES-GCM's tag makes sure a wrong key is refused rather
 * than yielding a wrong secret and so wrong signatures.
 */
export class WebhookSecretUnreadableError extends Error {
  override readonly name = 'WebhookSecretUnreadableError';
}

export function openSecret(stored: string, key: Buffer | undefined): string {
  if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
  const [scheme, version, iv, tag, sealed] = stored.split(':');
  if (scheme !== 'sealed' || version !== 'v1' || !iv || !tag || !sealed)
    throw new WebhookSecretUnreadableError('the stored webhook secret is in no known form');
  if (!key)
    throw new WebhookSecretUnreadableError('the webhook secret is sealed and WEBHOOK_SECRET_KEY is not configured');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new WebhookSecretUnreadableError(
      'the webhook secret was sealed with another WEBHOOK_SECRET_KEY than the one configured (or was altered)',
    );
  }
}
