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
