import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { and, count, desc, eq } from 'drizzle-orm';
import { AUDIT_EVENT_TYPES, tables, type Db } from '@licensing/db';
import { partnerOf } from '../auth.ts';
import { customerInScope } from './customers.ts';
import { paged, pagedSchema, pageQuery, uuidSchema } from '../schemas/common.ts';
import { customerParams } from '../schemas/customers.ts';
import { jsonResponse, problemResponses } from '../schemas/openapi.ts';

const auditEventSchema = z
  .object({
    id: uuidSchema,
    at: z.iso.datetime(),
    actor: z
      .object({
        partnerId: uuidSchema,
        keyId: uuidSchema.nullable().meta({ description: 'The API key used; null for the service itself.' }),
        keyName: z
          .string()
          .nullable()
          .meta({ description: "The API key's name (as it is now); null for the service itself." }),
      })
      .meta({ id: 'AuditActor' }),
    type: z.enum(AUDIT_EVENT_TYPES),
    data: z.record(z.string(), z.unknown()).meta({ description: 'What changed; its fields depend on `type`.' }),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent', description: 'One change a partner made (or a job finishing).' });

const auditQuery = pageQuery.extend({ type: z.enum(AUDIT_EVENT_TYPES).optional() });

export function auditEventRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/v1/customers/:customerId/audit-events',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listAuditEvents',
          tags: ['customers'],
          summary: "The customer's audit trail, newest first",
          description:
            'Every change made to the customer and what hangs below it, each recorded in the transaction of the ' +
            'change: who (partner, API key and its name), when, the request id and what changed. `type` filters.',
          params: customerParams,
          querystring: auditQuery,
          response: {
            200: jsonResponse(pagedSchema(auditEventSchema, 'AuditEventPage'), 'A page of events.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const e = tables.auditEvents;
        // The customer is the caller's already; the partner is named as well, as every query is scoped by it.
        const where = and(
          eq(e.partnerId, partnerOf(request).id),
          eq(e.customerId, customer.id),
          request.query.type ? eq(e.type, request.query.type) : undefined,
        );
        const [rows, [totals]] = await Promise.all([
          db
            .select({ event: e, keyName: tables.partnerApiKeys.name })
            .from(e)
            .leftJoin(
              tables.partnerApiKeys,
              and(eq(tables.partnerApiKeys.id, e.keyId), eq(tables.partnerApiKeys.partnerId, e.partnerId)),
            )
            .where(where)
            .orderBy(desc(e.seq))
            .limit(request.query.pageSize)
            .offset((request.query.page - 1) * request.query.pageSize),
          db.select({ total: count() }).from(e).where(where),
        ]);
        const items = rows.map(({ event: r, keyName }) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: { partnerId: r.partnerId, keyId: r.keyId, keyName },
          type: r.type as (typeof AUDIT_EVENT_TYPES)[number],
          data: r.data,
          requestId: r.requestId,
        }));
        return paged(items, request.query, totals?.total ?? 0);
      },
    );
  };
}
