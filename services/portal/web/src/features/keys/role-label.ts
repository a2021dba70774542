import type { TFunction } from 'i18next';
import type { KeyRole } from '@licensing/domain/scopes';

/** A role by its Partner Center name, in the portal's language. */
export function roleLabel(role: KeyRole, t: TFunction<'keys'>): string {
  switch (role) {
    case 'admin-agent':
      return t('role.adminAgent');
    case 'helpdesk-agent':
      return t('role.helpdeskAgent');
    case 'sales-agent':
      return t('role.salesAgent');
    case 'read-only':
      return t('role.readOnly');
  }
}

/** What a role may do, in a sentence. */
export function roleHint(role: KeyRole, t: TFunction<'keys'>): string {
  switch (role) {
    case 'admin-agent':
      return t('roleHint.adminAgent');
    case 'helpdesk-agent':
      return t('roleHint.helpdeskAgent');
    case 'sales-agent':
      return t('roleHint.salesAgent');
    case 'read-only':
      return t('roleHint.readOnly');
  }
}
