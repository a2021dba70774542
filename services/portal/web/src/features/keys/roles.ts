// Keys named after Partner Center's agent roles, as the API's domain defines them (KEY_ROLES).
import { KEY_ROLES, type KeyRole, SCOPES, type Scope } from '@licensing/domain/scopes';

export const ROLES = Object.keys(KEY_ROLES) as KeyRole[];

/** The role whose scopes are exactly these, if any (the operator's `*` is an admin agent's). */
export function roleOf(scopes: readonly string[]): KeyRole | undefined {
  if (scopes.includes('*')) return 'admin-agent';
  const held = new Set(scopes);
  return ROLES.find((role) => {
    const wanted: readonly Scope[] = KEY_ROLES[role];
    return wanted.length === held.size && wanted.every((s) => held.has(s));
  });
}

/** The scopes a key holds, in the order the portal shows them (`*`: every scope). */
export function heldScopes(scopes: readonly string[]): Scope[] {
  return scopes.includes('*') ? [...SCOPES] : SCOPES.filter((s) => scopes.includes(s));
}
