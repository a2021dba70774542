import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import { getProducts, tables, type Db } from '@licensing/db';
import { unprocessable } from '@licensing/http';
import { customerInScope } from './customers.ts';
import { listSubscriptions } from '../repositories/subscriptions.ts';
import { resolveUserSelection } from '../repositories/user-selection.ts';
import { customerParams } from '../schemas/customers.ts';
import {
  type LicenseOverview,
  licenseOverviewBody,
  licenseOverviewSchema,
  MAX_LISTED_HOLDERS,
} from '../schemas/license-overview.ts';
import { selectionOf, type UserSelection } from '../schemas/user-selection.ts';
import { JSON_BODY_PROBLEMS, jsonResponse, problemResponses } from '../schemas/openapi.ts';
import type { SelectionBudget } from '../selection-budget.ts';

/** The "manage licenses" page for a selection of users: one row per subscription of the customer. */
export function licenseOverviewRoutes(deps: { db: Db; budget: SelectionBudget }): FastifyPluginAsyncZod {
  const { db, budget } = deps;
  return async (app) => {
    app.post(
      '/v1/customers/:customerId/license-overview',
      {
        config: { scope: 'read' },
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          operationId: 'getLicenseOverview',
          tags: ['licenses'],
          summary: 'Seats and holders of every subscribed product for a selection of users',
          description:
            'The "manage licenses" page for a selection: one row per subscription of the customer. Reads only. ' +
            'Selects users by `userIds` or by `userFilter` (exactly one; `{}` selects every user of the customer). ' +
            `Per product, \`assignedCount\` selected users hold it; \`assignedUserIds\` lists at most ${MAX_LISTED_HOLDERS} ` +
            'of them in user-list order (`assignedUserIdsTruncated: true` when there are more). Large selections ' +
            'share a per-process budget: when too many are being answered, a request waits up to 5 s for room, then ' +
            'answers 503 `overloaded` with `Retry-After`.',
          params: customerParams,
          body: licenseOverviewBody,
          bodyExamples: {
            selection: {
              summary: 'Two selected users',
              value: { userIds: ['7d4c1a52-0c39-4a83-9d39-6a4b7e1f0a11', '0b9e5f3e-54a2-4f0e-8f0e-2a1f3f7d9c22'] },
            },
            filter: { summary: 'Every user whose name contains "sales"', value: { userFilter: { search: 'sales' } } },
          },
          response: {
            200: jsonResponse(licenseOverviewSchema, 'The overview of the selection.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              422: ['unknown_users', 'unknown_product', 'too_many_users'],
              503: ['overloaded'],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const selection = selectionOf(request.body);
        const selected = await resolveUserSelection(db, customer.id, selection);
        // Held until the answer has been written (or the connection is gone): serialising it is
        // part of what it costs. Waits a few seconds for room, then 503 overloaded.
        const release = await budget.acquire(selected.length);
        for (const event of ['finish', 'close', 'error']) reply.raw.once(event, release);
        return overviewOf(customer.id, selection, selected);
      },
    );

    /** The selected users' rows, sorted as in the user list: only what the answer shows. */
    function selectedUsers(customerId: string, userIds: string[]) {
      return db
        .select({
          id: tables.users.id,
          displayName: tables.users.displayName,
          userPrincipalName: tables.users.userPrincipalName,
        })
        .from(tables.users)
        .where(
          and(eq(tables.users.customerId, customerId), sql`${tables.users.id} = any(${sql.param(userIds)}::uuid[])`),
        )
        .orderBy(asc(tables.users.displayName), asc(tables.users.userPrincipalName), asc(tables.users.id));
    }

    async function overviewOf(
      customerId: string,
      selection: UserSelection,
      selected: string[],
    ): Promise<LicenseOverview> {
      const users = selected.length ? await selectedUsers(customerId, selected) : [];
      // A filter's users exist by construction (one deleted since is simply no longer shown).
      if (selection.userIds !== undefined && users.length !== selected.length) {
        const found = new Set(users.map((u) => u.id));
        const unknown = selected.filter((id) => !found.has(id));
        throw unprocessable('unknown_users', `${unknown.length} of the selected users do not exist in this customer.`, {
          userIds: unknown,
        });
      }
      // Holders are counted in Postgres and listed up to the cap there, in user-list order: an
      // answer never carries (nor does the API hold) every holder of every product.
      const [subscriptions, holders] = await Promise.all([
        listSubscriptions(db, customerId),
        selected.length
          ? db.execute<{ product_id: string; assigned_count: number; user_ids: string[] }>(sql`
          SELECT l.product_id, count(*)::int AS assigned_count,
                 (array_agg(l.user_id ORDER BY u.display_name, u.user_principal_name, u.id))[1:${MAX_LISTED_HOLDERS}] AS user_ids
          FROM user_licenses l JOIN users u ON u.customer_id = l.customer_id AND u.id = l.user_id
          WHERE l.customer_id = ${customerId} AND l.user_id = any(${sql.param(selected)}::uuid[])
          GROUP BY l.product_id`)
          : Promise.resolve([]),
      ]);
      const products = await getProducts(
        db,
        subscriptions.map((s) => s.productId),
      );
      const holdersOf = new Map(holders.map((h) => [h.product_id, h]));
      return {
        users,
        products: subscriptions.map((s) => {
          const held = holdersOf.get(s.productId);
          const assignedCount = held?.assigned_count ?? 0;
          return {
            productId: s.productId,
            name: s.productName,
            quantity: s.quantity,
            assigned: s.assigned,
            available: s.available,
            selection:
              assignedCount === 0
                ? ('none' as const)
                : assignedCount >= users.length
                  ? ('all' as const)
                  : ('some' as const),
            assignedCount,
            assignedUserIds: held?.user_ids ?? [],
            assignedUserIdsTruncated: assignedCount > MAX_LISTED_HOLDERS,
            buyMore: s.available <= 0,
            servicePlans: (products.get(s.productId)?.servicePlans ?? []).map((p) => ({ id: p.id, name: p.name })),
          };
        }),
      };
    }
  };
}
