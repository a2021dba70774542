import { z } from 'zod';
import { commonEnv, commonSettings, httpEnv, operatorToken, parseEnv, port } from '@licensing/config';

export const catalogEnv = {
  ...commonEnv,
  ...httpEnv,
  CATALOG_PORT: port(3001),
  /** The catalog's public address, announced as the server of its OpenAPI document. */
  CATALOG_URL: z.string().url().default('http://127.0.0.1:3001'),
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
  const settings = commonSettings(parsed);
  return { ...parsed, ...settings, OPERATOR_TOKEN: operatorToken(parsed.OPERATOR_TOKEN, settings.production) };
}
