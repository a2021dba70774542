import { useMemo, useState } from 'react';
import {
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useProducts, useSubscriptions } from '../customers/api.ts';
import { AddSubscriptionDialog, ChangeQuantityDialog } from './QuantityDialog.tsx';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  number: { textAlign: 'end' },
});

/** The customer's subscriptions: seats bought, assigned, reserved by jobs in progress, available. */
export function SubscriptionsPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('customers');
  const format = useFormat();
  usePageTitle(t('subscriptions.title'));
  const subscriptions = useSubscriptions(customerId);
  const products = useProducts();
  const phone = useMediaQuery(PHONE);
  const [notice, setNotice] = useState<string>();
  const items = subscriptions.data?.items ?? [];
  const unsubscribed = useMemo(() => {
    const held = new Set(items.map((s) => s.productId));
    return [...(products.data?.values() ?? [])]
      .filter((p) => !held.has(p.id))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [items, products.data]);

  return (
    <>
      <Title2 as="h1">{t('subscriptions.title')}</Title2>
      <div>
        <AddSubscriptionDialog
          customerId={customerId}
          products={unsubscribed}
          onAdded={(product, quantity) =>
            setNotice(t('subscriptions.add.added', { product: product.name, count: quantity }))
          }
        />
      </div>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {subscriptions.error && <ProblemMessage error={subscriptions.error} />}
      {subscriptions.isPending && <Spinner label={t('subscriptions.loading')} />}
      {subscriptions.data && items.length === 0 && <Text>{t('subscriptions.empty')}</Text>}
      {items.length > 0 &&
        (phone ? (
          <ul className={styles.list} aria-label={t('subscriptions.title')}>
            {items.map((s) => (
              <li key={s.productId} className={styles.item}>
                <Text weight="semibold">{s.productName}</Text>
                <Text>
                  {t('subscriptions.summary', {
                    quantity: s.quantity,
                    assigned: s.assigned,
                    reserved: s.reserved,
                    available: s.available,
                  })}
                </Text>
                <span>
                  <ChangeQuantityDialog
                    customerId={customerId}
                    subscription={s}
                    onChanged={(quantity) =>
                      setNotice(t('subscriptions.change.changed', { product: s.productName, count: quantity }))
                    }
                  />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <Table aria-label={t('subscriptions.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('subscriptions.product')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('subscriptions.quantity')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('subscriptions.assigned')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('subscriptions.reserved')}</TableHeaderCell>
                <TableHeaderCell className={styles.number}>{t('subscriptions.available')}</TableHeaderCell>
                <TableHeaderCell>{t('subscriptions.actions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((s) => (
                <TableRow key={s.productId}>
                  <TableCell>{s.productName}</TableCell>
                  <TableCell className={styles.number}>{format.number(s.quantity)}</TableCell>
                  <TableCell className={styles.number}>{format.number(s.assigned)}</TableCell>
                  <TableCell className={styles.number}>{format.number(s.reserved)}</TableCell>
                  <TableCell className={styles.number}>{format.number(s.available)}</TableCell>
                  <TableCell>
                    <ChangeQuantityDialog
                      customerId={customerId}
                      subscription={s}
                      onChanged={(quantity) =>
                        setNotice(t('subscriptions.change.changed', { product: s.productName, count: quantity }))
                      }
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
    </>
  );
}
