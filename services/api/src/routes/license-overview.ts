import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getProducts, type Db } from '@licensing/db';
import { parsingSerializerCompiler, unprocessable } from '@licensing/http';
import { partnerOf } from '../auth.ts';
import { customerInScope } from './customers.ts';
import { customerHasGroups } from '../repositories/groups.ts';
import { listSubscriptions } from '../repositories/subscriptions.ts';
import { type SelectionInDb, selectedUsersWithProducts, selectionInDb } from '../repositories/user-selection.ts';
import { customerParams } from '../schemas/customers.ts';
import {
  type LicenseOverview,
  licenseOverviewBody,
  licenseOverviewSchema,
  MAX_LISTED_HOLDERS,
} from '../schemas/license-overview.ts';
import { MAX_SELECTED_USERS, selectionOf } from '../schemas/user-selection.ts';
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
        // The answer lists every selected user (up to 50,000): see parsingSerializerCompiler.
        serializerCompiler: parsingSerializerCompiler,
        schema: {
          operationId: 'getLicenseOverview',
          tags: ['licenses'],
          summary: 'Seats and holders of every subscribed product for a selection of users',
          description:
            'The "manage licenses" page for a selection: one row per subscription of the customer. Reads only. ' +
            'Selects users by `userIds` or by `userFilter` (exactly one; `{}` selects every user of the customer). ' +
            `Per product, \`assignedCount\` selected users hold it; \`assignedUserIds\` lists at most ${MAX_LISTED_HOLDERS} ` +
            'of them in user-list order (`assignedUserIdsTruncated: true` when there are more); `groupOnlyCount` of ' +
            'them hold it through groups only, so a job cannot revoke it from them (`LicenseInheritedFromGroup`). Large selections ' +
            'share a per-process budget: when too many are being answered, a request waits up to 5 s for room, then ' +
            'answers 503 `overloaded` with `Retry-After`. A partner has one large selection (over 1,000 users) in ' +
            'progress at a time (up to four more wait 5 s for their turn), for at most a quarter of the time: past that, 429 `partner_concurrency_limit` with ' +
            '`Retry-After`, before the selection is read.',
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
              429: ['partner_concurrency_limit'],
              503: ['overloaded'],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const selection = selectionOf(request.body);
        let selected: SelectionInDb = { ids: [] };
        // Held until the answer has been written (or the connection is gone): serialising it is
        // part of what it costs. A partner's share is taken before the selection is read (429 past
        // it); then it waits a few seconds for room, or 503 overloaded.
        const release = await budget.acquireFor(
          partnerOf(request).id,
          budget.mayBeLarge(selection.userIds?.length),
          async () => {
            selected = await selectionInDb(db, customer.id, selection);
            return 'ids' in selected ? selected.ids.length : Math.min(selected.size, MAX_SELECTED_USERS);
          },
        );
        for (const event of ['finish', 'close', 'error']) reply.raw.once(event, release);
        return overviewOf(customer.id, selected);
      },
    );

    async function overviewOf(customerId: string, selected: SelectionInDb): Promise<LicenseOverview> {
      // A filter's size may be an estimate: its users are read whatever it says.
      const some = 'ids' in selected ? selected.ids.length > 0 : true;
      // Licenses held through groups only exist where the customer has groups: only then are they counted.
      const groupOnly = some && (await customerHasGroups(db, customerId));
      const [rows, subscriptions] = await Promise.all([
        some ? selectedUsersWithProducts(db, customerId, selected, { groupOnly }) : Promise.resolve([]),
        listSubscriptions(db, customerId),
      ]);
      // A filter's users exist by construction (one deleted since is simply no longer shown).
      if ('ids' in selected && rows.length !== selected.ids.length) {
        const found = new Set(rows.map((u) => u.id));
        const unknown = selected.ids.filter((id) => !found.has(id));
        throw unprocessable('unknown_users', `${unknown.length} of the selected users do not exist in this customer.`, {
          userIds: unknown,
        });
      }
      // Per product: how many of the selected users hold it, and the first MAX_LISTED_HOLDERS of
      // them in user-list order (the rows come in that order), so no answer carries every holder.
      const users = rows.map((r) => ({ id: r.id, displayName: r.displayName, userPrincipalName: r.userPrincipalName }));
      const holdersOf = new Map<string, { assignedCount: number; userIds: string[]; groupOnlyCount: number }>();
      for (const row of rows) {
        for (const productId of row.products ?? []) {
          let held = holdersOf.get(productId);
          if (!held) {
            held = { assignedCount: 0, userIds: [], groupOnlyCount: 0 };
            holdersOf.set(productId, held);
          }
          held.assignedCount++;
          if (held.userIds.length < MAX_LISTED_HOLDERS) held.userIds.push(row.id);
        }
        for (const productId of row.groupOnly ?? []) {
          const held = holdersOf.get(productId);
          if (held) held.groupOnlyCount++;
        }
      }
      const products = await getProducts(
        db,
        subscriptions.map((s) => s.productId),
      );
      return {
        users,
        products: subscriptions.map((s) => {
          const held = holdersOf.get(s.productId);
          const assignedCount = held?.assignedCount ?? 0;
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
            assignedUserIds: held?.userIds ?? [],
            assignedUserIdsTruncated: assignedCount > MAX_LISTED_HOLDERS,
            groupOnlyCount: held?.groupOnlyCount ?? 0,
            buyMore: s.available <= 0,
            servicePlans: (products.get(s.productId)?.servicePlans ?? []).map((p) => ({ id: p.id, name: p.name })),
          };
        }),
      };
    }
  };
}
