// The dry run of a group change: every affected user is evaluated by the worker's rule, streamed
// from one cursor a page at a time (nothing proportional to the group is held in memory), in one
// snapshot. Scoped by customer, which the caller has scoped to its partner. Writes nothing.
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Db, type GroupLicense, loadCatalog, postgresClientOf } from '@licensing/db';
import {
  evaluateGroupSources,
  type GroupImpact,
  GroupImpactCounter,
  type GroupLicenseRow,
  sourcesOf,
} from '@licensing/domain';
import { seatUsage } from './seats.ts';

const dialect = new PgDialect();
const PAGE = 2000;

type ImpactRow = {
  id: string;
  upn: string;
  display_name: string;
  usage_location: string | null;
  country: string;
  member_after: boolean;
  licenses: { productId: string; plans: string[]; direct: string[] | null }[] | null;
  rows: (Omit<GroupLicenseRow, 'waitingFor' | 'error'> & { waitingFor: string | null })[] | null;
};

/**
 * What a change of a group would do now. `affected` yields `(user_id, member_after)`: each user the
 * change concerns and whether it is a member of the group after it; `licensesAfter` is what the group
 * would grant. Users are evaluated in user-list order against the seats free now.
 */
export async function groupChangeImpact(
  db: Db,
  input: { customerId: string; groupId: string; affected: SQL; licensesAfter: GroupLicense[] },
): Promise<GroupImpact> {
  const { customerId, groupId } = input;
  return db.transaction(
    async (tx) => {
      const productIds = input.licensesAfter.map((l) => l.productId);
      const [catalog, usage, quantities] = await Promise.all([
        loadCatalog(tx),
        seatUsage(tx, customerId, productIds),
        tx.execute<{ product_id: string; quantity: number }>(sql`
          SELECT product_id, quantity FROM subscriptions
          WHERE customer_id = ${customerId} AND product_id = any(${sql.param(productIds)}::text[])`),
      ]);
      const available = new Map(
        quantities.map((q) => {
          const used = usage.get(q.product_id)!;
          return [q.product_id, q.quantity - used.assigned - used.reserved];
        }),
      );
      const counter = new GroupImpactCounter(available);
      const query = dialect.sqlToQuery(sql`
        SELECT u.id, u.user_principal_name AS upn, u.display_name, u.usage_location, c.country, a.member_after,
          (SELECT json_agg(json_build_object('productId', l.product_id, 'plans', l.disabled_service_plans,
                    'direct', CASE WHEN l.direct THEN coalesce(l.direct_disabled_service_plans, l.disabled_service_plans) END)
                  ORDER BY l.assigned_at, l.product_id)
           FROM user_licenses l WHERE l.customer_id = u.customer_id AND l.user_id = u.id) AS licenses,
          (SELECT json_agg(json_build_object('groupId', s.group_id, 'productId', s.product_id, 'state', s.state,
                    'applied', s.applied, 'disabledServicePlans', s.disabled_service_plans, 'waitingFor', s.waiting_for))
           FROM group_license_states s WHERE s.customer_id = u.customer_id AND s.user_id = u.id) AS rows
        FROM (SELECT user_id, bool_or(member_after) AS member_after FROM (${input.affected}) x GROUP BY user_id) a
        JOIN users u ON u.customer_id = ${customerId} AND u.id = a.user_id
        JOIN customers c ON c.id = u.customer_id
        ORDER BY u.display_name, u.user_principal_name, u.id`);
      const pg = postgresClientOf(tx);
      for await (const page of pg.unsafe<ImpactRow[]>(query.sql, query.params as never[]).cursor(PAGE)) {
        for (const r of page) {
          const licenses = (r.licenses ?? []).map((l) => ({ productId: l.productId, disabledServicePlans: l.plans }));
          const rows: GroupLicenseRow[] = (r.rows ?? []).map(({ waitingFor, ...row }) => ({
            ...row,
            ...(waitingFor ? { waitingFor } : {}),
          }));
          const evaluation = evaluateGroupSources({
            catalog,
            user: { usageLocation: r.usage_location, customerCountry: r.country, licenses },
            sources: sourcesOf(
              (r.licenses ?? []).map((l) => ({ productId: l.productId, directDisabledServicePlans: l.direct })),
              rows,
            ),
            groupId,
            desired: r.member_after ? input.licensesAfter : [],
            rows: rows.filter((row) => row.groupId === groupId),
            hasSeat: counter.hasSeat,
          });
          counter.add({ userId: r.id, userPrincipalName: r.upn, displayName: r.display_name }, evaluation);
        }
      }
      return counter.result();
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
