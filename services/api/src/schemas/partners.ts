import { z } from 'zod';
import { text, uuidSchema } from './common.ts';

export const createPartnerBody = z.strictObject({ name: text(200) });
export const createdPartnerSchema = z.object({ id: uuidSchema, name: z.string(), apiKey: z.string() });
