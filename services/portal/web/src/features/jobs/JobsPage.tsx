import {
  Button,
  Field,
  Select,
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
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { setListParams, usePageParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames } from '../customers/api.ts';
import type { Job } from '../../api/types.ts';
import { NeedsScope } from '../keys/access.tsx';
import { type JobStatusFilter, jobStatusFilters, useCancelJob, useJobs } from './api.ts';
import { JobStatusBadge, describeRequest } from './JobStatusBadge.tsx';

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'end', flexWrap: 'wrap' },
});

function statusFilterName(filter: JobStatusFilter, t: TFunction<'jobs'>): string {
  switch (filter) {
    case 'all':
      return t('statusFilter.all');
    case 'active':
      return t('statusFilter.active');
    case 'scheduled':
      return t('status.scheduled');
    case 'completed':
      return t('status.completed');
    case 'completed_with_errors':
      return t('status.completedWithErrors');
    case 'failed':
      return t('status.failed');
    case 'cancelled':
      return t('status.cancelled');
  }
}

/**
 * The customer's jobs, newest first, filtered by status. The page, page size and status live in the
 * URL (`?status=failed&page=2`), as on the other lists: a reload keeps them, a link shares them.
 */
export function JobsPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('jobs');
  const format = useFormat();
  usePageTitle(t('title'));
  const { params, page, pageSize, setPage, setPageSize } = usePageParams();
  const status = jobStatusFilters.find((value) => value === params.get('status')) ?? 'all';
  const jobs = useJobs(customerId, { status, page, pageSize });
  const names = useCatalogNames();
  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <search className={styles.toolbar}>
        <Field label={t('statusFilter.label')}>
          <Select
            value={status}
            onChange={(_, data) => setListParams({ status: data.value === 'all' ? undefined : data.value, page: 1 })}
          >
            {jobStatusFilters.map((filter) => (
              <option key={filter} value={filter}>
                {statusFilterName(filter, t)}
              </option>
            ))}
          </Select>
        </Field>
      </search>
      {jobs.error && <ProblemMessage error={jobs.error} />}
      {jobs.isPending && <Spinner label={t('loading')} />}
      {jobs.data && jobs.data.total === 0 && <Text>{status === 'all' ? t('empty') : t('statusFilter.noMatch')}</Text>}
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
