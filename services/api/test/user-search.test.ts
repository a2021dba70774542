// Searching and filtering a customer's users (issue 27), through the real API and Postgres: what a
// search matches (any part of either name, case, accents and Unicode form aside), and that every way
// the API may evaluate a filter for a large customer (candidates listed first, users read in list
// order, pages read from either end, totals counted or estimated) answers the same pages as a plain
// reference query. The sizes that choose between those ways are lowered so that a customer of
// 3,000 users takes each of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestSystem, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { PartnerClient } from '../../../test/support/client.ts';
import { ADDON, REFUSED_IN_FR, SUITE, TEST_PRODUCTS } from '../../../test/fixtures.ts';
import { userFilterTuning } from '../src/repositories/user-selection.ts';

let system: TestSystem;
let env: TestEnv;
let api: FastifyInstance;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  ({ env, api } = system);
  partner = await PartnerClient.create(api, 'Searching partner');
});

afterAll(async () => {
  await system?.close();
});

const listed = async (customer: string, query: string) => {
  const res = await partner.call('GET', `/v1/customers/${customer}/users?pageSize=500&${query}`);
  expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as { items: { id: string; displayName: string }[]; total: number; totalIsEstimate: boolean };
};

describe('search', () => {
  it('matches any part of the display name or the principal name, regardless of case, accents and Unicode form', async () => {
    const customer = await partner.customer('Searched');
    const people = {
      mueller: { userPrincipalName: 'juergen.mueller@contoso.example', displayName: 'Jürgen Müller' },
      garcia: { userPrincipalName: 'jose.garcia@contoso.example', displayName: 'JOSÉ García' },
      ada: { userPrincipalName: 'ada@fabrikam-sales.example', displayName: 'Ada Lovelace' },
      zoe: { userPrincipalName: 'zoe@contoso.example', displayName: 'Zoë Ødegaard' },
      strasse: { userPrincipalName: 'hauptstrasse@contoso.example', displayName: 'Große Straße' },
      // Decomposed: "o" + U+0308 and a full-width "Ｎ"; stored as given.
      decomposed: { userPrincipalName: 'bjorn@contoso.example', displayName: 'Bjo\u0308rn Ｎilsson' },
      percent: { userPrincipalName: 'percent@contoso.example', displayName: '100% Sure_Thing' },
    };
    const res = await partner.call('POST', `/v1/customers/${customer}/users/batch`, { users: Object.values(people) });
    expect(res.status).toBe(201);
    const idOf = Object.fromEntries(Object.keys(people).map((k, i) => [k, res.body.items[i].id as string])) as Record<
      keyof typeof people,
      string
    >;
    const expectFinds = async (search: string, who: (keyof typeof people)[]) => {
      const page = await listed(customer, `search=${encodeURIComponent(search)}`);
      expect(page.items.map((u) => u.id).sort(), search).toEqual(who.map((k) => idOf[k]).sort());
      expect(page.total, search).toBe(who.length);
      expect(page.totalIsEstimate).toBe(false);
    };
    await expectFinds('muller', ['mueller']); // by the display name, without its accent
    await expectFinds('MÜLLER', ['mueller']);
    await expectFinds('Mu\u0308ll', ['mueller']); // the search decomposed
    await expectFinds('mueller', ['mueller']); // by the principal name
    await expectFinds('n.mueller@CONTOSO', ['mueller']); // part of the principal name, any case
    await expectFinds('jose garcia', ['garcia']);
    await expectFinds('josé', ['garcia']);
    await expectFinds('odegaard', ['zoe']);
    await expectFinds('zoe', ['zoe']);
    await expectFinds('grosse strasse', ['strasse']); // ß is ss
    await expectFinds('bjorn n', ['decomposed']);
    await expectFinds('björn nilsson', ['decomposed']);
    await expectFinds('sales.exa', ['ada']);
    await expectFinds('%', ['percent']); // LIKE's wildcards are literal
    await expectFinds('sure_t', ['percent']);
    await expectFinds('lovelac_', []);
    await expectFinds('  lovelace  ', ['ada']); // trimmed
    // No match spans the display name and the principal name.
    await expectFinds('lovelaceada', []);
    await expectFinds('contoso.example', ['mueller', 'garcia', 'zoe', 'strasse', 'decomposed', 'percent']);
    expect((await partner.call('GET', `/v1/customers/${customer}/users?search=a%01b`)).status).toBe(400);

    // The same search in a userFilter selects the same users.
    const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
      userFilter: { search: 'MULLER' },
    });
    expect(overview.status).toBe(200);
    expect(overview.body.users.map((u: { id: string }) => u.id)).toEqual([idOf.mueller]);
  });

  it('combines with the license filters', async () => {
    const customer = await partner.customer('Combined');
    const users = await partner.users(customer, 8, (i) => ({
      displayName: i % 2 ? `Müller ${i}` : `Schmidt ${i}`,
      userPrincipalName: `${i % 2 ? 'mueller' : 'schmidt'}.${i}@contoso.example`,
    }));
    await partner.subscribe(customer, SUITE.id, 10);
    // Users 0..3 get the suite: Schmidt 0, Müller 1, Schmidt 2, Müller 3.
    await partner.waitForJob(
      customer,
      (await partner.startJob(customer, { userIds: users.slice(0, 4), assign: [{ productId: SUITE.id }] })).body.id,
    );
    const ids = async (query: string) => (await listed(customer, query)).items.map((u) => u.id).sort();
    const pick = (...i: number[]) => i.map((k) => users[k]!).sort();
    expect(await ids(`search=muller&hasProduct=${SUITE.id}`)).toEqual(pick(1, 3));
    expect(await ids(`search=MULLER&lacksProduct=${SUITE.id}`)).toEqual(pick(5, 7));
    expect(await ids('search=schmidt&licensed=false')).toEqual(pick(4, 6));
    expect(await ids('search=schmidt&licensed=true')).toEqual(pick(0, 2));
    expect(await ids(`search=mueller.3&hasProduct=${SUITE.id}&lacksProduct=${ADDON.id}`)).toEqual(pick(3));
  });
});

describe('a large customer', () => {
  it('answers every filter and page as a plain query does, whichever way it is evaluated', async () => {
    const tuning = { ...userFilterTuning };
    Object.assign(userFilterTuning, { smallCustomer: 100, smallSet: 500, sampleSize: 1000, listOrderFrom: 100 });
    try {
      const customer = await partner.customer('Large');
      const n = 3000;
      // Names repeat (so the order relies on the principal name and the id too); one in ten is a Müller.
      await env.sql`
        INSERT INTO users (customer_id, user_principal_name, display_name, department)
        SELECT ${customer}, 'user' || g || CASE WHEN g % 2 = 0 THEN '@even.example' ELSE '@odd.example' END,
               (ARRAY['Ada', 'Bo', 'Chloé', 'Dana'])[1 + g % 4] || ' ' || CASE WHEN g % 10 = 3 THEN 'Müller' ELSE 'Berg' END,
               CASE WHEN g % 7 = 0 THEN 'Sales' WHEN g % 3 = 0 THEN 'Ops' END
        FROM generate_series(1, ${n}) g`;
      // Another customer's users and licenses never count.
      const other = await partner.customer('Other');
      await env.sql`
        INSERT INTO users (customer_id, user_principal_name, display_name)
        SELECT ${other}, 'user' || g || '@even.example', 'Ada Müller' FROM generate_series(1, 500) g`;
      // SUITE: held by 2,950 of the 3,000 (so 50 lack it); ADDON by 150; the other's users hold both.
      const number = env.sql`substring(user_principal_name FROM '^user([0-9]+)@')::int`;
      await env.sql`
        INSERT INTO user_licenses (customer_id, user_id, product_id)
        SELECT customer_id, id, ${SUITE.id} FROM users
        WHERE customer_id = ${other} OR (customer_id = ${customer} AND ${number} % 60 <> 0)`;
      await env.sql`
        INSERT INTO user_licenses (customer_id, user_id, product_id)
        SELECT customer_id, id, ${ADDON.id} FROM users
        WHERE customer_id = ${other} OR (customer_id = ${customer} AND ${number} % 20 = 7)`;
      const [counts] = await env.sql<{ suite: number; addon: number }[]>`
        SELECT count(*) FILTER (WHERE product_id = ${SUITE.id})::int AS suite, count(*) FILTER (WHERE product_id = ${ADDON.id})::int AS addon
        FROM user_licenses WHERE customer_id = ${customer}`;
      expect(counts).toEqual({ suite: 2950, addon: 150 });

      /** The filter's users in list order, by a query with no tricks. */
      const reference = async (filter: {
        search?: string;
        hasProduct?: string;
        lacksProduct?: string;
        licensed?: boolean;
        department?: string;
      }) => {
        const holds = (p: string) =>
          env.sql`EXISTS (SELECT 1 FROM user_licenses l WHERE l.customer_id = u.customer_id AND l.user_id = u.id AND l.product_id = ${p})`;
        const any = env.sql`EXISTS (SELECT 1 FROM user_licenses l WHERE l.customer_id = u.customer_id AND l.user_id = u.id)`;
        const rows = await env.sql<{ id: string }[]>`
          SELECT u.id FROM users u WHERE u.customer_id = ${customer}
            ${filter.search ? env.sql`AND strpos(u.search_text, user_search_key(${filter.search})) > 0` : env.sql``}
            ${filter.hasProduct ? env.sql`AND ${holds(filter.hasProduct)}` : env.sql``}
            ${filter.lacksProduct ? env.sql`AND NOT ${holds(filter.lacksProduct)}` : env.sql``}
            ${filter.licensed === true ? env.sql`AND ${any}` : filter.licensed === false ? env.sql`AND NOT ${any}` : env.sql``}
            ${filter.department ? env.sql`AND u.department = ${filter.department}` : env.sql``}
          ORDER BY u.display_name, u.user_principal_name, u.id`;
        return rows.map((r) => r.id);
      };
      // `estimated`: the total may be an estimate (a large share read in list order); else it must be exact.
      const cases: [Parameters<typeof reference>[0], { estimated: boolean }][] = [
        [{}, { estimated: false }],
        [{ search: 'muller' }, { estimated: false }], // 300 matches: listed by the trigram index
        [{ search: 'müller' }, { estimated: false }],
        [{ search: '@even.' }, { estimated: true }], // half of them: read in list order
        [{ search: '.example' }, { estimated: true }], // all of them
        [{ search: 'é' }, { estimated: true }], // too short for trigrams: read in list order
        [{ hasProduct: ADDON.id }, { estimated: false }], // 150 holders, listed first
        [{ hasProduct: SUITE.id }, { estimated: false }], // 2,950: read in list order
        [{ lacksProduct: SUITE.id }, { estimated: false }], // the 50 who lack it: a set difference
        [{ lacksProduct: ADDON.id }, { estimated: false }],
        [{ licensed: true }, { estimated: false }],
        [{ licensed: false }, { estimated: false }],
        [{ search: 'muller', hasProduct: SUITE.id }, { estimated: false }],
        [{ search: 'muller', lacksProduct: SUITE.id }, { estimated: false }],
        [{ search: 'odd', hasProduct: SUITE.id }, { estimated: true }],
        [{ search: 'odd', lacksProduct: ADDON.id, licensed: true }, { estimated: true }],
        [{ search: 'bo berg', licensed: false }, { estimated: false }],
        [{ department: 'Sales' }, { estimated: false }], // 428 users, listed from the department's index
        [{ department: 'Ops' }, { estimated: false }], // 857: read in list order
        [{ department: 'Ops', search: 'muller' }, { estimated: false }],
        [{ department: 'Sales', hasProduct: SUITE.id }, { estimated: false }],
        [{ department: 'Ops', hasProduct: SUITE.id }, { estimated: true }],
      ];
      for (const [filter, expected] of cases) {
        const want = await reference(filter);
        const query = Object.entries(filter)
          .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
          .join('&');
        const pageSize = 40;
        const lastPage = Math.max(1, Math.ceil(want.length / pageSize));
        for (const page of new Set([1, 2, Math.ceil(lastPage / 2), lastPage - 1, lastPage, lastPage + 1])) {
          if (page < 1) continue;
          const res = await partner.call(
            'GET',
            `/v1/customers/${customer}/users?page=${page}&pageSize=${pageSize}${query ? `&${query}` : ''}`,
          );
          expect(res.status, `${query} page ${page}`).toBe(200);
          expect(
            res.body.items.map((u: { id: string }) => u.id),
            `${query} page ${page}`,
          ).toEqual(want.slice((page - 1) * pageSize, page * pageSize));
          // Where an estimate is allowed, a page read from a set of candidates (deep pages) is counted exactly.
          if (!expected.estimated) expect(res.body.totalIsEstimate, query).toBe(false);
          if (res.body.totalIsEstimate) {
            expect(
              Math.abs(res.body.total - want.length),
              `${query}: ${res.body.total} for ${want.length}`,
            ).toBeLessThanOrEqual(Math.max(30, want.length * 0.3));
          } else expect(res.body.total, query).toBe(want.length);
          expect(res.body.totalPages).toBe(Math.ceil(res.body.total / pageSize));
        }
        // A filter in a body selects exactly the same users.
        const overview = await partner.call('POST', `/v1/customers/${customer}/license-overview`, {
          userFilter: filter,
        });
        expect(overview.status, query).toBe(200);
        expect(
          overview.body.users.map((u: { id: string }) => u.id),
          query,
        ).toEqual(want);
        // And a preview of a job selected by it counts the same users.
        const preview = await partner.call('POST', `/v1/customers/${customer}/license-jobs/preview`, {
          userFilter: filter,
          revoke: [SUITE.id],
        });
        if (want.length === 0) expect(preview.body.code, query).toBe('no_matching_users');
        else expect([preview.status, preview.body.userCount], query).toEqual([200, want.length]);
      }
      // A job selected by filter numbers its items in list order (read from the sort index).
      await partner.subscribe(customer, REFUSED_IN_FR.id, 3000);
      const want = await reference({ hasProduct: SUITE.id });
      const job = await partner.startJob(customer, {
        userFilter: { hasProduct: SUITE.id },
        assign: [{ productId: REFUSED_IN_FR.id }],
      });
      expect(job.status, JSON.stringify(job.body)).toBe(202);
      const items = await env.sql<{ user_id: string }[]>`
        SELECT user_id FROM license_job_items WHERE customer_id = ${customer} AND job_id = ${job.body.id} ORDER BY position`;
      expect(items.map((i) => i.user_id)).toEqual(want);
      const [reserved] = await env.sql<{ reserved: number }[]>`
        SELECT reserved FROM reserved_seats WHERE customer_id = ${customer} AND product_id = ${REFUSED_IN_FR.id}`;
      expect(reserved?.reserved).toBe(want.length);
      await partner.waitForJob(customer, job.body.id);
    } finally {
      Object.assign(userFilterTuning, tuning);
    }
  });
});
