// What an API key may do: scopes, and the customers it may reach. Pure rules shared by the API
// (every partner route declares the scope it needs), the CLI and the portal.

/** Every scope a partner key can hold, in the order they are shown. */
export const SCOPES = [
  'read',
  'users:write',
  'licenses:write',
  'subscriptions:write',
  'webhooks:manage',
  'keys:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

/** The scope list of keys an operator issues: every scope, present and future. */
export const ALL_SCOPES = '*';
export type GrantedScope = Scope | typeof ALL_SCOPES;

/** What each scope allows, in a sentence (the docs, the CLI and the portal say the same). */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  read: 'every read: lists, details, the license overview, job previews, results and their CSV, event streams',
  'users:write': 'customers and users: create, change, delete (creating a customer needs a key for every customer)',
  'licenses:write': 'license jobs: start, cancel, retry, revert',
  'subscriptions:write': 'subscription quantities ("buy more")',
  'webhooks:manage': "the partner's webhook: set, delete, rotate its secret, test, redeliver",
  'keys:manage': "the partner's own API keys: issue, list, revoke",
};

export const isScope = (value: unknown): value is Scope => SCOPES.includes(value as Scope);

/** Whether a key holding `granted` may do what needs `needed`. */
export function grants(granted: readonly string[], needed: Scope): boolean {
  return granted.includes(ALL_SCOPES) || granted.includes(needed);
}

/** The scopes of `wanted` that `granted` does not hold (empty when every one is held). */
export function missingScopes(granted: readonly string[], wanted: readonly string[]): string[] {
  if (granted.includes(ALL_SCOPES)) return [];
  return wanted.filter((s) => !granted.includes(s));
}

/**
 * The customers of `wanted` that a key limited to `granted` may not reach (null: every customer).
 * A key for every customer (`wanted` null) is out of reach of a limited key: answered as `['*']`.
 */
export function missingCustomers(granted: readonly string[] | null, wanted: readonly string[] | null): string[] {
  if (granted === null) return [];
  if (wanted === null) return [ALL_SCOPES];
  return wanted.filter((c) => !granted.includes(c));
}

/** Whether a key limited to `customerIds` (null: every customer) may reach this customer. */
export function reachesCustomer(customerIds: readonly string[] | null, customerId: string): boolean {
  return customerIds === null || customerIds.includes(customerId);
}

/**
 * Keys named after Partner Center's agent roles: what the portal offers when a key is created, and
 * what `licenses keys create --role` takes.
 */
export const KEY_ROLES = {
  'admin-agent': [...SCOPES],
  'helpdesk-agent': ['read', 'licenses:write'],
  'sales-agent': ['read', 'subscriptions:write'],
  'read-only': ['read'],
} as const satisfies Record<string, readonly Scope[]>;
export type KeyRole = keyof typeof KEY_ROLES;
