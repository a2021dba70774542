import { Button, Card, Text, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { describeFilter } from './describe-filter.ts';
import { useSelection } from './selection.tsx';

const useStyles = makeStyles({
  panel: {
    width: '300px',
    flexShrink: 0,
    maxHeight: '70vh',
    overflowY: 'auto',
    '@media (max-width: 900px)': { width: 'auto', maxHeight: 'none' },
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  item: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  upn: { color: tokens.colorNeutralForeground3, display: 'block', fontSize: tokens.fontSizeBase200 },
});

/** Shown at most; the rest are counted (the selection itself keeps them all). */
const shown = 200;

export function SelectedUsersPanel({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const { selection, count, setUsers, clear } = useSelection(customerId);
  return (
    <Card className={styles.panel} role="region" aria-labelledby="selected-users-title">
      <Subtitle2 as="h2" id="selected-users-title">
        {t('selectedUsers')}
      </Subtitle2>
      {count === 0 && <Text>{t('nobodySelected')}</Text>}
      {selection.kind === 'matching' && (
        <ul className={styles.list}>
          <li className={styles.item}>
            <Text>
              {t('matchingWithTotal', {
                description: describeFilter(selection.filter, selection.productNames, t),
                total: selection.total,
              })}
            </Text>
            <Button
              size="small"
              onClick={clear}
              aria-label={t('removeNamed', { name: describeFilter(selection.filter, selection.productNames, t) })}
            >
              {t('remove')}
            </Button>
          </li>
        </ul>
      )}
      {selection.kind === 'users' && count > 0 && (
        <ul className={styles.list}>
          {[...selection.users.values()].slice(0, shown).map((user) => (
            <li key={user.id} className={styles.item}>
              <Text>
                {user.displayName}
                <span className={styles.upn}>{user.userPrincipalName}</span>
              </Text>
              <Button
                size="small"
                onClick={() => setUsers([user], false)}
                aria-label={t('removeNamed', { name: user.displayName })}
              >
                {t('remove')}
              </Button>
            </li>
          ))}
          {count > shown && <li>{t('andMore', { count: count - shown })}</li>}
        </ul>
      )}
    </Card>
  );
}
