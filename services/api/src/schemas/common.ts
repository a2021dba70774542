import { z } from 'zod';

/** Ids of partners, customers, users and jobs. A malformed id answers 404 (see routes), never 500. */
export const uuidSchema = z.uuid();

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).meta({ description: 'The page, from 1.' }),
  pageSize: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'Items per page, at most 500.' }),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** A page of a list; `id` names the component (`JobPage`); `extra` adds fields of that list's pages. */
export function pagedSchema<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  item: T,
  id: string,
  extra?: E,
) {
  return z
    .object({
      items: z.array(item),
      page: z.number().int().meta({ description: 'The page number, from 1.' }),
      pageSize: z.number().int(),
      total: z.number().int().meta({ description: 'Items in all pages.' }),
      totalPages: z.number().int(),
      ...(extra ?? ({} as E)),
    })
    .meta({ id, description: 'One page of a list.' });
}

export function paged<T>(items: T[], query: PageQuery, total: number) {
  return { items, page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) };
}

/** Plain text a person typed: trimmed, no control characters (NUL bytes included), bounded. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export { problemSchema } from './openapi.ts';
