import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { productProblems, productSchema } from '@licensing/domain';
import { demoProducts } from '../src/demo-products.ts';
import { seedDemoCatalog } from '../src/product-writes.ts';
import { buildTestCatalog, createTestEnv, OPERATOR_TOKEN, type TestEnv } from '../../../test/support/test-env.ts';
import { call } from '../../../test/support/client.ts';

let env: TestEnv;
let catalog: FastifyInstance;

beforeAll(async () => {
  env = await createTestEnv();
  catalog = await buildTestCatalog(env);
});

afterAll(async () => {
  await catalog?.close();
  await env?.close();
});

describe('demo catalog', () => {
  it('is consistent and references only its own products', () => {
    const ids = new Set(demoProducts.map((p) => p.id));
    expect(ids.size).toBeGreaterThanOrEqual(12);
    for (const p of demoProducts) {
      expect(() => productSchema.parse(p)).not.toThrow();
      expect(productProblems(p), p.id).toEqual([]);
      for (const ref of [...(p.requiresAnyOf ?? []), ...(p.excludes ?? [])])
        expect(ids.has(ref), `${p.id} → ${ref}`).toBe(true);
    }
  });

  it('is seeded once, and a later start leaves operator changes alone', async () => {
    expect(await seedDemoCatalog(env.db)).toBe(true);
    expect((await call(catalog, 'GET', '/v1/products')).body.items).toHaveLength(demoProducts.length);
    const changed = { ...demoProducts[0]!, name: 'Renamed by an operator' };
    expect((await call(catalog, 'PUT', `/v1/products/${changed.id}`, OPERATOR_TOKEN, changed)).status).toBe(200);
    expect(await seedDemoCatalog(env.db)).toBe(false);
    expect((await call(catalog, 'GET', `/v1/products/${changed.id}`)).body.name).toBe('Renamed by an operator');
  });
});

describe('product writes', () => {
  const product = {
    id: 'NEW_ADDON',
    name: 'New add-on',
    servicePlans: [{ id: 'A', name: 'A' }],
    requiresAnyOf: ['SPE_E3'],
  };

  it('needs the operator token, creates with 201, replaces with 200', async () => {
    expect((await call(catalog, 'PUT', '/v1/products/NEW_ADDON', undefined, product)).status).toBe(401);
    expect((await call(catalog, 'PUT', '/v1/products/NEW_ADDON', 'lsk_partner', product)).status).toBe(401);
    expect((await call(catalog, 'PUT', '/v1/products/NEW_ADDON', OPERATOR_TOKEN, product)).status).toBe(201);
    const replaced = await call(catalog, 'PUT', '/v1/products/NEW_ADDON', OPERATOR_TOKEN, {
      ...product,
      unavailableIn: ['CN'],
    });
    expect(replaced.status).toBe(200);
    expect((await call(catalog, 'GET', '/v1/products/NEW_ADDON')).body).toEqual({ ...product, unavailableIn: ['CN'] });
    const { id: _id, ...withoutId } = product;
    expect((await call(catalog, 'PUT', '/v1/products/NO_ID', OPERATOR_TOKEN, withoutId)).status).toBe(201);
  });

  it('rejects inconsistent products with 400 and keeps the old one', async () => {
    const cases = [
      { ...product, id: 'OTHER' },
      {
        ...product,
        servicePlans: [
          { id: 'A', name: 'A' },
          { id: 'A', name: 'B' },
        ],
      },
      { ...product, servicePlans: [{ id: 'A', name: 'A', requires: ['Z'] }] },
      { ...product, availableIn: ['usa'] },
      { ...product, extra: true },
      { ...product, name: '' },
    ];
    for (const body of cases) {
      const res = await call(catalog, 'PUT', '/v1/products/NEW_ADDON', OPERATOR_TOKEN, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await call(catalog, 'GET', '/v1/products/NEW_ADDON')).body.name).toBe('New add-on');
    expect((await call(catalog, 'GET', '/v1/products/missing')).status).toBe(404);
    expect((await call(catalog, 'GET', '/v1/products/bad%20id')).status).toBe(400);
  });
});
