import countries from 'i18n-iso-countries';
import { z } from 'zod';

/** Catalog strings: product ids and service-plan ids (contract: ^[A-Za-z0-9_.-]{1,64}$). */
export const catalogIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must match ^[A-Za-z0-9_.-]{1,64}$');
/**
 * The officially assigned ISO 3166-1 alpha-2 codes, from i18n-iso-countries (kept up to date with
 * the standard). Its user-assigned XK (Kosovo) is left out: the contract says ISO 3166-1.
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  Object.keys(countries.getAlpha2Codes()).filter((code) => code !== 'XK'),
);

/** ISO 3166-1 alpha-2, upper case, assigned. */
export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "US"')
  .refine((code) => ISO_COUNTRY_CODES.has(code), 'is not an assigned ISO 3166-1 alpha-2 code');

export const servicePlanSchema = z.strictObject({
  id: catalogIdSchema,
  name: z.string().trim().min(1).max(200),
  requires: z.array(catalogIdSchema).max(100).optional(),
});

const productFields = {
  id: catalogIdSchema,
  name: z.string().trim().min(1).max(200),
  servicePlans: z.array(servicePlanSchema).max(200),
  availableIn: z.array(countrySchema).max(300).optional(),
  unavailableIn: z.array(countrySchema).max(300).optional(),
  requiresAnyOf: z.array(catalogIdSchema).max(100).optional(),
  excludes: z.array(catalogIdSchema).max(100).optional(),
};

export const productSchema = z.strictObject(productFields);
export type Product = z.infer<typeof productSchema>;
export type ServicePlan = z.infer<typeof servicePlanSchema>;

/** A product keyed by id; the rules only ever look products up. */
export type Catalog = ReadonlyMap<string, Product>;

export function catalogOf(products: Iterable<Product>): Catalog {
  return new Map([...products].map((p) => [p.id, p]));
}

/**
 * Structural problems of a product that a schema cannot express: duplicate plan ids,
 * plan requirements pointing outside the product, a product requiring or excluding itself.
 * Returns human-readable problems; empty when the product is consistent.
 */
export function productProblems(product: Product): string[] {
  const problems: string[] = [];
  const planIds = new Set<string>();
  for (const plan of product.servicePlans) {
    if (planIds.has(plan.id)) problems.push(`servicePlans: duplicate plan id "${plan.id}"`);
    planIds.add(plan.id);
  }
  for (const plan of product.servicePlans) {
    for (const required of plan.requires ?? []) {
      if (!planIds.has(required))
        problems.push(`servicePlans: plan "${plan.id}" requires "${required}", which is not a plan of this product`);
      if (required === plan.id) problems.push(`servicePlans: plan "${plan.id}" requires itself`);
    }
  }
  if (product.requiresAnyOf?.includes(product.id)) problems.push('requiresAnyOf: a product cannot require itself');
  if (product.excludes?.includes(product.id)) problems.push('excludes: a product cannot exclude itself');
  const both = (product.availableIn ?? []).filter((c) => product.unavailableIn?.includes(c));
  if (both.length > 0) problems.push(`availableIn and unavailableIn both list ${both.join(', ')}`);
  return problems;
}
