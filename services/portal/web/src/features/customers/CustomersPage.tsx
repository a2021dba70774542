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
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useCustomers } from './api.ts';

export function CustomersPage() {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const customers = useCustomers(page, pageSize);

  return (
    <>
      <Title2 as="h1">Customers</Title2>
      {customers.error && <ProblemMessage error={customers.error} />}
      {customers.isPending && <Spinner label="Loading customers…" />}
      {customers.data && customers.data.total === 0 && (
        <Text>You have no customers yet. Create one through the API (POST /v1/customers).</Text>
      )}
      {customers.data && customers.data.total > 0 && (
        <>
          <Table aria-label="Customers">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Country</TableHeaderCell>
                <TableHeaderCell>Created</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customers.data.items.map((customer) => (
                <TableRow key={customer.id}>
                  <TableCell>
                    <Link href={paths.users(customer.id)}>{customer.name}</Link>
                  </TableCell>
                  <TableCell>{customer.country}</TableCell>
                  <TableCell>{new Date(customer.createdAt).toLocaleDateString('en-US')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager
            label="Customer pages"
            noun="customers"
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
