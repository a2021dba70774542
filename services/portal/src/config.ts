import { z } from 'zod';
import { commonEnv, parseEnv, port } from '@licensing/config';

export const portalEnv = {
  HOST: commonEnv.HOST,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: commonEnv.SHUTDOWN_TIMEOUT_MS,
  PORTAL_PORT: port(3003),
  API_PORT: port(3000),
  /** Where `/v1` is proxied to; defaults to the API on this host at `API_PORT`. */
  API_URL: z.string().url().optional(),
};

export type PortalConfig = ReturnType<typeof loadPortalConfig>;

export function loadPortalConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(portalEnv, env);
  return { ...parsed, API_URL: parsed.API_URL ?? `http://127.0.0.1:${parsed.API_PORT}` };
}
