// Look-alike user principal names are one name; invisible characters and unassigned countries are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confusablePrototypes, userPrincipalNameKey } from '@licensing/domain';
import { startTestSystem, OPERATOR_TOKEN, type TestEnv, type TestSystem } from '../../../test/support/test-env.ts';
import { call, PartnerClient } from '../../../test/support/client.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem();
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  await system?.close();
});

const user = (userPrincipalName: string) => ({ userPrincipalName, displayName: 'Someone' });
const userCount = async (customerId: string) =>
  (await env.sql`SELECT count(*)::int AS n FROM users WHERE customer_id = ${customerId}`)[0]!.n as number;

describe('user principal names', () => {
  it('treats composed and decomposed, full-width and case variants as the same name', async () => {
    const customer = await partner.customer();
    const users = `/v1/customers/${customer}/users`;
    for (const [first, lookAlike] of [
      ['josé@fabrikam.example', 'jose\u0301@fabrikam.example'],
      ['john@fabrikam.example', 'ｊｏｈｎ@fabrikam.example'],
      ['straße@fabrikam.example', 'STRASSE@FABRIKAM.EXAMPLE'],
      ['anna@fabrikam.example', 'ANNA＠ｆａｂｒｉｋａｍ.example'],
    ] as const) {
      const created = await partner.call('POST', users, user(first));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const again = await partner.call('POST', users, user(lookAlike));
      expect(again.status, lookAlike).toBe(409);
      expect(again.body.code).toBe('duplicate_user_principal_name');
      expect(again.body.userPrincipalNames).toEqual([created.body.userPrincipalName]);
    }
    expect(await userCount(customer)).toBe(4);
    // Within one batch too, all or nothing.
    const batch = await partner.call('POST', `${users}/batch`, {
      users: [user('new@fabrikam.example'), user('NEW@ｆａｂｒｉｋａｍ.example')],
    });
    expect(batch.status).toBe(409);
    expect(batch.body.code).toBe('duplicate_user_principal_name');
    expect(await userCount(customer)).toBe(4);
  });

  it('stores the name in NFKC, case as given', async () => {
    const customer = await partner.customer();
    const res = await partner.call(
      'POST',
      `/v1/customers/${customer}/users`,
      user('Ｍａｒｉｅ.jose\u0301@fabrikam.example'),
    );
    expect(res.status).toBe(201);
    expect(res.body.userPrincipalName).toBe('Marie.josé@fabrikam.example');
    const [row] = await env.sql`SELECT user_principal_name, upn_key FROM users WHERE id = ${res.body.id}`;
    expect(row).toEqual({ user_principal_name: 'Marie.josé@fabrikam.example', upn_key: 'marie.josé@fabrikam.example' });
  });

  it('treats cross-script look-alikes as the same name: Cyrillic, Greek and other letters that look Latin', async () => {
    const customer = await partner.customer();
    const users = `/v1/customers/${customer}/users`;
    for (const [first, lookAlike] of [
      ['adam@fabrikam.example', '\u0430dam@fabrikam.example'], // Cyrillic а
      ['ace@fabrikam.example', '\u0430\u0441\u0435@fabrikam.example'], // all Cyrillic: асе
      ['paypal@fabrikam.example', 'p\u0430yp\u0430l@fabrikam.example'],
      ['ivan@fabrikam.example', '\u0456v\u0430n@fabrikam.example'], // Ukrainian і
      ['olga@fabrikam.example', '\u03bflga@fabrikam.example'], // Greek ο
      ['eve@fabrikam.example', 'eve@f\u0430brikam.example'], // in the domain
      ['yuri@fabrikam.example', '\u0423URI@FABRIKAM.EXAMPLE'], // Cyrillic У, upper case
    ] as const) {
      const created = await partner.call('POST', users, user(first));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const again = await partner.call('POST', users, user(lookAlike));
      expect(again.status, lookAlike).toBe(409);
      expect(again.body.code).toBe('duplicate_user_principal_name');
      expect(again.body.userPrincipalNames).toEqual([first]);
    }
    const batch = await partner.call('POST', `${users}/batch`, {
      users: [user('new@fabrikam.example'), user('n\u0435w@fabrikam.example')],
    });
    expect(batch.status).toBe(409);
    expect(batch.body.userPrincipalNames).toEqual(['n\u0435w@fabrikam.example']);
    // Names in another script that do not look Latin, and ASCII names that merely resemble each
    // other (1 and l, rn and m), stay distinct names.
    for (const name of [
      '\u0438\u0432\u0430\u043d@fabrikam.example', // иван
      'user1@fabrikam.example',
      'userl@fabrikam.example',
      'amie@fabrikam.example',
      'arnie@fabrikam.example',
      'muller@fabrikam.example',
      'm\u00fcller@fabrikam.example',
    ])
      expect((await partner.call('POST', users, user(name))).status, name).toBe(201);
  });

  it('computes the same key in Postgres as the API does, for every confusable character', async () => {
    const names = [...confusablePrototypes().keys()].map((c) => `x${c}y@fabrikam.example`);
    names.push('Ａdam@fabrikam.example', 'STRAẞE@x.example', 'jose\u0301@x.example', '\u0430dam@x.example');
    const rows = await env.sql<{ n: string; key: string }[]>`
      SELECT n, user_principal_name_key(n) AS key FROM unnest(${names}::text[]) AS n`;
    const differing = rows.filter((r) => r.key !== userPrincipalNameKey(r.n));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(names.length);
  });

  it('is enforced by Postgres whatever writes the row', async () => {
    const customer = await partner.customer();
    await env.sql`INSERT INTO users (customer_id, user_principal_name, display_name) VALUES (${customer}, 'john@x.example', 'J')`;
    for (const lookAlike of ['ＪＯＨＮ@x.example', 'j\u043ehn@x.example'])
      await expect(
        env.sql`INSERT INTO users (customer_id, user_principal_name, display_name) VALUES (${customer}, ${lookAlike}, 'J')`,
      ).rejects.toMatchObject({ code: '23505' });
  });

  it('refuses invisible and format characters with 422 invisible_characters, creating nothing', async () => {
    const customer = await partner.customer();
    for (const name of [
      'jo\u200bhn@fabrikam.example', // zero-width space
      'jo\u200dhn@fabrikam.example', // zero-width joiner
      'john\u00ad@fabrikam.example', // soft hyphen
      'jo\ufeffhn@fabrikam.example', // byte order mark (zero-width no-break space)
      'john\u202e@fabrikam.example', // right-to-left override
      'jo\u2060hn@fabrikam.example', // word joiner
      'jo\u034fhn@fabrikam.example', // combining grapheme joiner
      'john\ufe0f@fabrikam.example', // variation selector
      'jo\u3164hn@fabrikam.example', // Hangul filler
    ]) {
      const res = await partner.call('POST', `/v1/customers/${customer}/users`, user(name));
      expect(res.status, JSON.stringify(name)).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('invisible_characters');
      expect(res.body.detail).toMatch(/U\+[0-9A-F]{4}/);
    }
    const batch = await partner.call('POST', `/v1/customers/${customer}/users/batch`, {
      users: [user('fine@fabrikam.example'), user('in\u200bvisible@fabrikam.example')],
    });
    expect(batch.status).toBe(422);
    expect(batch.body.userPrincipalNames).toEqual(['in\u200bvisible@fabrikam.example']);
    expect(await userCount(customer)).toBe(0);
  });
});

describe('countries', () => {
  it('accepts only assigned ISO 3166-1 alpha-2 codes for customers and usage locations', async () => {
    for (const country of ['XX', 'ZZ', 'AA', 'QM', 'XK', 'UK', 'EU']) {
      const res = await partner.call('POST', '/v1/customers', { name: 'Nowhere', country });
      expect(res.status, country).toBe(400);
      expect(res.body.detail).toMatch(/assigned ISO 3166-1 alpha-2/);
    }
    const customer = await partner.customer('Somewhere', 'gb');
    expect((await partner.call('GET', `/v1/customers/${customer}`)).body.country).toBe('GB');
    for (const usageLocation of ['XX', 'ZZ']) {
      const res = await partner.call('POST', `/v1/customers/${customer}/users`, {
        ...user('x@fabrikam.example'),
        usageLocation,
      });
      expect(res.status, usageLocation).toBe(400);
    }
    for (const usageLocation of ['DE', 'ss', 'CW']) {
      const res = await partner.call('POST', `/v1/customers/${customer}/users`, {
        ...user(`${usageLocation}@fabrikam.example`),
        usageLocation,
      });
      expect(res.status, usageLocation).toBe(201);
    }
  });

  it('refuses products whose country lists name unassigned codes', async () => {
    const res = await call(system.catalog, 'PUT', '/v1/products/NOWHERE', OPERATOR_TOKEN, {
      name: 'Nowhere',
      servicePlans: [],
      availableIn: ['US', 'ZZ'],
    });
    expect(res.status).toBe(400);
  });
});
