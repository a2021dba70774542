import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { getProducts, type Db } from '@licensing/db';
import { unprocessable } from '@licensing/http';
import { customerInScope } from './customers.ts';
import { findCustomerUsers } from '../repositories/users.ts';
import { listSubscriptions } from '../repositories/subscriptions.ts';
import { customerParams } from '../schemas/customers.ts';
import { licenseOverviewBody, licenseOverviewSchema } from '../schemas/license-overview.ts';

/** The "manage licenses" page for a selection of users: one row per subscription of the customer. */
export function licenseOverviewRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.post(
      '/v1/customers/:customerId/license-overview',
      {
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags: ['licenses'],
          summary: 'Seats and holders of every subscribed product for a selection of users',
          params: customerParams,
          body: licenseOverviewBody,
          response: { 200: licenseOverviewSchema },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const requested = [...new Set(request.body.userIds.map((id) => id.toLowerCase()))];
        const users = await findCustomerUsers(db, customer.id, requested);
        if (users.length !== requested.length) {
          const found = new Set(users.map((u) => u.id));
          const unknown = requested.filter((id) => !found.has(id));
          throw unprocessable(
            'unknown_users',
            `${unknown.length} of the selected users do not exist in this customer.`,
            { userIds: unknown },
          );
        }
        const [subscriptions, holders] = await Promise.all([
          listSubscriptions(db, customer.id),
          db.execute<{ product_id: string; user_ids: string[] }>(sql`
          SELECT product_id, array_agg(user_id) AS user_ids FROM user_licenses
          WHERE customer_id = ${customer.id} AND user_id = any(${sql.param(requested)}::uuid[]) GROUP BY product_id`),
        ]);
        const products = await getProducts(
          db,
          subscriptions.map((s) => s.productId),
        );
        const position = new Map(users.map((u, i) => [u.id, i]));
        const holdersOf = new Map(
          holders.map((h) => [h.product_id, h.user_ids.sort((a, b) => position.get(a)! - position.get(b)!)]),
        );
        return {
          users: users.map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName })),
          products: subscriptions.map((s) => {
            const assignedUserIds = holdersOf.get(s.productId) ?? [];
            return {
              productId: s.productId,
              name: s.productName,
              quantity: s.quantity,
              assigned: s.assigned,
              available: s.available,
              selection:
                assignedUserIds.length === 0
                  ? ('none' as const)
                  : assignedUserIds.length === users.length
                    ? ('all' as const)
                    : ('some' as const),
              assignedUserIds,
              buyMore: s.available <= 0,
              servicePlans: (products.get(s.productId)?.servicePlans ?? []).map((p) => ({ id: p.id, name: p.name })),
            };
          }),
        };
      },
    );
  };
}
