import { useState } from 'react';
import {
  Button,
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
import { useCatalogNames } from '../customers/api.ts';
import type { Job } from '../../api/types.ts';
import { NeedsScope } from '../keys/access.tsx';
import { useCancelJob, useJobs } from './api.ts';
import { JobStatusBadge, describeRequest } from './JobStatusBadge.tsx';

export function JobsPage({ customerId }: { customerId: string }) {
  const { t } = useTranslation('jobs');
  const format = useFormat();
  usePageTitle(t('title'));
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const jobs = useJobs(customerId, page, pageSize);
  const names = useCatalogNames();
  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      {jobs.error && <ProblemMessage error={jobs.error} />}
      {jobs.isPending && <Spinner label={t('loading')} />}
      {jobs.data && jobs.data.total === 0 && <Text>{t('empty')}</Text>}
      {jobs.data && jobs.data.total > 0 && (
        <>
          <Table aria-label={t('recent')} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('started')}</TableHeaderCell>
                <TableHeaderCell>{t('changes')}</TableHeaderCell>
                <TableHeaderCell>{t('statusColumn')}</TableHeaderCell>
                <TableHeaderCell>{t('outcome')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.data.items.map((job) => (
                <TableRow key={job.id}>
                  <TableCell>
                    <Link
                      href={paths.job(customerId, job.id)}
                      aria-label={t('reportOf', {
                        request: describeRequest(job, names, t, format),
                        started: new Date(job.createdAt),
                      })}
                    >
                      {format.dateTime(job.createdAt)}
                    </Link>
                  </TableCell>
                  <TableCell>{describeRequest(job, names, t, format)}</TableCell>
                  <TableCell>
                    <JobStatusBadge status={job.status} />
                  </TableCell>
                  <TableCell>
                    {job.status === 'scheduled' ? (
                      <ScheduledJob
                        customerId={customerId}
                        job={job}
                        request={describeRequest(job, names, t, format)}
                      />
                    ) : (
                      <JobOutcome job={job} />
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pager
            label={t('pages')}
            count={(count) => t('count', { count })}
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

function JobOutcome({ job }: { job: Job }) {
  const { t } = useTranslation('jobs');
  return (
    <>
      {[
        t('progress.succeeded', { count: job.progress.succeeded }),
        t('progress.failed', { count: job.progress.failed }),
        ...(job.progress.cancelled ? [t('progress.cancelled', { count: job.progress.cancelled })] : []),
        ...(job.progress.pending ? [t('progress.pending', { count: job.progress.pending })] : []),
      ].join(', ')}
    </>
  );
}

/** A scheduled job's row: when it starts (in the user's time zone), and Cancel until then. */
function ScheduledJob({ customerId, job, request }: { customerId: string; job: Job; request: string }) {
  const { t } = useTranslation('jobs');
  const format = useFormat();
  const cancel = useCancelJob(customerId, job.id);
  return (
    <>
      {t('scheduled.startsOn', { at: format.dateTime(job.notBefore ?? job.createdAt) })}{' '}
      <NeedsScope scope="licenses:write">
        {(allowed) => (
          <Button
            size="small"
            disabled={allowed && cancel.isPending}
            disabledFocusable={!allowed}
            aria-label={t('scheduled.cancelOf', { request })}
            onClick={() => cancel.mutate()}
          >
            {t('scheduled.cancelShort')}
          </Button>
        )}
      </NeedsScope>
      {cancel.error && <ProblemMessage error={cancel.error} />}
    </>
  );
}
