import { describe, expect, it } from 'vitest';
import {
  catalogOf,
  evaluateGroupSources,
  GroupImpactCounter,
  hasCondition,
  matchesMembershipRule,
  membershipChange,
  type MembershipRule,
  normalizeMembershipRule,
  type RuleSubject,
} from '../src/index.ts';

const user = (over: Partial<RuleSubject> = {}): RuleSubject => ({
  department: 'Sales',
  usageLocation: null,
  customerCountry: 'DE',
  userPrincipalName: 'Anna@Contoso.com',
  ...over,
});

describe('matchesMembershipRule: every present condition holds, a list matches any value', () => {
  it.each<[string, MembershipRule, RuleSubject, boolean]>([
    ['department listed', { departments: ['Sales', 'HR'] }, user(), true],
    ['department not listed', { departments: ['HR'] }, user(), false],
    ['department compared exactly', { departments: ['sales'] }, user(), false],
    ['no department never matches a department rule', { departments: ['Sales'] }, user({ department: null }), false],
    ["no usage location: the customer's country", { usageLocations: ['DE'] }, user(), true],
    ['own usage location wins over the country', { usageLocations: ['DE'] }, user({ usageLocation: 'FR' }), false],
    ['own usage location listed', { usageLocations: ['FR', 'US'] }, user({ usageLocation: 'FR' }), true],
    ['suffix, case aside', { userPrincipalNameSuffixes: ['@contoso.COM'] }, user(), true],
    ['suffix not at the end', { userPrincipalNameSuffixes: ['@contoso'] }, user(), false],
    [
      'all conditions hold',
      { departments: ['Sales'], usageLocations: ['DE'], userPrincipalNameSuffixes: ['.com'] },
      user(),
      true,
    ],
    ['one condition fails: no match', { departments: ['Sales'], usageLocations: ['US'] }, user(), false],
    ['empty list: nobody', { departments: [] }, user(), false],
    ['no condition: nobody', {}, user(), false],
  ])('%s', (_name, rule, subject, expected) => {
    expect(matchesMembershipRule(rule, subject)).toBe(expected);
    // The stored form selects the same users.
    expect(matchesMembershipRule(normalizeMembershipRule(rule), subject)).toBe(expected);
  });
});

describe('membershipChange: what a user change means for one dynamic group', () => {
  const rule: MembershipRule = { departments: ['Sales'] };
  it.each<[string, RuleSubject | null, RuleSubject | null, 'joins' | 'leaves' | 'none']>([
    ['created matching', null, user(), 'joins'],
    ['created not matching', null, user({ department: 'HR' }), 'none'],
    ['moved into the department', user({ department: 'HR' }), user(), 'joins'],
    ['moved out of the department', user(), user({ department: 'HR' }), 'leaves'],
    ['renamed, still matching', user(), user({ userPrincipalName: 'b@contoso.com' }), 'none'],
    ['deleted while a member', user(), null, 'leaves'],
  ])('%s', (_name, before, after, expected) => {
    expect(membershipChange(rule, before, after)).toBe(expected);
  });
});

describe('normalizeMembershipRule', () => {
  it('sorts, removes duplicates, upper-cases countries, lower-cases suffixes and drops absent conditions', () => {
    expect(
      normalizeMembershipRule({ usageLocations: ['us', 'DE', 'US'], userPrincipalNameSuffixes: ['@B.com', '@a.com'] }),
    ).toEqual({ usageLocations: ['DE', 'US'], userPrincipalNameSuffixes: ['@a.com', '@b.com'] });
    expect(hasCondition({})).toBe(false);
    expect(hasCondition({ departments: [] })).toBe(true);
  });
});

describe('GroupImpactCounter: a group change counted user by user', () => {
  const catalog = catalogOf([
    { id: 'E3', name: 'E3', servicePlans: [] },
    { id: 'ADD', name: 'Add-on', servicePlans: [], requiresAnyOf: ['E3'] },
  ]);
  const G = 'g';
  const evaluate = (counter: GroupImpactCounter, licenses: string[], desired: string[], applied: string[]) =>
    evaluateGroupSources({
      catalog,
      user: {
        usageLocation: null,
        customerCountry: 'US',
        licenses: licenses.map((productId) => ({ productId, disabledServicePlans: [] })),
      },
      sources: new Map(
        licenses.map((p) => [
          p,
          applied.includes(p)
            ? { direct: null, groups: [{ groupId: G, disabledServicePlans: [] }] }
            : { direct: [], groups: [] },
        ]),
      ),
      groupId: G,
      desired: desired.map((productId) => ({ productId })),
      rows: applied.map((productId) => ({
        groupId: G,
        productId,
        state: 'active' as const,
        disabledServicePlans: [],
        applied: true,
      })),
      hasSeat: counter.hasSeat,
    });

  it('takes free seats in order, counts the rest as short, and counts who gains and who loses', () => {
    const counter = new GroupImpactCounter(new Map([['E3', 1]]));
    const user = (n: number) => ({ userId: `u${n}`, userPrincipalName: `u${n}@x`, displayName: `U${n}` });
    counter.add(user(1), evaluate(counter, [], ['E3'], []));
    counter.add(user(2), evaluate(counter, [], ['E3'], []));
    counter.add(user(3), evaluate(counter, ['E3'], [], ['E3'])); // leaves: frees a seat
    counter.add(user(4), evaluate(counter, ['E3', 'ADD'], [], ['E3'])); // blocked by its add-on
    const impact = counter.result();
    expect(impact).toMatchObject({
      usersGaining: 1,
      usersLosing: 1,
      seats: [{ productId: 'E3', required: 2, available: 1, shortfall: 1 }],
      losing: { total: 1, byProduct: { E3: 1 } },
      failures: { total: 2, byCode: { CountViolation: 1, DependencyViolation: 1 } },
    });
    expect(impact.failures.users.map((u) => u.userId)).toEqual(['u2', 'u4']);
  });
});
