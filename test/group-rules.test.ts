// A dynamic group's rule, as Postgres evaluates it (membershipRuleCondition: listing members, finding
// a changed user's groups, dry runs) and as the domain states it (matchesMembershipRule): one table of
// users and rules through both, which must select the same users.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { membershipRuleCondition } from '@licensing/db';
import { matchesMembershipRule, type MembershipRule, normalizeMembershipRule } from '@licensing/domain';
import { createTestEnv, type TestEnv } from './support/test-env.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const USERS = [
  { upn: 'anna@contoso.com', department: 'Sales', usageLocation: null },
  { upn: 'Ben@Contoso.COM', department: 'sales', usageLocation: 'FR' },
  { upn: 'carl.contractor@contoso.com', department: 'HR', usageLocation: 'DE' },
  { upn: 'dora@fabrikam.example', department: null, usageLocation: 'US' },
  { upn: 'eve@contoso.com.evil', department: 'Sales', usageLocation: 'DE' },
];

const RULES: MembershipRule[] = [
  { departments: ['Sales'] },
  { departments: ['sales', 'HR'] },
  { usageLocations: ['DE'] },
  { usageLocations: ['fr', 'US'] },
  { userPrincipalNameSuffixes: ['@contoso.com'] },
  { userPrincipalNameSuffixes: ['.CONTRACTOR@contoso.com', '@fabrikam.example'] },
  { departments: ['Sales'], usageLocations: ['DE'] },
  { departments: ['Sales'], usageLocations: ['DE'], userPrincipalNameSuffixes: ['@contoso.com'] },
  { departments: [] },
];

it('selects the same users in Postgres as in the domain', async () => {
  const [customer] = await env.sql<{ id: string }[]>`
    WITH p AS (INSERT INTO partners (name) VALUES ('Rules') RETURNING id)
    INSERT INTO customers (partner_id, name, country) SELECT id, 'Rules', 'DE' FROM p RETURNING id`;
  const inserted = await env.sql<{ id: string; user_principal_name: string }[]>`
    INSERT INTO users ${env.sql(
      USERS.map((u) => ({
        customer_id: customer!.id,
        user_principal_name: u.upn,
        display_name: u.upn,
        department: u.department,
        usage_location: u.usageLocation,
      })),
    )} RETURNING id, user_principal_name`;
  const idOf = new Map(inserted.map((r) => [r.user_principal_name, r.id]));
  for (const raw of RULES) {
    const rule = normalizeMembershipRule(raw);
    const rows = await env.db.execute<{ id: string }>(sql`
      SELECT u.id FROM users u WHERE u.customer_id = ${customer!.id} AND (${membershipRuleCondition(rule, 'DE')})`);
    const inPostgres = rows.map((r) => r.id).sort();
    const inDomain = USERS.filter((u) =>
      matchesMembershipRule(rule, {
        department: u.department,
        usageLocation: u.usageLocation,
        customerCountry: 'DE',
        userPrincipalName: u.upn,
      }),
    )
      .map((u) => idOf.get(u.upn)!)
      .sort();
    expect(inPostgres, JSON.stringify(raw)).toEqual(inDomain);
  }
});
