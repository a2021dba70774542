import { Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { scopeLabel } from './access.tsx';
import { useCurrentKey } from './api.ts';
import { roleLabel } from './role-label.ts';
import { heldScopes, roleOf } from './roles.ts';

const useStyles = makeStyles({
  who: {
    display: 'flex',
    flexDirection: 'column',
    color: 'inherit',
    lineHeight: tokens.lineHeightBase200,
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralForegroundOnBrand}` },
  },
  name: { fontWeight: tokens.fontWeightSemibold, color: 'inherit' },
  role: { fontSize: tokens.fontSizeBase200, color: 'inherit' },
});

/**
 * Who is signed in: the key's name and what it may do (its role by Partner Center's name, or its
 * permissions), with the full list, its customers and its expiry in a tooltip.
 */
export function SignedInAs() {
  const styles = useStyles();
  const { t } = useTranslation('keys');
  const format = useFormat();
  const current = useCurrentKey();
  if (!current.data) return null;
  const key = current.data;
  const role = roleOf(key.scopes);
  const scopes = heldScopes(key.scopes).map((s) => scopeLabel(s, t));
  const details = [
    t('permissionsList', { list: format.list(scopes) }),
    key.customerIds === null ? t('allCustomers') : t('limitedTo', { count: key.customerIds.length }),
    key.expiresAt ? t('expiresOn', { date: format.dateTime(key.expiresAt) }) : t('neverExpires'),
  ].join(' ');
  return (
    <Tooltip content={details} relationship="description">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so that keyboard users reach the tooltip */}
      <span className={styles.who} tabIndex={0} data-signed-in-key={key.id}>
        <Text className={styles.name}>{t('signedInAs', { name: key.name })}</Text>
        <Text className={styles.role}>
          {role ? roleLabel(role, t) : t('customRole', { list: format.list(scopes) })}
          {key.customerIds === null ? '' : t('limitedSuffix', { count: key.customerIds.length })}
        </Text>
      </span>
    </Tooltip>
  );
}
