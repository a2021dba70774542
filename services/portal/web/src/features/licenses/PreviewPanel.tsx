import {
  Card,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { LicensePreview } from '../../api/types.ts';
import { useFormat } from '../../i18n/format.ts';
import { useErrorTexts } from '../jobs/reasons.ts';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  short: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** What a save would do, predicted by the API on the current state; nothing is reserved or changed. */
export function PreviewPanel({ preview, names }: { preview: LicensePreview; names: ReadonlyMap<string, string> }) {
  const styles = useStyles();
  const { t } = useTranslation('licenses');
  const errors = useErrorTexts();
  const format = useFormat();
  const { outcomes, failures } = preview;
  const predicted = [
    outcomes.assigned && t('preview.assigned', { count: outcomes.assigned }),
    outcomes.updated && t('preview.updated', { count: outcomes.updated }),
    outcomes.revoked && t('preview.revoked', { count: outcomes.revoked }),
    outcomes.unchanged && t('preview.unchanged', { count: outcomes.unchanged }),
    outcomes.not_assigned && t('preview.notAssigned', { count: outcomes.not_assigned }),
  ].filter((text): text is string => Boolean(text));
  return (
    <Card className={styles.card} role="region" aria-labelledby="preview-title">
      <Subtitle2 as="h2" id="preview-title">
        {t('preview.title')}
      </Subtitle2>
      <Text>
        {predicted.length
          ? t('preview.summary', { count: preview.userCount, outcomes: predicted.join(', ') })
          : t('preview.nothing', { count: preview.userCount })}
      </Text>
      {preview.seats.length > 0 && (
        <Table aria-label={t('preview.seatsNeeded')} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('preview.product')}</TableHeaderCell>
              <TableHeaderCell>{t('preview.seatsNeeded')}</TableHeaderCell>
              <TableHeaderCell>{t('preview.available')}</TableHeaderCell>
              <TableHeaderCell>{t('preview.missing')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {preview.seats.map((seat) => (
              <TableRow key={seat.productId}>
                <TableCell>{names.get(seat.productId) ?? seat.productId}</TableCell>
                <TableCell>{format.number(seat.required)}</TableCell>
                <TableCell>{format.number(seat.available)}</TableCell>
                <TableCell className={seat.shortfall > 0 ? styles.short : undefined}>
                  {seat.shortfall > 0 ? t('preview.shortfall', { count: seat.shortfall }) : t('preview.noShortfall')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {failures.total === 0 ? (
        <Text>{t('preview.noFailures')}</Text>
      ) : (
        <>
          <Text weight="semibold">{t('preview.failures', { count: failures.total })}</Text>
          <ul className={styles.list}>
            {Object.entries(failures.byCode).map(([code, n]) => (
              <li key={code}>{t('preview.failuresByCode', { reason: errors.summary(code), count: n, code })}</li>
            ))}
          </ul>
          <ul className={styles.list} aria-label={t('preview.failingUsers')}>
            {failures.users.slice(0, 20).map((user) => (
              <li key={user.userId}>
                {t('preview.failingUser', {
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
