import { z } from 'zod';
import { commonEnv, parseEnv, parseTrustProxy, port } from '@licensing/config';

export const portalEnv = {
  HOST: commonEnv.HOST,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: commonEnv.SHUTDOWN_TIMEOUT_MS,
  PORTAL_PORT: port(3003),
  API_PORT: port(3000),
  /** Where `/v1` is proxied to; defaults to the API on this host at `API_PORT`. */
  API_URL: z.string().url().optional(),
  /**
   * Whose X-Forwarded-For the portal believes (as TRUST_PROXY for the API). Default: nobody, the
   * client is the portal's TCP peer; set it when a load balancer stands in front of the portal.
   */
  PORTAL_TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
};

export type PortalConfig = ReturnType<typeof loadPortalConfig>;

export function loadPortalConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(portalEnv, env);
  return { ...parsed, API_URL: parsed.API_URL ?? `http://127.0.0.1:${parsed.API_PORT}` };
}
