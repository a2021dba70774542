// `licenses webhooks …`: the partner's webhook (where finished jobs are POSTed, signed) and its deliveries.
import { unwrap, type components } from '@licensing/client';
import { type CommandGroup, count, EXIT, str, strs, UsageError } from '../command.ts';
import { printJson, printTable } from '../output.ts';

type Delivery = components['schemas']['WebhookDelivery'];
type EventType = components['schemas']['WebhookEventType'];

const STATUSES = ['pending', 'delivered', 'failed'] as const;

export const webhooks: CommandGroup = {
  summary: "the partner's webhook: show, set, delete, test, rotate-secret, deliveries, redeliver",
  commands: {
    show: {
      summary: 'the webhook (without its secret)',
      usage: `Usage: licenses webhooks show [--json]

The webhook's URL, events and dates. Exit 2 with not_found when none is set.`,
      options: {},
      async run(ctx) {
        const webhook = unwrap(await ctx.api.GET('/v1/webhook', {}));
        if (ctx.json) printJson(ctx.io.stdout, webhook);
        else
          printTable(
            ctx.io.stdout,
            ['URL', 'EVENTS', 'UPDATED'],
            [[webhook.url, webhook.events.join(','), webhook.updatedAt]],
          );
        return EXIT.ok;
      },
    },
    set: {
      summary: 'create or change the webhook; prints a new secret once',
      usage: `Usage: licenses webhooks set --url <url> [--event <type>]... [--json]

Sets where events are POSTed (https; http outside production; public addresses only unless the API
runs with WEBHOOK_ALLOW_PRIVATE_TARGETS=true). When the webhook is created its signing secret
(whsec_…) is printed on stdout, this once: store it to verify signatures.
  --url <url>       the receiver
  --event <type>    an event to send (repeatable; default all: license_job.finished)`,
      options: { url: { type: 'string' }, event: { type: 'string', multiple: true } },
      required: ['url'],
      async run(ctx, parsed) {
        const events = strs(parsed, 'event') as EventType[];
        const webhook = unwrap(
          await ctx.api.PUT('/v1/webhook', {
            body: { url: str(parsed, 'url')!, ...(events.length ? { events } : {}) },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, webhook);
        else if (webhook.secret) {
          ctx.io.stdout.write(`${webhook.secret}\n`);
          ctx.io.stderr.write(`Webhook set to ${webhook.url}; its secret (above) is shown only now.\n`);
        } else ctx.io.stderr.write(`Webhook set to ${webhook.url}; its secret is unchanged.\n`);
        return EXIT.ok;
      },
    },
    delete: {
      summary: 'remove the webhook',
      usage: 'Usage: licenses webhooks delete\n\nRemoves the webhook: no more events are sent.',
      options: {},
      async run(ctx) {
        unwrap(await ctx.api.DELETE('/v1/webhook', {}));
        ctx.io.stderr.write('Webhook deleted.\n');
        return EXIT.ok;
      },
    },
    test: {
      summary: 'queue a ping event',
      usage: `Usage: licenses webhooks test [--json]

Queues a "ping" event to the webhook, attempted once (a few per minute); "licenses webhooks deliveries"
shows how its delivery went.`,
      options: {},
      async run(ctx) {
        const answer = unwrap(await ctx.api.POST('/v1/webhook/test', {}));
        if (ctx.json) printJson(ctx.io.stdout, answer);
        else ctx.io.stderr.write('A ping event was queued; see: licenses webhooks deliveries\n');
        return EXIT.ok;
      },
    },
    'rotate-secret': {
      summary: 'a new signing secret, printed once',
      usage: `Usage: licenses webhooks rotate-secret [--json]

Replaces the webhook's signing secret and prints the new one on stdout, this once.`,
      options: {},
      async run(ctx) {
        const webhook = unwrap(await ctx.api.POST('/v1/webhook/rotate-secret', {}));
        if (ctx.json) printJson(ctx.io.stdout, webhook);
        else ctx.io.stdout.write(`${webhook.secret}\n`);
        return EXIT.ok;
      },
    },
    deliveries: {
      summary: 'the events sent to the webhook and how their delivery went, newest first',
      usage: `Usage: licenses webhooks deliveries [--status pending|delivered|failed] [--limit <n>] [--json]

The events of the webhook, newest first (at most --limit, default 20): id, type, job, status,
attempts, the receiver's last status code or error, the next attempt.`,
      options: { status: { type: 'string' }, limit: { type: 'string' } },
      async run(ctx, parsed) {
        const status = str(parsed, 'status');
        if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
          throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        const limit = count(parsed, 'limit', 20, 500);
        const page = unwrap(
          await ctx.api.GET('/v1/webhook/deliveries', {
            params: {
              query: { pageSize: limit, ...(status ? { status: status as (typeof STATUSES)[number] } : {}) },
            },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, page.items);
        else
          printTable(
            ctx.io.stdout,
            ['ID', 'TYPE', 'JOB', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT ATTEMPT'],
            page.items.map((d: Delivery) => [
              d.id,
              d.type,
              d.jobId,
              d.status,
              d.attempts,
              d.lastStatusCode ?? d.lastError,
              d.nextAttemptAt,
            ]),
            'No deliveries.',
          );
        return EXIT.ok;
      },
    },
    redeliver: {
      summary: 'send an event again',
      usage: `Usage: licenses webhooks redeliver <deliveryId> [--json]

Queues the event again (a failed one too), with the same webhook-id.`,
      options: {},
      args: ['deliveryId'],
      async run(ctx, parsed) {
        const delivery = unwrap(
          await ctx.api.POST('/v1/webhook/deliveries/{deliveryId}/redeliver', {
            params: { path: { deliveryId: parsed.args[0]! } },
          }),
        );
        if (ctx.json) printJson(ctx.io.stdout, delivery);
        else ctx.io.stderr.write(`Delivery ${delivery.id} queued again.\n`);
        return EXIT.ok;
      },
    },
  },
};
