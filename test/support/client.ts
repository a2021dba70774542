import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Product } from '@licensing/domain';
import type { Sql } from '@licensing/db';
import { OPERATOR_TOKEN } from './test-env.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** An API app, called in process, or the base URL of an API process (`http://127.0.0.1:port`). */
export type ApiTarget = FastifyInstance | string;

export async function call<T = any>(
  app: ApiTarget,
  method: Method,
  url: string,
  token?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const allHeaders = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  let status: number;
  let text: string;
  let replyHeaders: Record<string, unknown>;
  if (typeof app === 'string') {
    const res = await fetch(app + url, {
      method,
      headers: payload === undefined ? allHeaders : { 'content-type': 'application/json', ...allHeaders },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    status = res.status;
    text = await res.text();
    replyHeaders = Object.fromEntries(res.headers);
  } else {
    const options: InjectOptions = { method, url, headers: allHeaders };
    if (payload !== undefined) options.payload = payload as InjectOptions['payload'];
    const res = await app.inject(options);
    status = res.statusCode;
    text = res.body;
    replyHeaders = res.headers;
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status, body: body as T, headers: replyHeaders };
}

/** A partner's view of the API, as a portal would use it. */
export class PartnerClient {
  constructor(
    readonly api: ApiTarget,
    readonly apiKey: string,
    /** The partner's id, where the client was created for a new partner. */
    readonly id = '',
  ) {}

  static async create(api: ApiTarget, name = 'Contoso Partner'): Promise<PartnerClient> {
    const res = await call(api, 'POST', '/v1/admin/partners', OPERATOR_TOKEN, { name });
    expect(res.status).toBe(201);
    return new PartnerClient(api, res.body.apiKey, res.body.id);
  }

  call<T = any>(method: Method, url: string, payload?: unknown, headers?: Record<string, string>) {
    return call<T>(this.api, method, url, this.apiKey, payload, headers);
  }

  /** A key this one issues under /v1/keys (scopes, customers, expiry), as a client of its own, with its id. */
  async issueKey(key: {
    name?: string;
    scopes: string[];
    customerIds?: string[] | null;
    expiresAt?: string;
  }): Promise<PartnerClient & { keyId: string }> {
    const res = await this.call('POST', '/v1/keys', { name: key.name ?? `Key ${key.scopes.join(' ')}`, ...key });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return Object.assign(new PartnerClient(this.api, res.body.apiKey), { keyId: res.body.id as string });
  }

  async customer(name = 'Fabrikam', country = 'US'): Promise<string> {
    const res = await this.call('POST', '/v1/customers', { name, country });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async users(
    customerId: string,
    count: number,
    make: (i: number) => Record<string, unknown> = () => ({}),
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 10_000) {
      const users = Array.from({ length: Math.min(10_000, count - start) }, (_, k) => {
        const i = start + k;
        return {
          userPrincipalName: `user${String(i).padStart(6, '0')}@fabrikam.example`,
          displayName: `User ${String(i).padStart(6, '0')}`,
          ...make(i),
        };
      });
      const res = await this.call('POST', `/v1/customers/${customerId}/users/batch`, { users });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
      ids.push(...res.body.items.map((u: { id: string }) => u.id));
    }
    return ids;
  }

  async subscribe(customerId: string, productId: string, quantity: number) {
    const res = await this.call('PUT', `/v1/customers/${customerId}/subscriptions/${productId}`, { quantity });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async subscriptions(
    customerId: string,
  ): Promise<Record<string, { quantity: number; assigned: number; reserved: number; available: number }>> {
    const res = await this.call('GET', `/v1/customers/${customerId}/subscriptions`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.items.map((s: any) => [s.productId, s]));
  }

  async startJob(customerId: string, body: unknown, headers?: Record<string, string>) {
    return this.call('POST', `/v1/customers/${customerId}/license-jobs`, body, headers);
  }

  /** Polls the job as a client would, honouring Retry-After loosely (fast in tests). */
  async waitForJob(customerId: string, jobId: string, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.call('GET', `/v1/customers/${customerId}/license-jobs/${jobId}`);
      expect(res.status).toBe(200);
      if (res.body.finishedAt) return res.body;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} not finished after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async results(customerId: string, jobId: string, status?: string): Promise<any[]> {
    const items: any[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(
        'GET',
        `/v1/customers/${customerId}/license-jobs/${jobId}/results?page=${page}&pageSize=500${status ? `&status=${status}` : ''}`,
      );
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      if (page >= res.body.totalPages) return items;
    }
  }
}

export async function putProduct(catalog: FastifyInstance, product: Product) {
  const res = await call(catalog, 'PUT', `/v1/products/${product.id}`, OPERATOR_TOKEN, product);
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

/**
 * The contract's seat invariant, checked straight in Postgres for every subscription:
 * 0 <= assigned + reserved <= quantity, assigned = holders, and no reservation left once no job runs;
 * the reserved seats counters equal what the pending items reserve, and the kept numbers of holders
 * the licenses.
 */
export async function expectSeatInvariant(sql: Sql) {
  const rows = await sql<
    { customer_id: string; product_id: string; quantity: number; assigned: number; reserved: number }[]
  >`
    SELECT s.customer_id, s.product_id, s.quantity,
      (SELECT count(*) FROM user_licenses l WHERE l.customer_id = s.customer_id AND l.product_id = s.product_id)::int AS assigned,
      (SELECT count(*) FROM seat_reservations r WHERE r.customer_id = s.customer_id AND r.product_id = s.product_id)::int AS reserved
    FROM subscriptions s`;
  for (const r of rows) {
    expect(
      r.assigned + r.reserved,
      `${r.product_id}: assigned ${r.assigned} + reserved ${r.reserved} <= quantity ${r.quantity}`,
    ).toBeLessThanOrEqual(r.quantity);
  }
  const [{ running }] = await sql<
    { running: number }[]
  >`SELECT count(*)::int AS running FROM license_jobs WHERE finished_at IS NULL`;
  if (running === 0) {
    const [{ reserved }] = await sql<{ reserved: number }[]>`SELECT count(*)::int AS reserved FROM seat_reservations`;
    expect(reserved, 'no seat stays reserved once no job is running').toBe(0);
  }
  // The reserved seats counters that seat reads use equal the reservations of the pending items.
  const drift = await sql<{ customer_id: string; product_id: string; counter: number; items: number }[]>`
    SELECT coalesce(c.customer_id, i.customer_id) AS customer_id, coalesce(c.product_id, i.product_id) AS product_id,
      coalesce(c.reserved, 0) AS counter, coalesce(i.n, 0) AS items
    FROM reserved_seats c
    FULL JOIN (SELECT customer_id, product_id, count(*)::int AS n FROM seat_reservations GROUP BY 1, 2) i
      ON i.customer_id = c.customer_id AND i.product_id = c.product_id
    WHERE coalesce(c.reserved, 0) <> coalesce(i.n, 0)`;
  expect(drift, 'reserved seats counters equal the reservations of pending items').toEqual([]);
  // The kept number of each product's holders (migration 0023) equals its licenses.
  const heldDrift = await sql<{ customer_id: string; product_id: string; kept: number; holders: number }[]>`
    SELECT coalesce(k.customer_id, l.customer_id) AS customer_id, coalesce(k.product_id, l.product_id) AS product_id,
      coalesce(k.kept, 0) AS kept, coalesce(l.n, 0) AS holders
    FROM (SELECT customer_id, product_id, sum(holders)::int AS kept FROM license_holder_deltas GROUP BY 1, 2) k
    FULL JOIN (SELECT customer_id, product_id, count(*)::int AS n FROM user_licenses GROUP BY 1, 2) l
      ON l.customer_id = k.customer_id AND l.product_id = k.product_id
    WHERE coalesce(k.kept, 0) <> coalesce(l.n, 0)`;
  expect(heldDrift, "the kept numbers of holders equal the products' licenses").toEqual([]);
  // Every license belongs to an existing user of the same customer.
  const [{ orphans }] = await sql<{ orphans: number }[]>`
    SELECT count(*)::int AS orphans FROM user_licenses l LEFT JOIN users u ON u.customer_id = l.customer_id AND u.id = l.user_id
    WHERE u.id IS NULL`;
  expect(orphans).toBe(0);
}
