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
import {
  DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND,
  DEFAULT_CSV_EXPORTS,
  DEFAULT_CSV_EXPORTS_PER_PARTNER,
} from './csv.ts';
import { DEFAULT_LARGE_SELECTIONS_PER_PARTNER, LARGE_SELECTIONS_BUSY_SHARE } from './selection-budget.ts';
import { DEFAULT_PARTNER_QUEUE_LIMITS } from './partner-queue.ts';
import { DEFAULT_JOB_ACCEPTANCES_PER_PARTNER } from './partner-shares.ts';
import { DEFAULT_WEBHOOK_TESTS_PER_MINUTE } from '@licensing/domain';

export const apiEnv = {
  ...commonEnv,
  ...httpEnv,
  ...webhookEnv,
  API_PORT: port(3000),
  OPERATOR_TOKEN: z.string().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  MAX_PENDING_JOBS_PER_USER: z.coerce.number().int().min(1).default(5),
  /** A partner's share of the queue: its unfinished jobs (and their users) past which a new job is refused. */
  UNFINISHED_JOBS_PER_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_PARTNER_QUEUE_LIMITS.jobs),
  UNFINISHED_USERS_PER_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_PARTNER_QUEUE_LIMITS.users),
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** Results downloads as CSV one API process serves at once (each holds a pool connection). */
  CSV_EXPORTS_PER_PROCESS: z.coerce.number().int().min(1).default(DEFAULT_CSV_EXPORTS),
  /** Of those, what one partner may hold at once; one more is answered 429. */
  CSV_EXPORTS_PER_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_CSV_EXPORTS_PER_PARTNER),
  /** Previews, overviews and reverts of more than 1,000 users one partner may have in progress at once. */
  LARGE_SELECTIONS_PER_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_LARGE_SELECTIONS_PER_PARTNER),
  /** Jobs (new, retried, reverted) of one partner one API process accepts at once; more wait a little, then 429. */
  JOB_ACCEPTANCES_PER_PARTNER: z.coerce.number().int().min(1).default(DEFAULT_JOB_ACCEPTANCES_PER_PARTNER),
  /** Job event streams one partner may have open at once on one API process. */
  EVENT_STREAMS_PER_PARTNER: z.coerce.number().int().min(1).default(500),
  /** The share of the process's time (over 30 s) one partner's large selections may take (1: no bound). */
  LARGE_SELECTIONS_BUSY_SHARE: z.coerce.number().gt(0).max(1).default(LARGE_SELECTIONS_BUSY_SHARE),
  /** A download whose client reads slower than this on average (bytes per second) is cut off. */
  CSV_EXPORT_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(1).default(DEFAULT_CSV_EXPORT_MIN_BYTES_PER_SECOND),
  /** Test pings (POST /v1/webhook/test, redeliveries of pings) one partner may send per minute; 0: any number. */
  WEBHOOK_TESTS_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_WEBHOOK_TESTS_PER_MINUTE),
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
