// What the signed-in key may do. Every page offers only that: an action the key's scopes do not
// cover is disabled (kept focusable) with a tooltip that says which permission it lacks; the API
// refuses it anyway (403 insufficient_scope), this only spares the partner a refusal.
import type { ReactElement } from 'react';
import { Tooltip } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { grants, type Scope } from '@licensing/domain/scopes';
import { useCurrentKey } from './api.ts';

export interface Access {
  /** The key holds the scope (false until the key is known). */
  allowed: boolean;
  /** Why not, in a sentence naming the key and the permission; undefined when allowed or not known yet. */
  reason?: string;
}

/** A scope by the words the portal shows for it. */
export function scopeLabel(scope: string, t: TFunction<'keys'>): string {
  switch (scope) {
    case 'read':
      return t('scope.read');
    case 'users:write':
      return t('scope.usersWrite');
    case 'licenses:write':
      return t('scope.licensesWrite');
    case 'subscriptions:write':
      return t('scope.subscriptionsWrite');
    case 'webhooks:manage':
      return t('scope.webhooksManage');
    case 'keys:manage':
      return t('scope.keysManage');
    case '*':
      return t('scope.all');
    default:
      return scope;
  }
}

/** Whether the signed-in key may do what needs `scope`, and if not, why. */
export function useAccess(scope: Scope): Access {
  const { t } = useTranslation('keys');
  const current = useCurrentKey();
  if (!current.data) return { allowed: false };
  if (grants(current.data.scopes, scope)) return { allowed: true };
  return { allowed: false, reason: t('denied', { name: current.data.name, scope: scopeLabel(scope, t) }) };
}

/**
 * An action that needs `scope`: rendered with `allowed`, and when the key lacks the scope, wrapped
 * in a tooltip that says why (the action itself should be `disabledFocusable`, so it can be reached
 * and the tooltip read).
 */
export function NeedsScope({ scope, children }: { scope: Scope; children: (allowed: boolean) => ReactElement }) {
  const access = useAccess(scope);
  const action = children(access.allowed);
  if (access.allowed || !access.reason) return action;
  return (
    <Tooltip content={access.reason} relationship="description">
      {action}
    </Tooltip>
  );
}
