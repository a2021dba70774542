import { useMemo, useState } from 'react';
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
import { useProducts } from '../customers/api.ts';
import { useJobs } from './api.ts';
import { JobStatusBadge, describeRequest } from './JobStatusBadge.tsx';

export function JobsPage({ customerId }: { customerId: string }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const jobs = useJobs(customerId, page, pageSize);
  const products = useProducts();
  const names = useMemo(
    () => new Map([...(products.data?.values() ?? [])].map((p) => [p.id, p.name])),
    [products.data],
  );
  return (
    <>
      <Title2 as="h1">Jobs</Title2>
      {jobs.error && <ProblemMessage error={jobs.error} />}
      {jobs.isPending && <Spinner label="Loading jobs…" />}
      {jobs.data && jobs.data.total === 0 && <Text>No license changes yet for this customer.</Text>}
      {jobs.data && jobs.data.total > 0 && (
        <>
          <Table aria-label="Recent jobs" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Started</TableHeaderCell>
                <TableHeaderCell>Changes</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Outcome</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.data.items.map((job) => (
                <TableRow key={job.id}>
                  <TableCell>
                    <Link
                      href={paths.job(customerId, job.id)}
                      aria-label={`Report of ${describeRequest(job, names)}, started ${new Date(job.createdAt).toLocaleString('en-US')}`}
                    >
                      {new Date(job.createdAt).toLocaleString('en-US')}
                    </Link>
                  </TableCell>
                  <TableCell>{describeRequest(job, names)}</TableCell>
                  <TableCell>
                    <JobStatusBadge status={job.status} />
                  </TableCell>
                  <TableCell>
                    {job.progress.succeeded.toLocaleString('en-US')} succeeded,{' '}
                    {job.progress.failed.toLocaleString('en-US')} failed
                    {job.progress.cancelled ? `, ${job.progress.cancelled.toLocaleString('en-US')} cancelled` : ''}
                    {job.progress.pending ? `, ${job.progress.pending.toLocaleString('en-US')} pending` : ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager
            label="Job pages"
            noun="jobs"
            list={jobs.data}
            pageSize={pageSize}
            onPage={setPage}
            onPageSize={setPageSize}
          />
        </>
      )}
    </>
  );
}
