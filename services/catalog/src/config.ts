import { z } from 'zod';
import { commonEnv, operatorToken, parseEnv, port } from '@licensing/config';

export const catalogEnv = {
  ...commonEnv,
  CATALOG_PORT: port(3001),
  OPERATOR_TOKEN: z.string().min(1).optional(),
  /** Seed the demo catalog on first start (set to "false" to start with an empty catalog). */
  CATALOG_SEED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
};

export type CatalogConfig = ReturnType<typeof loadCatalogConfig>;

export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(catalogEnv, env);
  return { ...parsed, OPERATOR_TOKEN: operatorToken(parsed.OPERATOR_TOKEN, parsed.NODE_ENV) };
}
