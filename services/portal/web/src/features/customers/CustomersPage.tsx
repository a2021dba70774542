import { useState } from 'react';
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
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { usePageParams } from '../../components/useListParams.ts';
import { useFormat } from '../../i18n/format.ts';
import type { Customer } from '../../api/types.ts';
import { AddCustomerDialog } from './AddCustomerDialog.tsx';
import { useCustomers } from './api.ts';

export function CustomersPage() {
  const { t } = useTranslation('customers');
  const format = useFormat();
  usePageTitle(t('title'));
  const { page, pageSize, setPage, setPageSize } = usePageParams();
  const customers = useCustomers(page, pageSize);
  const [added, setAdded] = useState<Customer>();

  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <div>
        <AddCustomerDialog onAdded={setAdded} />
      </div>
      {added && (
        <MessageBar intent="success">
          <MessageBarBody>
            {t('add.added', { name: added.name })} <Link href={paths.users(added.id)}>{t('add.open')}</Link>
          </MessageBarBody>
        </MessageBar>
      )}
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
