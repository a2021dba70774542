import { z } from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '@licensing/domain';
import { pageQuery, uuidSchema } from './common.ts';
import { idParam } from './openapi.ts';

export const WEBHOOK_URL_MAX = 2000;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({
  id: 'WebhookEventType',
  description:
    '`license_job.finished`: a license job finished (any final status). `group.processed`: a change of a group has ' +
    'been applied to every affected member (the group and the counts). `subscription.seats_exhausted`: a group member ' +
    'started waiting for a seat of a subscription nobody was waiting for (`{customerId, productId, waiting}`).',
});

export const putWebhookBody = z
  .strictObject({
    url: z.string().min(1).max(WEBHOOK_URL_MAX).meta({
      format: 'uri',
      description:
        'Where events are POSTed: https (http outside production), no credentials, resolving only to public addresses.',
    }),
    events: z
      .array(webhookEventTypeSchema)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .optional()
      .meta({ description: 'The events to send; all of them when omitted.' }),
  })
  .meta({ id: 'PutWebhookRequest', description: "The partner's webhook endpoint and the events it receives." });

const webhookFields = {
  url: z.string(),
  events: z.array(webhookEventTypeSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const webhookSchema = z
  .object(webhookFields)
  .meta({ id: 'Webhook', description: "The partner's webhook (its secret is never shown again)." });

export const webhookWithSecretSchema = z
  .object({
    ...webhookFields,
    secret: z
      .string()
      .optional()
      .meta({
        description:
          'The signing secret (`whsec_` and base64), shown when the webhook is created and when the secret is ' +
          'rotated, never again. Absent when an existing webhook is updated.',
      }),
  })
  .meta({ id: 'WebhookWithSecret', description: 'The webhook as saved, with its secret when it was just created.' });

export const webhookDeliverySchema = z
  .object({
    id: uuidSchema.meta({ description: 'The event id: the `webhook-id` header of every attempt.' }),
    type: z.string().meta({ description: 'An event type (`license_job.finished`, `group.processed`, …) or `ping`.' }),
    customerId: uuidSchema
      .nullable()
      .meta({ description: 'The customer the event is about; null for partner-wide events (`ping`).' }),
    jobId: uuidSchema.nullable(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).meta({
      description: '`pending` until an attempt succeeds (`delivered`) or the last retry fails (`failed`).',
    }),
    attempts: z.number().int().meta({ description: 'Attempts made so far.' }),
    lastStatusCode: z.number().int().nullable().meta({ description: "The endpoint's status on the last attempt." }),
    lastError: z.string().nullable().meta({ description: 'Why the last attempt failed.' }),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'When the next attempt is due, while pending.' }),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery', description: 'One event for the webhook and where its delivery stands.' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const listDeliveriesQuery = pageQuery.extend({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional().meta({ description: 'Only deliveries with this status.' }),
});
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>;

export const deliveryParams = z.object({ deliveryId: idParam('Delivery') });
