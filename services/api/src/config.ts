import { z } from 'zod';
import {
  commonEnv,
  commonSettings,
  httpEnv,
  operatorToken,
  parseEnv,
  port,
  queueLayout,
  webhookEnv,
} from '@licensing/config';

export const apiEnv = {
  ...commonEnv,
  ...httpEnv,
  ...webhookEnv,
  API_PORT: port(3000),
  OPERATOR_TOKEN: z.string().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  MAX_PENDING_JOBS_PER_USER: z.coerce.number().int().min(1).default(5),
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(apiEnv, env);
  const settings = commonSettings(parsed);
  return {
    ...parsed,
    ...settings,
    OPERATOR_TOKEN: operatorToken(parsed.OPERATOR_TOKEN, settings.production),
    queueLayout: queueLayout(parsed),
  };
}
