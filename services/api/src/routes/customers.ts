import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  type DeliveryRef,
  drainWaitingRoom,
  finalizeJobsIfDone,
  getProduct,
  retryOnConflict,
  sqlState,
  type Db,
  type TableMaintenance,
} from '@licensing/db';
import { conflict, notFound, parsingSerializerCompiler, unprocessable } from '@licensing/http';
import { invisibleCharacters, userPrincipalNameKey } from '@licensing/domain';
import { callerReaches, partnerOf } from '../auth.ts';
import { auditChange } from '../audit.ts';
import { pathId } from '../ids.ts';
import {
  createCustomer,
  customerJson,
  getCustomer,
  listCustomers,
  type CustomerRow,
} from '../repositories/customers.ts';
import {
  deleteUser,
  existingPrincipalNames,
  getUser,
  insertUsers,
  listUsers,
  updateUser,
} from '../repositories/users.ts';
import { listSubscriptions, setSubscriptionQuantity } from '../repositories/subscriptions.ts';
import { groupJobsForChangedUsers } from '../repositories/groups.ts';
import type { TaskEnqueuer } from '../enqueue.ts';
import { paged, pagedSchema, pageQuery } from '../schemas/common.ts';
import {
  HEADERS,
  JSON_BODY_PROBLEMS,
  jsonResponse,
  noContent,
  PREFER,
  prefersMinimal,
  problemResponses,
  requestHeaders,
} from '../schemas/openapi.ts';
import { checkFilterProducts } from '../repositories/user-selection.ts';
import { listLicenseHistory } from '../repositories/license-history.ts';
import { createCustomerBody, customerParams, customerSchema } from '../schemas/customers.ts';
import {
  createdUsersSchema,
  createUserBody,
  createUsersBatchBody,
  licenseHistoryEntrySchema,
  listUsersQuery,
  updateUserBody,
  userPageSchema,
  userParams,
  userSchema,
  type CreateUser,
} from '../schemas/users.ts';
import {
  putSubscriptionBody,
  subscriptionListSchema,
  subscriptionParams,
  subscriptionSchema,
} from '../schemas/subscriptions.ts';

/**
 * The customer named in the path, if it belongs to the caller's partner and the caller's key may
 * reach it (a key limited to other customers is answered as if it did not exist); otherwise 404.
 */
export async function customerInScope(db: Db, request: FastifyRequest, customerIdParam: string): Promise<CustomerRow> {
  const customerId = pathId(customerIdParam, 'customer');
  if (!callerReaches(request, customerId)) throw notFound('customer');
  const customer = await getCustomer(db, partnerOf(request).id, customerId);
  if (!customer) throw notFound('customer');
  return customer;
}

const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** `readDb` may be a streaming replica: lists read from it, everything else from the primary. */
export function customerRoutes(deps: {
  db: Db;
  readDb?: Db;
  /** Where the webhook events of jobs finished by a user's deletion are handed to the delivery worker. */
  onDeliveriesRecorded?: (refs: DeliveryRef[], log: FastifyBaseLogger) => Promise<void>;
  /** Told how many users each import wrote (they are analysed after bulk loads). */
  maintenance?: TableMaintenance;
  /** Enqueues the tasks of group jobs that users' changes make (dynamic groups). */
  enqueuer?: TaskEnqueuer;
}): FastifyPluginAsyncZod {
  const { db } = deps;
  const readDb = deps.readDb ?? db;
  /** Once committed: the tasks of the group jobs a change of users made go to the queue. */
  const enqueueGroupJobs = (request: FastifyRequest, customerId: string, jobs: { id: string; userCount: number }[]) => {
    for (const job of jobs)
      deps.enqueuer?.enqueueJobItems({
        id: job.id,
        partnerId: partnerOf(request).id,
        customerId,
        userCount: job.userCount,
      });
  };
  /** Gives free seats to waiting members once a change that frees seats has committed. */
  const drainWaitingRoomOf = async (request: FastifyRequest, customerId: string) => {
    const jobs = await drainWaitingRoom(db, customerId).catch((err: unknown) => {
      // The worker's reconciler drains every waiting room on each tick: only late, never lost.
      request.log.warn({ err }, 'draining the waiting room failed; the reconciler will');
      return [];
    });
    for (const job of jobs) deps.enqueuer?.enqueueJobItems(job);
  };
  return async (app) => {
    app.post(
      '/v1/customers',
      {
        config: { scope: 'users:write', allCustomers: true },
        schema: {
          operationId: 'createCustomer',
          tags: ['customers'],
          summary: 'Create a customer',
          description: 'Creates a customer of the calling partner.',
          body: createCustomerBody,
          bodyExamples: { customer: { summary: 'A customer in the US', value: { name: 'Fabrikam', country: 'US' } } },
          response: {
            201: jsonResponse(customerSchema, 'The customer was created.', { Location: HEADERS.location }),
            ...problemResponses(JSON_BODY_PROBLEMS),
          },
        },
      },
      async (request, reply) => {
        const customer = customerJson(
          await db.transaction(async (tx) => {
            const created = await createCustomer(tx, partnerOf(request).id, request.body);
            await auditChange(tx, request, created.id, 'customer.created', {
              name: created.name,
              country: created.country,
            });
            return created;
          }),
        );
        return reply.status(201).header('location', `/v1/customers/${customer.id}`).send(customer);
      },
    );

    app.get(
      '/v1/customers',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listCustomers',
          tags: ['customers'],
          summary: 'List customers',
          description:
            "The calling partner's customers, oldest first; with a key limited to some customers, only those.",
          querystring: pageQuery,
          response: {
            200: jsonResponse(pagedSchema(customerSchema, 'CustomerPage'), 'A page of customers.'),
            ...problemResponses(400),
          },
        },
      },
      async (request) => {
        const caller = partnerOf(request);
        const { items, total } = await listCustomers(readDb, caller.id, request.query, caller.customerIds);
        return paged(items.map(customerJson), request.query, total);
      },
    );

    app.get(
      '/v1/customers/:customerId',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getCustomer',
          tags: ['customers'],
          summary: 'Get a customer',
          description: "One of the calling partner's customers.",
          params: customerParams,
          response: { 200: jsonResponse(customerSchema, 'The customer.'), ...problemResponses(400, 404) },
        },
      },
      async (request) => customerJson(await customerInScope(db, request, request.params.customerId)),
    );

    const createUsers = async (request: FastifyRequest, customer: CustomerRow, users: CreateUser[]) => {
      const customerId = customer.id;
      const invisible = users
        .map((u) => ({ userPrincipalName: u.userPrincipalName, characters: invisibleCharacters(u.userPrincipalName) }))
        .filter((u) => u.characters.length > 0);
      if (invisible.length)
        throw unprocessable(
          'invisible_characters',
          `User principal names must not contain invisible or format characters: ${invisible
            .slice(0, 10)
            .map((u) => `${JSON.stringify(u.userPrincipalName)} (${u.characters.join(', ')})`)
            .join('; ')}.`,
          { userPrincipalNames: invisible.map((u) => u.userPrincipalName) },
          {
            examples: invisible
              .slice(0, 10)
              .map((u) => `${JSON.stringify(u.userPrincipalName)} (${u.characters.join(', ')})`)
              .join('; '),
          },
        );
      const seen = new Set<string>();
      const duplicates = users
        .map((u) => u.userPrincipalName)
        .filter((n) => seen.size === seen.add(userPrincipalNameKey(n)).size);
      if (duplicates.length)
        throw conflict('duplicate_user_principal_name', `The request repeats ${duplicates.slice(0, 10).join(', ')}.`, {
          userPrincipalNames: duplicates,
        });
      let groupJobs: { id: string; userCount: number }[] = [];
      try {
        const created = await db.transaction(async (tx) => {
          const created = await insertUsers(tx, customerId, users);
          await auditChange(tx, request, customerId, 'user.created', {
            count: created.length,
            ...(created.length === 1
              ? { userId: created[0]!.id, userPrincipalName: created[0]!.userPrincipalName }
              : {}),
          });
          // New users join the dynamic groups whose rules select them, in the same transaction.
          groupJobs = await groupJobsForChangedUsers(tx, {
            partnerId: partnerOf(request).id,
            customerId,
            userIds: created.map((u) => u.id),
            country: customer.country,
          });
          return created;
        });
        enqueueGroupJobs(request, customerId, groupJobs);
        deps.maintenance?.noteWrites('users', created.length);
        return created;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const taken = await existingPrincipalNames(
          db,
          customerId,
          users.map((u) => u.userPrincipalName),
        );
        throw conflict(
          'duplicate_user_principal_name',
          `The customer already has ${taken.slice(0, 10).join(', ') || 'one of these users'}.`,
          { userPrincipalNames: taken },
          { taken: true },
        );
      }
    };

    app.post(
      '/v1/customers/:customerId/users',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'createUser',
          tags: ['users'],
          summary: 'Create a user',
          description: 'Creates a user of the customer, holding no licenses.',
          params: customerParams,
          body: createUserBody,
          bodyExamples: {
            user: {
              summary: 'A user located in Germany',
              value: {
                userPrincipalName: 'ada@fabrikam.example',
                displayName: 'Ada Lovelace',
                usageLocation: 'DE',
                department: 'Research',
              },
            },
          },
          response: {
            201: jsonResponse(userSchema, 'The user was created.', { Location: HEADERS.location }),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              409: ['duplicate_user_principal_name'],
              422: ['invisible_characters'],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const [user] = await createUsers(request, customer, [request.body]);
        return reply.status(201).header('location', `/v1/customers/${customer.id}/users/${user!.id}`).send(user!);
      },
    );

    app.post(
      '/v1/customers/:customerId/users/batch',
      {
        config: { scope: 'users:write' },
        bodyLimit: 16 * 1024 * 1024,
        serializerCompiler: parsingSerializerCompiler,
        schema: {
          operationId: 'createUsersBatch',
          tags: ['users'],
          summary: 'Create up to 10,000 users, all or nothing',
          description:
            'Creates every user of the request in one transaction, or none of them. With `Prefer: return=minimal` ' +
            '(RFC 7240), the answer is `204` without a body and `Preference-Applied: return=minimal`: an import that ' +
            'needs no ids saves reading 10,000 users back.',
          params: customerParams,
          headers: requestHeaders({ prefer: PREFER }),
          body: createUsersBatchBody,
          bodyExamples: {
            twoUsers: {
              summary: 'Two users',
              value: {
                users: [
                  { userPrincipalName: 'ada@fabrikam.example', displayName: 'Ada Lovelace' },
                  { userPrincipalName: 'alan@fabrikam.example', displayName: 'Alan Turing', usageLocation: 'GB' },
                ],
              },
            },
          },
          response: {
            201: jsonResponse(createdUsersSchema, 'Every user was created.'),
            204: noContent('Every user was created (`Prefer: return=minimal`; `Preference-Applied: return=minimal`).'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, {
              409: ['duplicate_user_principal_name'],
              422: ['invisible_characters'],
            }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const items = await createUsers(request, customer, request.body.users);
        if (prefersMinimal(request.headers.prefer))
          return reply.header('preference-applied', 'return=minimal').status(204).send();
        return reply.status(201).send({ items });
      },
    );

    app.get(
      '/v1/customers/:customerId/users',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listUsers',
          tags: ['users'],
          summary: 'List users, sorted by displayName then userPrincipalName',
          description:
            "The customer's users with their licenses. The filters `search`, `hasProduct`, `lacksProduct`, " +
            '`licensed` and `department` (exact match) combine (every one given must hold) and select exactly as the ' +
            'same `userFilter` does in a body. `search` matches any part of the display name or the user principal ' +
            'name, regardless of case, accents and Unicode form. A product the catalog does not have → 422 ' +
            "`unknown_product`. Where a filter matches many of a large customer's users, `total` is estimated from a " +
            'sample (`totalIsEstimate: true`).',
          params: customerParams,
          querystring: listUsersQuery,
          response: {
            200: jsonResponse(userPageSchema, 'A page of users.'),
            ...problemResponses(400, 404, { 422: ['unknown_product'] }),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        await checkFilterProducts(db, request.query);
        const { items, total, totalIsEstimate } = await listUsers(readDb, customer.id, request.query);
        return { ...paged(items, request.query, total), totalIsEstimate };
      },
    );

    app.get(
      '/v1/customers/:customerId/users/:userId',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getUser',
          tags: ['users'],
          summary: 'Get a user',
          description: 'One user of the customer with its licenses.',
          params: userParams,
          response: { 200: jsonResponse(userSchema, 'The user.'), ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const user = await getUser(db, customer.id, pathId(request.params.userId, 'user'));
        if (!user) throw notFound('user');
        return user;
      },
    );

    app.patch(
      '/v1/customers/:customerId/users/:userId',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'updateUser',
          tags: ['users'],
          summary: "Change a user's display name, usage location or department",
          description:
            "Only the fields given change; `usageLocation: null` clears it, and the customer's country applies again; " +
            '`department: null` clears the department. ' +
            'The user keeps its licenses as they are (jobs check usage-location rules when they apply).',
          params: userParams,
          body: updateUserBody,
          bodyExamples: {
            move: { summary: 'The user moved to France', value: { usageLocation: 'FR' } },
            rename: { summary: 'A new display name', value: { displayName: 'Adele Vance' } },
            clear: { summary: "Back to the customer's country", value: { usageLocation: null } },
            department: { summary: 'The user moved to another department', value: { department: 'Sales' } },
          },
          response: {
            200: jsonResponse(userSchema, 'The user as changed.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const userId = pathId(request.params.userId, 'user');
        const { user, groupJobs } = await retryOnConflict(() =>
          db.transaction(async (tx) => {
            const updated = await updateUser(tx, customer.id, userId, request.body);
            if (!updated) return { user: undefined, groupJobs: [] };
            await auditChange(tx, request, customer.id, 'user.updated', { userId, changes: request.body });
            // The user joins and leaves dynamic groups as its fields now say, and is evaluated again
            // where it waits or failed (a new usage location may lift a refusal).
            const groupJobs = await groupJobsForChangedUsers(tx, {
              partnerId: partnerOf(request).id,
              customerId: customer.id,
              userIds: [userId],
              country: customer.country,
            });
            return { user: updated, groupJobs };
          }),
        );
        if (!user) throw notFound('user');
        enqueueGroupJobs(request, customer.id, groupJobs);
        return user;
      },
    );

    app.get(
      '/v1/customers/:customerId/users/:userId/license-history',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listUserLicenseHistory',
          tags: ['users'],
          summary: "A user's license history, newest first",
          description:
            'Every change a job applied to the user, or refused for it (`outcome: failed` with `error`), one item per ' +
            'product and action, newest job first. Users a cancelled job never reached had nothing applied and are not ' +
            "listed. Kept as long as the jobs themselves (the worker's JOB_RETENTION_DAYS).",
          params: userParams,
          querystring: pageQuery,
          response: {
            200: jsonResponse(
              pagedSchema(licenseHistoryEntrySchema, 'LicenseHistoryPage'),
              'A page of the history, newest first.',
            ),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const user = await getUser(db, customer.id, pathId(request.params.userId, 'user'));
        if (!user) throw notFound('user');
        const { items, total } = await listLicenseHistory(db, customer.id, user.id, request.query);
        return paged(items, request.query, total);
      },
    );

    app.delete(
      '/v1/customers/:customerId/users/:userId',
      {
        config: { scope: 'users:write' },
        schema: {
          operationId: 'deleteUser',
          tags: ['users'],
          summary: 'Delete a user and free its seats',
          description:
            'Deletes the user; the seats of the licenses it held, and those that unfinished jobs reserved for it, are ' +
            'free at once. Its users still pending in those jobs end `failed` with `UserNotFound`.',
          params: userParams,
          response: { 204: noContent('The user was deleted.'), ...problemResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const userId = pathId(request.params.userId, 'user');
        const deleted = await retryOnConflict(() =>
          db.transaction(async (tx) => {
            const gone = await deleteUser(tx, customer.id, userId);
            if (gone) await auditChange(tx, request, customer.id, 'user.deleted', { userId });
            return gone;
          }),
        );
        if (!deleted) throw notFound('user');
        // The user's seats are free: members waiting for one take them.
        await drainWaitingRoomOf(request, customer.id);
        // A job whose last pending user this was is finished now, not when a worker comes by.
        const finished = await finalizeJobsIfDone(
          db,
          deleted.jobIds.map((id) => ({ customerId: customer.id, id })),
        );
        const deliveries = finished.flatMap((job) => [job.delivery, job.groupDelivery].filter((d) => d !== undefined));
        if (deliveries.length > 0) await deps.onDeliveriesRecorded?.(deliveries, request.log);
        return reply.status(204).send();
      },
    );

    app.put(
      '/v1/customers/:customerId/subscriptions/:productId',
      {
        config: { scope: 'subscriptions:write' },
        schema: {
          operationId: 'putSubscription',
          tags: ['subscriptions'],
          summary: 'Create a subscription or set its quantity',
          description:
            'Creates the subscription, or sets its quantity ("buy more" is a higher quantity). The quantity can never ' +
            'fall below the seats assigned and reserved.',
          params: subscriptionParams,
          body: putSubscriptionBody,
          bodyExamples: { quantity: { summary: '100 seats', value: { quantity: 100 } } },
          response: {
            200: jsonResponse(subscriptionSchema, 'The subscription with its seat counts.'),
            ...problemResponses(JSON_BODY_PROBLEMS, 404, { 409: ['quantity_below_usage'] }),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const product = await getProduct(db, request.params.productId);
        if (!product) throw notFound('product', request.params.productId);
        const subscription = await retryOnConflict(() =>
          db.transaction(async (tx) => {
            // Locked first, so the old quantity recorded is the one this change replaces.
            const [old] = await tx.execute<{ quantity: number }>(
              sql`SELECT quantity FROM subscriptions WHERE customer_id = ${customer.id} AND product_id = ${product.id} FOR UPDATE`,
            );
            const subscription = await setSubscriptionQuantity(tx, customer.id, product, request.body.quantity);
            await auditChange(tx, request, customer.id, 'subscription.updated', {
              productId: product.id,
              oldQuantity: old?.quantity ?? null,
              newQuantity: request.body.quantity,
            });
            return subscription;
          }),
        );
        // A quantity raised frees seats: members waiting for one are licensed now, oldest first.
        if (subscription.waiting > 0) await drainWaitingRoomOf(request, customer.id);
        return subscription;
      },
    );

    app.get(
      '/v1/customers/:customerId/subscriptions',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listSubscriptions',
          tags: ['subscriptions'],
          summary: "List the customer's subscriptions with seat counts",
          description: 'Every subscription of the customer: quantity, assigned, reserved and available seats.',
          params: customerParams,
          response: {
            200: jsonResponse(subscriptionListSchema, 'The subscriptions.'),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        return { items: await listSubscriptions(db, customer.id) };
      },
    );
  };
}
