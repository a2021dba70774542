// Dynamic group rules (contract 1.2): a group with a rule has exactly the customer's users that
// match it as members. Postgres evaluates the same rule in one expression (membershipRuleCondition in
// packages/db) to list members; this is the rule as a pure function, which that expression must agree
// with (test/group-rules.test.ts runs one table through both).

/** Every present condition must hold; a list matches any of its values. At least one condition. */
export interface MembershipRule {
  /** The user's department is one of these (exact, as the user list's `department=` filter). */
  departments?: string[];
  /** The user's usage location, or else its customer's country, is one of these (ISO 3166-1 alpha-2). */
  usageLocations?: string[];
  /** The user principal name ends with one of these, case aside (`@contoso.com`, `.contractor@contoso.com`). */
  userPrincipalNameSuffixes?: string[];
}

/** What a rule looks at of a user. */
export interface RuleSubject {
  department: string | null;
  usageLocation: string | null;
  customerCountry: string;
  userPrincipalName: string;
}

/** The conditions a rule may hold. */
export const MEMBERSHIP_RULE_CONDITIONS = ['departments', 'usageLocations', 'userPrincipalNameSuffixes'] as const;

/** Whether a rule has at least one condition (an empty list is a condition nobody meets). */
export function hasCondition(rule: MembershipRule): boolean {
  return MEMBERSHIP_RULE_CONDITIONS.some((c) => rule[c] !== undefined);
}

/**
 * The rule in its stored form: lists without duplicates and sorted, countries upper case, suffixes
 * lower case (they are compared case aside), absent conditions left out.
 */
export function normalizeMembershipRule(rule: MembershipRule): MembershipRule {
  const out: MembershipRule = {};
  const uniqueSorted = (values: string[]) => [...new Set(values)].sort();
  if (rule.departments !== undefined) out.departments = uniqueSorted(rule.departments);
  if (rule.usageLocations !== undefined)
    out.usageLocations = uniqueSorted(rule.usageLocations.map((c) => c.toUpperCase()));
  if (rule.userPrincipalNameSuffixes !== undefined)
    out.userPrincipalNameSuffixes = uniqueSorted(rule.userPrincipalNameSuffixes.map((s) => s.toLowerCase()));
  return out;
}

/** Whether a user is a member of a dynamic group with this rule. */
export function matchesMembershipRule(rule: MembershipRule, user: RuleSubject): boolean {
  if (!hasCondition(rule)) return false;
  if (rule.departments !== undefined && (user.department === null || !rule.departments.includes(user.department)))
    return false;
  if (rule.usageLocations !== undefined) {
    const country = (user.usageLocation ?? user.customerCountry).toUpperCase();
    if (!rule.usageLocations.some((c) => c.toUpperCase() === country)) return false;
  }
  if (rule.userPrincipalNameSuffixes !== undefined) {
    const upn = user.userPrincipalName.toLowerCase();
    if (!rule.userPrincipalNameSuffixes.some((s) => upn.endsWith(s.toLowerCase()))) return false;
  }
  return true;
}

/** What a change of a user means for one dynamic group: it joins, leaves, or neither. */
export function membershipChange(
  rule: MembershipRule,
  before: RuleSubject | null,
  after: RuleSubject | null,
): 'joins' | 'leaves' | 'none' {
  const was = before !== null && matchesMembershipRule(rule, before);
  const is = after !== null && matchesMembershipRule(rule, after);
  return was === is ? 'none' : is ? 'joins' : 'leaves';
}
