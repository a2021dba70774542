import { z } from 'zod';
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
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it.' }),
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
    keys: z.array(apiKeySchema).meta({ description: 'The live keys, oldest first (at most 2).' }),
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
