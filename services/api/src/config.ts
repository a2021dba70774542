import { z } from 'zod';
import { commonEnv, operatorToken, parseEnv, port } from '@licensing/config';

export const apiEnv = {
  ...commonEnv,
  API_PORT: port(3000),
  CATALOG_URL: z.string().url().default('http://127.0.0.1:3001'),
  OPERATOR_TOKEN: z.string().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(apiEnv, env);
  return { ...parsed, OPERATOR_TOKEN: operatorToken(parsed.OPERATOR_TOKEN, parsed.NODE_ENV) };
}
