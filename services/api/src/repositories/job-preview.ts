// What a preview reads: the selected users with their licenses, the seats of the assigned products,
// and the catalog, all scoped by the customer (already scoped to the caller's partner) and read in one
// snapshot. Set-based: a fixed number of statements whatever the number of users. Writes nothing.
import { sql } from 'drizzle-orm';
import { loadCatalog, type DbOrTx } from '@licensing/db';
import type { Catalog, License, LicenseSources, PreviewUser } from '@licensing/domain';
import { seatUsage } from './seats.ts';
import { inSelection, selectionLimit, type SelectionInDb } from './user-selection.ts';

export interface PreviewState {
  catalog: Catalog;
  /**
   * The selected users of the customer that exist, in user-list order (of a filter, at most
   * MAX_SELECTED_USERS + 1: see checkSelectedCount).
   */
  users: PreviewUser[];
  /** Assigned products the customer has a subscription to, with the seats free now. */
  available: Map<string, number>;
}

/** Must run in a read-only, repeatable-read transaction, so every read sees the same moment. */
export async function readPreviewState(
  tx: DbOrTx,
  customerId: string,
  selection: SelectionInDb | string[],
  assignedProducts: string[],
): Promise<PreviewState> {
  const selected = Array.isArray(selection) ? { ids: selection } : selection;
  const [users, licenses, quantities, usage, catalog] = await Promise.all([
    tx.execute<{ id: string; upn: string; display_name: string; usage_location: string | null }>(sql`
      SELECT u.id, u.user_principal_name AS upn, u.display_name, u.usage_location FROM users u
      WHERE u.customer_id = ${customerId} AND ${inSelection(sql`u.id`, selected)}
      ORDER BY u.display_name, u.user_principal_name, u.id ${selectionLimit(selected)}`),
    tx.execute<{
      user_id: string;
      product_id: string;
      disabled_service_plans: string[];
      direct_plans: string[] | null;
      group_sources: { groupId: string; disabledServicePlans: string[] }[] | null;
    }>(sql`
      SELECT l.user_id, l.product_id, l.disabled_service_plans,
        CASE WHEN l.direct THEN coalesce(l.direct_disabled_service_plans, l.disabled_service_plans) END AS direct_plans,
        (SELECT json_agg(json_build_object('groupId', s.group_id, 'disabledServicePlans', s.disabled_service_plans) ORDER BY s.group_id)
         FROM group_license_states s
         WHERE s.customer_id = l.customer_id AND s.user_id = l.user_id AND s.product_id = l.product_id AND s.applied) AS group_sources
      FROM user_licenses l
      WHERE l.customer_id = ${customerId} AND ${inSelection(sql`l.user_id`, selected)}
      ORDER BY l.user_id, l.assigned_at, l.product_id`),
    assignedProducts.length
      ? tx.execute<{ product_id: string; quantity: number }>(sql`
          SELECT product_id, quantity FROM subscriptions
          WHERE customer_id = ${customerId} AND product_id = any(${sql.param(assignedProducts)}::text[])`)
      : Promise.resolve([]),
    seatUsage(tx, customerId, assignedProducts),
    loadCatalog(tx),
  ]);
  const byUser = new Map<string, License[]>();
  // Only licenses with a group source are listed: the others have the direct source alone.
  const sourcesByUser = new Map<string, Map<string, LicenseSources>>();
  for (const l of licenses) {
    let list = byUser.get(l.user_id);
    if (!list) {
      list = [];
      byUser.set(l.user_id, list);
    }
    list.push({ productId: l.product_id, disabledServicePlans: l.disabled_service_plans });
    if (l.group_sources?.length || l.direct_plans === null) {
      let sources = sourcesByUser.get(l.user_id);
      if (!sources) {
        sources = new Map();
        sourcesByUser.set(l.user_id, sources);
      }
      sources.set(l.product_id, { direct: l.direct_plans, groups: l.group_sources ?? [] });
    }
  }
  const available = new Map<string, number>();
  for (const q of quantities) {
    const { assigned, reserved } = usage.get(q.product_id)!;
    available.set(q.product_id, q.quantity - assigned - reserved);
  }
  return {
    catalog,
    users: [...users].map((u) => ({
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.display_name,
      usageLocation: u.usage_location,
      licenses: byUser.get(u.id) ?? [],
      ...(sourcesByUser.has(u.id) ? { sources: sourcesByUser.get(u.id)! } : {}),
    })),
    available,
  };
}
