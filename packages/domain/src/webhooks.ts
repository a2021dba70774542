/** Events a webhook can subscribe to; `ping` is sent on request (POST /v1/webhook/test) only. */
export const WEBHOOK_EVENT_TYPES = ['license_job.finished', 'group.processed', 'subscription.seats_exhausted'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_PING = 'ping';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * The waits before each retry of a delivery whose attempt failed, counted from that attempt: 8
 * attempts over more than 27 hours. A redelivery starts the schedule again.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Test pings one partner may send per minute unless configured (WEBHOOK_TESTS_PER_MINUTE). */
export const DEFAULT_WEBHOOK_TESTS_PER_MINUTE = 5;

/** A partner's finished pings kept: older ones are deleted as new ones are sent. */
export const WEBHOOK_PINGS_KEPT = 20;

/**
 * Whether a failed attempt of an event of `type` is retried. A test ping is not: it is attempted
 * once per request (the test, or a redelivery), and its delivery says whether the endpoint took it.
 * Retrying it for a day would only pile attempts on an endpoint that is being set up or is gone.
 */
export function retriedAfterFailure(type: string): boolean {
  return type !== WEBHOOK_PING;
}

/**
 * After the `roundAttempts`-th attempt of a delivery (since it was recorded or redelivered) failed:
 * how long until the next one, or undefined when that was the last and the delivery has failed.
 */
export function webhookRetryDelay(
  roundAttempts: number,
  delays: readonly number[] = WEBHOOK_RETRY_DELAYS_MS,
): number | undefined {
  return roundAttempts >= 1 ? delays[roundAttempts - 1] : delays[0];
}
