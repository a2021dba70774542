import { z } from 'zod';
import { SCOPES } from '@licensing/domain';
import type { ApiKeyInfo } from '../repositories/partners.ts';
import { text, uuidSchema } from './common.ts';

export const createPartnerBody = z.strictObject({ name: text(200) }).meta({ id: 'CreatePartnerRequest' });
export const createdPartnerSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    apiKey: z.string().meta({ description: 'The Bearer credential of the partner; shown only in this answer.' }),
  })
  .meta({ id: 'CreatedPartner', description: 'A new partner and its API key.' });

export const apiKeySchema = z
  .object({
    id: uuidSchema,
    name: z.string().meta({ description: 'What the key is for, as its issuer named it.' }),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it.' }),
    issuedBy: z.enum(['operator', 'partner']).meta({
      description: '`operator`: issued by an operator (every scope; at most 2 live); `partner`: under /v1/keys.',
    }),
    scopes: z.array(z.string()).meta({
      description: `The scopes the key grants: ${SCOPES.map((s) => `\`${s}\``).join(', ')}; \`["*"]\` is every scope.`,
      example: ['read', 'licenses:write'],
    }),
    customerIds: z
      .array(uuidSchema)
      .nullable()
      .meta({ description: 'The only customers the key may reach; null: every customer of the partner.' }),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the key stops working (401 `key_expired`); null: never.' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the key last authenticated a request (recorded to the minute); null if never.' }),
  })
  .meta({ id: 'ApiKey', description: 'A live API key of a partner, without the key itself.' });

export const partnerSchema = z
  .object({
    id: uuidSchema,
    name: z.string(),
    createdAt: z.iso.datetime(),
    keys: z
      .array(apiKeySchema)
      .meta({ description: 'The live keys, oldest first: at most 2 operator-issued ones and 25 of its own.' }),
  })
  .meta({ id: 'Partner', description: 'A partner and its live API keys.' });

export const createdApiKeySchema = z
  .object({
    id: uuidSchema,
    apiKey: z.string().meta({ description: 'The new Bearer credential; shown only in this answer.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CreatedApiKey', description: 'A new API key of a partner.' });

export const apiKeyListSchema = z.array(apiKeySchema).meta({ id: 'ApiKeyList', description: 'Live API keys.' });

export const createApiKeyBody = z
  .strictObject({
    name: text(100).meta({ description: 'What the key is for (shown in lists and in the audit trail).' }),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .max(SCOPES.length)
      .meta({ description: 'The scopes to grant: each one the calling key holds itself.' }),
    customerIds: z
      .array(uuidSchema)
      .min(1)
      .max(1000)
      .nullable()
      .optional()
      .meta({
        description:
          'Limits the key to these customers (others answer 404 and are left out of lists); omitted or null: ' +
          'every customer, which only a key for every customer may grant.',
      }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({
        description:
          'When the key stops working (RFC 3339, in the future); omitted: never, or when the calling key expires ' +
          'if it does (a key cannot outlive the key that issues it).',
      }),
  })
  .meta({ id: 'CreateApiKeyRequest', description: 'A key the partner issues itself.' });
export type CreateApiKey = z.infer<typeof createApiKeyBody>;

export const createdPartnerApiKeySchema = apiKeySchema
  .extend({ apiKey: z.string().meta({ description: 'The new Bearer credential; shown only in this answer.' }) })
  .meta({ id: 'IssuedApiKey', description: 'A key the partner issued itself, with the key (shown only here).' });

/** An API key as answered (never its hash). */
export const apiKeyJson = (k: ApiKeyInfo): z.infer<typeof apiKeySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  issuedBy: k.issuedBy,
  scopes: k.scopes,
  customerIds: k.customerIds,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});
