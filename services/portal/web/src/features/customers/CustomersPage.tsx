import { useState } from 'react';
import {
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCustomers } from './api.ts';

export function CustomersPage() {
  const { t } = useTranslation('customers');
  const format = useFormat();
  usePageTitle(t('title'));
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const customers = useCustomers(page, pageSize);

  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      {customers.error && <ProblemMessage error={customers.error} />}
      {customers.isPending && <Spinner label={t('loading')} />}
      {customers.data && customers.data.total === 0 && <Text>{t('empty')}</Text>}
      {customers.data && customers.data.total > 0 && (
        <>
          <Table aria-label={t('title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('name')}</TableHeaderCell>
                <TableHeaderCell>{t('country')}</TableHeaderCell>
                <TableHeaderCell>{t('created')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customers.data.items.map((customer) => (
                <TableRow key={customer.id}>
                  <TableCell>
                    <Link href={paths.users(customer.id)}>{customer.name}</Link>
                  </TableCell>
                  <TableCell>{format.region(customer.country)}</TableCell>
                  <TableCell>{format.date(customer.createdAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager
            label={t('pages')}
            count={(count) => t('count', { count })}
            list={customers.data}
            pageSize={pageSize}
            onPage={setPage}
            onPageSize={setPageSize}
          />
        </>
      )}
    </>
  );
}
