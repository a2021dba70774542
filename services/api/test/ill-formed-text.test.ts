// Text a client sends must be well-formed Unicode: a lone UTF-16 surrogate (possible in JSON as
// "\ud800") or bytes that are not UTF-8 are answered 400, naming where, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, OPERATOR_TOKEN, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

/** The answer to an ill-formed string: 400 validation_error naming the field. */
function expectIllFormed(res: { status: number; body: any }, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body).toMatchObject({ status: 400, code: 'validation_error' });
  expect(res.body.errors).toEqual([{ path, message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
  expect(res.body.detail).toContain(path);
}

describe('ill-formed text', () => {
  it("refuses a lone surrogate in a user's displayName, on PATCH and on create, and stores nothing", async () => {
    const customer = await partner.customer();
    const [userId] = await partner.users(customer, 1);
    const users = `/v1/customers/${customer}/users`;

    expectIllFormed(await partner.call('PATCH', `${users}/${userId}`, { displayName: 'Ada \ud800' }), 'displayName');
    const [row] = await env.sql`SELECT display_name FROM users WHERE id = ${userId!}`;
    expect(row!.display_name).toBe('User 000000');

    expectIllFormed(
      await partner.call('POST', users, { userPrincipalName: 'bo@fabrikam.example', displayName: 'Bo \udc00' }),
      'displayName',
    );
    expectIllFormed(
      await partner.call('POST', `${users}/batch`, {
        users: [
          { userPrincipalName: 'cy@fabrikam.example', displayName: 'Cy' },
          { userPrincipalName: 'di\ud83d@fabrikam.example', displayName: 'Di' },
        ],
      }),
      'users.1.userPrincipalName',
    );
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM users WHERE customer_id = ${customer}`;
    expect(n).toBe(1);
    // A surrogate pair (an emoji) is well-formed text.
    expect((await partner.call('PATCH', `${users}/${userId}`, { displayName: 'Ada \ud83d\ude00' })).status).toBe(200);
  });

  it("refuses a lone surrogate in a job's clientReference: no job, no reservation", async () => {
    const customer = await partner.customer();
    const userIds = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 5);
    const res = await partner.startJob(customer, {
      userIds,
      assign: [{ productId: SUITE.id }],
      clientReference: 'ticket-\udfff',
    });
    expectIllFormed(res, 'clientReference');
    const [{ jobs }] = await env.sql`SELECT count(*)::int AS jobs FROM license_jobs WHERE customer_id = ${customer}`;
    expect(jobs).toBe(0);
    expect((await partner.subscriptions(customer))[SUITE.id]!.reserved).toBe(0);
  });

  it('refuses a lone surrogate in an object key, and in an operator body on the catalog too', async () => {
    const customer = await partner.customer();
    expectIllFormed(await partner.call('POST', `/v1/customers/${customer}/users`, { 'x\ud800': 1 }), 'x\ufffd');
    const put = await system.catalog.inject({
      method: 'PUT',
      url: `/v1/products/${SUITE.id}`,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      payload: { ...SUITE, name: 'Suite \ud800' },
    });
    expectIllFormed({ status: put.statusCode, body: put.json() }, 'name');
  });

  it('refuses a body whose bytes are not UTF-8 rather than store U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from('{"name":"Fabrikam '),
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as if it were a character (CESU-8)
      Buffer.from('","country":"US"}'),
    ]);
    const res = await system.api.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'malformed_json', detail: expect.stringMatching(/UTF-8/) });
    const [{ n }] = await env.sql`SELECT count(*)::int AS n FROM customers WHERE name LIKE 'Fabrikam %'`;
    expect(n).toBe(0);
  });
});
