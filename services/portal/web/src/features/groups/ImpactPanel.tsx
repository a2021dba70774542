import { Card, MessageBar, MessageBarBody, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { GroupImpact } from '../../api/types.ts';
import { useFormat } from '../../i18n/format.ts';
import { useErrorTexts } from '../jobs/reasons.ts';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, overflowWrap: 'anywhere' },
});

/**
 * What a group change would do, computed by the API over every member (a dry run): who gains and
 * who loses a license, seats short (those members would wait), and what the rules would refuse.
 */
export function ImpactPanel({ impact, names }: { impact: GroupImpact; names: ReadonlyMap<string, string> }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const errors = useErrorTexts();
  const format = useFormat();
  const short = impact.seats.filter((s) => s.shortfall > 0);
  return (
    <Card className={styles.card} role="region" aria-labelledby="impact-title">
      <Subtitle2 as="h3" id="impact-title">
        {t('impact.title')}
      </Subtitle2>
      <Text>
        {t('impact.gaining', { count: impact.usersGaining })} {t('impact.losing', { count: impact.usersLosing })}
      </Text>
      {impact.usersLosing > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t('impact.losingByProduct', {
              list: format.list(
                Object.entries(impact.losing.byProduct).map(([productId, n]) =>
                  t('impact.productCount', { product: names.get(productId) ?? productId, count: n }),
                ),
              ),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      {impact.losing.users.length > 0 && (
        <ul className={styles.list} aria-label={t('impact.losingUsers')}>
          {impact.losing.users.slice(0, 10).map((user) => (
            <li key={user.userId}>{t('impact.user', { name: user.displayName, upn: user.userPrincipalName })}</li>
          ))}
          {impact.losing.total > 10 && <li>{t('impact.more', { count: impact.losing.total - 10 })}</li>}
        </ul>
      )}
      {short.map((seat) => (
        <Text key={seat.productId}>
          {t('impact.shortfall', {
            product: names.get(seat.productId) ?? seat.productId,
            count: seat.shortfall,
            available: seat.available,
          })}
        </Text>
      ))}
      {impact.failures.total > 0 && (
        <>
          <Text weight="semibold">{t('impact.failures', { count: impact.failures.total })}</Text>
          <ul className={styles.list}>
            {Object.entries(impact.failures.byCode).map(([code, n]) => (
              <li key={code}>{t('impact.failuresByCode', { reason: errors.summary(code), count: n, code })}</li>
            ))}
          </ul>
          <ul className={styles.list} aria-label={t('impact.failingUsers')}>
            {impact.failures.users.slice(0, 10).map((user) => (
              <li key={user.userId}>
                {t('impact.failingUser', {
                  name: user.displayName,
                  reasons: user.changes
                    .filter((c) => c.error)
                    .map((c) => errors.explain(c, c.error!, names))
                    .join(' '),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
