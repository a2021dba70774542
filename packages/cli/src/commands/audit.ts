// `licenses audit …`: the record of every change made in a customer.
import { type components, paginate } from '@licensing/client';
import { type CommandGroup, count, EXIT, str } from '../command.ts';
import { printJson, printTable } from '../output.ts';

type AuditEvent = components['schemas']['AuditEvent'];

/** `key=value` pairs of an event's data, for a table cell. */
const describe = (data: Record<string, unknown>) =>
  Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');

export const audit: CommandGroup = {
  summary: "the audit trail of a customer's changes",
  commands: {
    list: {
      summary: "a customer's audit events, newest first",
      usage: `Usage: licenses audit list --customer <id> [--type <type>] [--limit <n>] [--json]

Every change made in the customer, newest first (at most --limit, default 50): when, what, the API
key that did it and what changed. --type keeps one kind: customer.created, user.created,
user.updated, user.deleted, subscription.updated, license_job.accepted, license_job.cancelled,
license_job.retried, license_job.finished.`,
      options: { customer: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' } },
      required: ['customer'],
      async run(ctx, parsed) {
        const customerId = str(parsed, 'customer')!;
        const type = str(parsed, 'type') as AuditEvent['type'] | undefined;
        const limit = count(parsed, 'limit', 50);
        const events: AuditEvent[] = [];
        for await (const event of paginate((page) =>
          ctx.api.GET('/v1/customers/{customerId}/audit-events', {
            params: {
              path: { customerId },
              query: { page, pageSize: Math.min(limit, 500), ...(type ? { type } : {}) },
            },
          }),
        )) {
          events.push(event);
          if (events.length >= limit) break;
        }
        if (ctx.json) printJson(ctx.io.stdout, events);
        else
          printTable(
            ctx.io.stdout,
            ['AT', 'TYPE', 'KEY', 'DATA'],
            events.map((e) => [e.at, e.type, e.actor.keyId ?? 'service', describe(e.data)]),
            'No events.',
          );
        return EXIT.ok;
      },
    },
  },
};
