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
import type { LicensePreview } from '../../api/types.ts';
import { describeError, summaryOf } from '../jobs/reasons.ts';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  short: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What a save would do, predicted by the API on the current state; nothing is reserved or changed. */
export function PreviewPanel({ preview, names }: { preview: LicensePreview; names: ReadonlyMap<string, string> }) {
  const styles = useStyles();
  const { outcomes, failures } = preview;
  const predicted = [
    outcomes.assigned && `${count(outcomes.assigned, 'license')} assigned`,
    outcomes.updated && `${count(outcomes.updated, 'license')} updated (service plans)`,
    outcomes.revoked && `${count(outcomes.revoked, 'license')} removed`,
    outcomes.unchanged && `${count(outcomes.unchanged, 'license')} already as asked`,
    outcomes.not_assigned && `${count(outcomes.not_assigned, 'removal')} of a license the user does not hold`,
  ].filter(Boolean);
  return (
    <Card className={styles.card} role="region" aria-labelledby="preview-title">
      <Subtitle2 as="h2" id="preview-title">
        Preview
      </Subtitle2>
      <Text>
        For {count(preview.userCount, 'user')}: {predicted.length ? predicted.join(', ') : 'nothing would change'}.
      </Text>
      {preview.seats.length > 0 && (
        <Table aria-label="Seats needed" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Product</TableHeaderCell>
              <TableHeaderCell>Seats needed</TableHeaderCell>
              <TableHeaderCell>Available</TableHeaderCell>
              <TableHeaderCell>Missing</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {preview.seats.map((seat) => (
              <TableRow key={seat.productId}>
                <TableCell>{names.get(seat.productId) ?? seat.productId}</TableCell>
                <TableCell>{seat.required}</TableCell>
                <TableCell>{seat.available}</TableCell>
                <TableCell className={seat.shortfall > 0 ? styles.short : undefined}>
                  {seat.shortfall > 0 ? `${seat.shortfall} — buy more before saving` : 'none'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {failures.total === 0 ? (
        <Text>No user is expected to fail.</Text>
      ) : (
        <>
          <Text weight="semibold">{count(failures.total, 'user')} would fail:</Text>
          <ul className={styles.list}>
            {Object.entries(failures.byCode).map(([code, n]) => (
              <li key={code}>
                {summaryOf(code)}: {count(n, 'user')} ({code})
              </li>
            ))}
          </ul>
          <ul className={styles.list} aria-label="Users expected to fail">
            {failures.users.slice(0, 20).map((user) => (
              <li key={user.userId}>
                {user.displayName}:{' '}
                {user.changes
                  .filter((c) => c.error)
                  .map((c) => describeError(c, c.error!, names))
                  .join(' ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
