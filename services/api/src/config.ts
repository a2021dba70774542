import { z } from 'zod';
import { commonEnv, parseEnv, port } from '@licensing/http';

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
  if (!parsed.OPERATOR_TOKEN && parsed.NODE_ENV === 'production') throw new Error('Invalid configuration:\n  OPERATOR_TOKEN: required when NODE_ENV=production');
  return { ...parsed, OPERATOR_TOKEN: parsed.OPERATOR_TOKEN ?? 'dev-operator-token' };
}
