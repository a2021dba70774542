import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { getProduct, retryOnConflict, sqlState, type Db } from '@licensing/db';
import { conflict, notFound } from '@licensing/http';
import { partnerOf } from '../auth.ts';
import { pathId } from '../ids.ts';
import {
  createCustomer,
  customerJson,
  getCustomer,
  listCustomers,
  type CustomerRow,
} from '../repositories/customers.ts';
import { deleteUser, existingPrincipalNames, getUser, insertUsers, listUsers } from '../repositories/users.ts';
import { listSubscriptions, setSubscriptionQuantity } from '../repositories/subscriptions.ts';
import { paged, pagedSchema, pageQuery } from '../schemas/common.ts';
import { createCustomerBody, customerParams, customerSchema } from '../schemas/customers.ts';
import {
  createUserBody,
  createUsersBatchBody,
  listUsersQuery,
  userParams,
  userSchema,
  type CreateUser,
} from '../schemas/users.ts';
import { putSubscriptionBody, subscriptionParams, subscriptionSchema } from '../schemas/subscriptions.ts';
import { z } from 'zod';

/** The customer named in the path, if it belongs to the caller's partner; otherwise 404. */
export async function customerInScope(db: Db, request: FastifyRequest, customerIdParam: string): Promise<CustomerRow> {
  const customerId = pathId(customerIdParam, 'Customer');
  const customer = await getCustomer(db, partnerOf(request).id, customerId);
  if (!customer) throw notFound('Customer');
  return customer;
}

const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

export function customerRoutes(deps: { db: Db }): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.post(
      '/v1/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Create a customer',
          body: createCustomerBody,
          response: { 201: customerSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(customerJson(await createCustomer(db, partnerOf(request).id, request.body))),
    );

    app.get(
      '/v1/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'List customers',
          querystring: pageQuery,
          response: { 200: pagedSchema(customerSchema) },
        },
      },
      async (request) => {
        const { items, total } = await listCustomers(db, partnerOf(request).id, request.query);
        return paged(items.map(customerJson), request.query, total);
      },
    );

    app.get(
      '/v1/customers/:customerId',
      {
        schema: {
          tags: ['customers'],
          summary: 'Get a customer',
          params: customerParams,
          response: { 200: customerSchema },
        },
      },
      async (request) => customerJson(await customerInScope(db, request, request.params.customerId)),
    );

    const createUsers = async (customerId: string, users: CreateUser[]) => {
      const seen = new Set<string>();
      const duplicates = users
        .map((u) => u.userPrincipalName)
        .filter((n) => seen.size === seen.add(n.toLowerCase()).size);
      if (duplicates.length)
        throw conflict('duplicate_user_principal_name', `The request repeats ${duplicates.slice(0, 10).join(', ')}.`, {
          userPrincipalNames: duplicates,
        });
      try {
        return await insertUsers(db, customerId, users);
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
        );
      }
    };

    app.post(
      '/v1/customers/:customerId/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user',
          params: customerParams,
          body: createUserBody,
          response: { 201: userSchema },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const [user] = await createUsers(customer.id, [request.body]);
        return reply.status(201).send(user!);
      },
    );

    app.post(
      '/v1/customers/:customerId/users/batch',
      {
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          tags: ['users'],
          summary: 'Create up to 10,000 users, all or nothing',
          params: customerParams,
          body: createUsersBatchBody,
          response: { 201: z.object({ items: z.array(userSchema) }) },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        return reply.status(201).send({ items: await createUsers(customer.id, request.body.users) });
      },
    );

    app.get(
      '/v1/customers/:customerId/users',
      {
        schema: {
          tags: ['users'],
          summary: 'List users, sorted by displayName then userPrincipalName',
          params: customerParams,
          querystring: listUsersQuery,
          response: { 200: pagedSchema(userSchema) },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const { items, total } = await listUsers(db, customer.id, request.query);
        return paged(items, request.query, total);
      },
    );

    app.get(
      '/v1/customers/:customerId/users/:userId',
      {
        schema: { tags: ['users'], summary: 'Get a user', params: userParams, response: { 200: userSchema } },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const user = await getUser(db, customer.id, pathId(request.params.userId, 'User'));
        if (!user) throw notFound('User');
        return user;
      },
    );

    app.delete(
      '/v1/customers/:customerId/users/:userId',
      {
        schema: {
          tags: ['users'],
          summary: 'Delete a user and free its seats',
          params: userParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const userId = pathId(request.params.userId, 'User');
        if (!(await retryOnConflict(() => db.transaction((tx) => deleteUser(tx, customer.id, userId)))))
          throw notFound('User');
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/customers/:customerId/subscriptions/:productId',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'Create a subscription or set its quantity',
          params: subscriptionParams,
          body: putSubscriptionBody,
          response: { 200: subscriptionSchema },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        const product = await getProduct(db, request.params.productId);
        if (!product) throw notFound(`Product "${request.params.productId}"`);
        return retryOnConflict(() =>
          db.transaction((tx) => setSubscriptionQuantity(tx, customer.id, product, request.body.quantity)),
        );
      },
    );

    app.get(
      '/v1/customers/:customerId/subscriptions',
      {
        schema: {
          tags: ['subscriptions'],
          summary: "List the customer's subscriptions with seat counts",
          params: customerParams,
          response: { 200: z.object({ items: z.array(subscriptionSchema) }) },
        },
      },
      async (request) => {
        const customer = await customerInScope(db, request, request.params.customerId);
        return { items: await listSubscriptions(db, customer.id) };
      },
    );
  };
}
