import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, DeliveryRef } from '@licensing/db';
import { notFound, ProblemError, unprocessable } from '@licensing/http';
import { WEBHOOK_PING } from '@licensing/domain';
import {
  attemptNow,
  checkWebhookUrl,
  enqueueDeliveries,
  takePingSlot,
  UnsafeWebhookTarget,
  type WebhookQueue,
  type WebhookTargetPolicy,
} from '@licensing/webhooks';
import { partnerOf } from '../auth.ts';
import { pathId } from '../ids.ts';
import {
  deleteWebhook,
  deliveryRef,
  getDelivery,
  getWebhook,
  listDeliveries,
  putWebhook,
  recordPing,
  redeliver,
  rotateWebhookSecret,
  toDelivery,
  toWebhook,
} from '../repositories/webhooks.ts';
import { paged, pagedSchema } from '../schemas/common.ts';
import { JSON_BODY_PROBLEMS, jsonResponse, noContent, problemResponses } from '../schemas/openapi.ts';
import {
  deliveryParams,
  listDeliveriesQuery,
  putWebhookBody,
  webhookDeliverySchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../schemas/webhooks.ts';

export interface WebhookRouteDeps {
  db: Db;
  queue: WebhookQueue;
  policy: WebhookTargetPolicy;
  /** Seals stored secrets (WEBHOOK_SECRET_KEY); undefined stores them as they are. */
  secretKey: Buffer | undefined;
  /** Test pings (and redeliveries of pings) a partner may send per minute (WEBHOOK_TESTS_PER_MINUTE); 0: any number. */
  testsPerMinute: number;
}

/** 429 for a partner past its test pings of the minute, with the seconds until the next may be sent. */
function testsRateLimited(limit: number, retryAfter: number): ProblemError {
  return new ProblemError(
    429,
    'webhook_test_rate_limited',
    `Your partner may send ${limit} test pings per minute (WEBHOOK_TESTS_PER_MINUTE); retry in ${retryAfter} s.`,
    { limit },
    { 'retry-after': String(retryAfter) },
    { retryAfter },
  );
}

/**
 * Hands deliveries to the delivery worker. Postgres already holds them: if Redis is away, the
 * reconciler enqueues them once they are due, so a failure here is logged, not answered.
 */
export async function enqueueRecorded(queue: WebhookQueue, refs: DeliveryRef[], log: FastifyBaseLogger) {
  await enqueueDeliveries(queue, refs).catch((err: unknown) =>
    log.warn({ err, deliveries: refs.map((r) => r.id) }, 'webhook deliveries not enqueued; the reconciler will'),
  );
}

export function webhookRoutes(deps: WebhookRouteDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const noWebhook = () => notFound('webhook');
  /** Counts a ping against the partner's minute, or refuses it with 429. */
  async function takeTestSlot(partnerId: string) {
    if (deps.testsPerMinute <= 0) return;
    const retryAfter = await takePingSlot(deps.queue, partnerId, deps.testsPerMinute);
    if (retryAfter > 0) throw testsRateLimited(deps.testsPerMinute, retryAfter);
  }

  return async (app) => {
    app.put(
      '/v1/webhook',
      {
        config: { scope: 'webhooks:manage', allCustomers: true },
        schema: {
          operationId: 'putWebhook',
          tags: ['webhooks'],
          summary: "Create or update the partner's webhook; a new one answers its signing secret once",
          description:
            'One webhook per partner. The URL must be https (http outside production), carry no credentials and ' +
            'resolve only to public addresses (checked now and again before every delivery). Creating the webhook ' +
            'answers its signing secret, the only time it is shown; updating keeps the secret.',
          body: putWebhookBody,
          bodyExamples: {
            webhook: {
              summary: 'Be told when license jobs finish',
              value: { url: 'https://portal.example.com/hooks/licensing', events: ['license_job.finished'] },
            },
          },
          response: {
            200: jsonResponse(webhookWithSecretSchema, 'The webhook as saved (with its secret when just created).'),
            ...problemResponses(JSON_BODY_PROBLEMS, { 422: ['invalid_webhook_url'] }),
          },
        },
      },
      async (request) => {
        const partner = partnerOf(request);
        try {
          await checkWebhookUrl(request.body.url, deps.policy);
        } catch (error) {
          if (error instanceof UnsafeWebhookTarget)
            throw unprocessable(
              'invalid_webhook_url',
              `The webhook URL is refused: ${error.message}.`,
              {},
              { reason: error.message },
            );
          throw error;
        }
        const { row, secret } = await putWebhook(db, partner.id, request.body, deps.secretKey);
        request.log.info({ created: Boolean(secret) }, 'webhook saved');
        return toWebhook(row, secret);
      },
    );

    app.get(
      '/v1/webhook',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getWebhook',
          tags: ['webhooks'],
          summary: "The partner's webhook, without its secret",
          description: 'The URL and events of the webhook; 404 when the partner has none.',
          response: {
            200: jsonResponse(webhookSchema, 'The webhook.'),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const row = await getWebhook(db, partnerOf(request).id);
        if (!row) throw noWebhook();
        return toWebhook(row);
      },
    );

    app.delete(
      '/v1/webhook',
      {
        config: { scope: 'webhooks:manage', allCustomers: true },
        schema: {
          operationId: 'deleteWebhook',
          tags: ['webhooks'],
          summary: "Delete the partner's webhook",
          description: 'No event is sent any more; deliveries still pending are marked failed.',
          response: { 204: noContent('The webhook was deleted.'), ...problemResponses(404) },
        },
      },
      async (request, reply) => {
        if (!(await deleteWebhook(db, partnerOf(request).id))) throw noWebhook();
        request.log.info('webhook deleted');
        return reply.status(204).send();
      },
    );

    app.post(
      '/v1/webhook/rotate-secret',
      {
        config: { scope: 'webhooks:manage', allCustomers: true },
        schema: {
          operationId: 'rotateWebhookSecret',
          tags: ['webhooks'],
          summary: 'Replace the signing secret; the new one is answered once',
          description: 'Every attempt from now on, including retries of earlier events, is signed with the new secret.',
          response: {
            200: jsonResponse(webhookWithSecretSchema, 'The webhook with its new secret.'),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const rotated = await rotateWebhookSecret(db, partnerOf(request).id, deps.secretKey);
        if (!rotated) throw noWebhook();
        request.log.info('webhook secret rotated');
        return toWebhook(rotated.row, rotated.secret);
      },
    );

    app.post(
      '/v1/webhook/test',
      {
        config: { scope: 'webhooks:manage', allCustomers: true },
        schema: {
          operationId: 'testWebhook',
          tags: ['webhooks'],
          summary: 'Send a `ping` event to the webhook',
          description:
            'Queues a `ping` event, attempted once (a ping is never retried): its delivery, in the answer and in the ' +
            'deliveries, turns `delivered` or `failed` with the status code or error of that attempt. A partner may ' +
            'send a few pings per minute (WEBHOOK_TESTS_PER_MINUTE, 5 by default; redeliveries of pings count too): ' +
            'more are answered 429 `webhook_test_rate_limited` with `Retry-After`. The newest 20 finished pings are ' +
            'kept.',
          response: {
            202: jsonResponse(webhookDeliverySchema, 'The ping was queued.'),
            ...problemResponses(404, { 429: ['webhook_test_rate_limited'] }),
          },
        },
      },
      async (request, reply) => {
        const partner = partnerOf(request);
        if (!(await getWebhook(db, partner.id))) throw noWebhook();
        await takeTestSlot(partner.id);
        const row = await recordPing(db, partner.id);
        if (!row) throw noWebhook();
        await enqueueRecorded(deps.queue, [deliveryRef(row)], request.log);
        return reply.status(202).send(toDelivery(row));
      },
    );

    app.get(
      '/v1/webhook/deliveries',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listWebhookDeliveries',
          tags: ['webhooks'],
          summary: 'Events sent or to send to the webhook, newest first',
          description:
            'Every event recorded for the partner, with its delivery status and its last attempt. With a key limited ' +
            'to some customers, only the events about those customers.',
          querystring: listDeliveriesQuery,
          response: {
            200: jsonResponse(pagedSchema(webhookDeliverySchema, 'WebhookDeliveryPage'), 'A page of deliveries.'),
            ...problemResponses(400),
          },
        },
      },
      async (request) => {
        const caller = partnerOf(request);
        const { items, total } = await listDeliveries(db, caller.id, request.query, caller.customerIds);
        return paged(items, request.query, total);
      },
    );

    app.post(
      '/v1/webhook/deliveries/:deliveryId/redeliver',
      {
        config: { scope: 'webhooks:manage' },
        schema: {
          operationId: 'redeliverWebhookDelivery',
          tags: ['webhooks'],
          summary: 'Send an event again',
          description:
            'The delivery becomes pending and is attempted now, with the same `webhook-id` and a fresh retry ' +
            'schedule, whatever its status was. A `ping` is attempted once, and counts as a test ping ' +
            '(429 `webhook_test_rate_limited` past WEBHOOK_TESTS_PER_MINUTE).',
          params: deliveryParams,
          response: {
            202: jsonResponse(webhookDeliverySchema, 'The delivery was queued again.'),
            ...problemResponses(404, { 429: ['webhook_test_rate_limited'] }),
          },
        },
      },
      async (request, reply) => {
        const partner = partnerOf(request);
        const id = pathId(request.params.deliveryId, 'delivery');
        if (!(await getWebhook(db, partner.id))) throw noWebhook();
        // A ping is partner-wide: a key limited to some customers is answered 404 for it, uncounted.
        const existing = await getDelivery(db, partner.id, id);
        if (existing?.type === WEBHOOK_PING && partner.customerIds === null) await takeTestSlot(partner.id);
        const row = await redeliver(db, partner.id, id, partner.customerIds);
        if (!row) throw notFound('delivery');
        // Postgres has it due now: if Redis is away, the reconciler queues it.
        await attemptNow(deps.queue, deliveryRef(row)).catch((err: unknown) =>
          request.log.warn({ err, delivery: row.id }, 'redelivery not enqueued; the reconciler will'),
        );
        return reply.status(202).send(toDelivery(row));
      },
    );
  };
}
