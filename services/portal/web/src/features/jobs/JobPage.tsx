import { useState } from 'react';
import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Switch,
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
import { NeedsScope } from '../keys/access.tsx';
import type { Job, JobResult } from '../../api/types.ts';
import { Link, navigate, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames } from '../customers/api.ts';
import { downloadResultsCsv, isFinished, useCancelJob, useJob, useJobResults, useRetryJob } from './api.ts';
import { JobStatusBadge, describeRequest } from './JobStatusBadge.tsx';
import { UndoJob } from './UndoJob.tsx';
import { useErrorTexts } from './reasons.ts';
import { useJobProgress } from './useJobProgress.ts';

const useStyles = makeStyles({
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '720px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  // Long product names, codes and user principal names wrap anywhere rather than widen a phone's page.
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: 'anywhere' },
  error: { color: tokens.colorPaletteRedForeground1 },
  upn: {
    display: 'block',
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  userColumn: { width: '28%' },
  resultColumn: { width: '120px', '@media (max-width: 600px)': { width: '88px' } },
});

/** Cancel the job (a scheduled one before it starts, a running one for its users still to do). */
function CancelJob({ cancel, label, hint }: { cancel: ReturnType<typeof useCancelJob>; label: string; hint: string }) {
  const styles = useStyles();
  return (
    <>
      {cancel.error && <ProblemMessage error={cancel.error} />}
      <div className={styles.actions}>
        <NeedsScope scope="licenses:write">
          {(allowed) => (
            <Button disabled={allowed && cancel.isPending} disabledFocusable={!allowed} onClick={() => cancel.mutate()}>
              {label}
            </Button>
          )}
        </NeedsScope>
        <Text size={200}>{hint}</Text>
      </div>
    </>
  );
}

export function JobPage({ customerId, jobId }: { customerId: string; jobId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('jobs');
  const format = useFormat();
  const job = useJob(customerId, jobId);
  const finished = isFinished(job.data);
  const scheduled = job.data?.status === 'scheduled';
  usePageTitle(job.data && !finished ? (scheduled ? t('scheduled.title') : t('saving')) : t('report.title'));
  const stream = useJobProgress(customerId, jobId, Boolean(job.data) && !finished && !scheduled);
  const cancel = useCancelJob(customerId, jobId);

  if (job.isPending) return <Spinner label={t('loadingJob')} />;
  if (job.error || !job.data) return <ProblemMessage error={job.error} />;
  const { progress } = job.data;
  const done = progress.total - progress.pending;

  if (scheduled)
    return (
      <section className={styles.progress} aria-labelledby="scheduled-title">
        <Title2 as="h1" id="scheduled-title">
          {t('scheduled.title')}
        </Title2>
        <Text>{describeRequest(job.data, new Map(), t, format)}</Text>
        <MessageBar intent="info">
          <MessageBarBody>
            {t('scheduled.startsAt', {
              at: format.dateTime(job.data.notBefore ?? job.data.createdAt),
              timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
            })}
          </MessageBarBody>
        </MessageBar>
        <CancelJob cancel={cancel} label={t('scheduled.cancel')} hint={t('scheduled.cancelHint')} />
      </section>
    );

  if (!finished)
    return (
      <section className={styles.progress} aria-labelledby="saving-title">
        <Title2 as="h1" id="saving-title">
          {t('saving')}
        </Title2>
        <Text>{describeRequest(job.data, new Map(), t, format)}</Text>
        <Field
          label={t('progress.label')}
          validationState="none"
          validationMessage={t('progress.running', {
            done,
            count: progress.total,
            succeeded: progress.succeeded,
            failed: progress.failed,
          })}
        >
          <ProgressBar value={progress.total ? done / progress.total : 0} thickness="large" />
        </Field>
        {stream === 'reconnecting' && (
          <MessageBar intent="warning">
            <MessageBarBody>{t('reconnecting')}</MessageBarBody>
          </MessageBar>
        )}
        <CancelJob cancel={cancel} label={t('cancel')} hint={t('cancelHint')} />
      </section>
    );
  return <JobReport customerId={customerId} job={job.data} />;
}

function JobReport({ customerId, job }: { customerId: string; job: Job }) {
  const styles = useStyles();
  const { t } = useTranslation('jobs');
  const format = useFormat();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [downloadError, setDownloadError] = useState<unknown>();
  const names = useCatalogNames();
  const results = useJobResults(
    customerId,
    job.id,
    { status: errorsOnly ? 'failed' : undefined, page, pageSize },
    true,
  );
  const retry = useRetryJob(customerId, job.id);
  const [retryKey] = useState(() => crypto.randomUUID());
  const { progress } = job;
  const cancelled = progress.cancelled ?? 0;
  const unsuccessful = progress.failed + cancelled;

  const summary =
    job.status === 'completed'
      ? { intent: 'success' as const, text: t('report.completed', { count: progress.succeeded }) }
      : job.status === 'cancelled'
        ? {
            intent: 'warning' as const,
            text: t('report.cancelled', {
              succeeded: progress.succeeded,
              failed: progress.failed,
              cancelled,
            }),
          }
        : job.status === 'failed'
          ? { intent: 'error' as const, text: t('report.failed', { count: progress.failed }) }
          : {
              intent: 'warning' as const,
              text: t('report.withErrors', { count: progress.succeeded, failed: progress.failed }),
            };

  return (
    <>
      <Title2 as="h1">{t('report.title')}</Title2>
      <Text>
        {t('report.started', { request: describeRequest(job, names, t, format), started: new Date(job.createdAt) })}
        {job.retryOf && (
          <>
            {' · '}
            {t('report.retryOf')} <Link href={paths.job(customerId, job.retryOf)}>{t('report.earlierJob')}</Link>
          </>
        )}
        {job.revertOf && (
          <>
            {' · '}
            {t('report.revertOf')} <Link href={paths.job(customerId, job.revertOf)}>{t('report.earlierJob')}</Link>
          </>
        )}
      </Text>
      <MessageBar intent={summary.intent}>
        <MessageBarBody>
          <MessageBarTitle>
            <JobStatusBadge status={job.status} />
          </MessageBarTitle>
          {summary.text}
        </MessageBarBody>
      </MessageBar>
      {retry.error && <ProblemMessage error={retry.error} title={t('report.retryFailed')} />}
      {Boolean(downloadError) && <ProblemMessage error={downloadError} title={t('report.downloadFailed')} />}
      <div className={styles.actions}>
        <Switch
          label={t('report.errorsOnly')}
          checked={errorsOnly}
          onChange={(_, data) => {
            setErrorsOnly(data.checked);
            setPage(1);
          }}
        />
        {unsuccessful > 0 && (
          <NeedsScope scope="licenses:write">
            {(allowed) => (
              <Button
                appearance="primary"
                disabled={allowed && retry.isPending}
                disabledFocusable={!allowed}
                onClick={() =>
                  retry.mutate(retryKey, { onSuccess: (next) => navigate(paths.job(customerId, next.id)) })
                }
              >
                {t('report.retry')}
              </Button>
            )}
          </NeedsScope>
        )}
        <Button
          onClick={() => {
            setDownloadError(undefined);
            downloadResultsCsv(customerId, job.id, errorsOnly ? 'failed' : undefined).catch(setDownloadError);
          }}
        >
          {t('report.downloadCsv')}
        </Button>
        <Link href={paths.jobs(customerId)}>{t('report.allJobs')}</Link>
        <Link href={paths.users(customerId)}>{t('report.backToUsers')}</Link>
      </div>
      {progress.succeeded > 0 && <UndoJob customerId={customerId} job={job} />}
      {results.error && <ProblemMessage error={results.error} />}
      {results.data && (
        <>
          <Table aria-label={t('report.table')} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.userColumn}>{t('report.user')}</TableHeaderCell>
                <TableHeaderCell className={styles.resultColumn}>{t('report.result')}</TableHeaderCell>
                <TableHeaderCell>{t('changes')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {results.data.items.map((result) => (
                <ResultRow key={result.userId} result={result} names={names} />
              ))}
              {results.data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={3}>{errorsOnly ? t('report.noErrors') : t('report.noUsers')}</TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
          <Pager
            label={t('report.pages')}
            count={(count) => (errorsOnly ? t('report.countWithErrors', { count }) : t('report.count', { count }))}
            list={results.data}
            pageSize={pageSize}
            onPage={setPage}
            onPageSize={setPageSize}
          />
        </>
      )}
    </>
  );
}

const resultColors: Record<JobResult['status'], 'success' | 'danger' | 'warning' | 'informative'> = {
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
  pending: 'informative',
};

function resultText(status: JobResult['status'], t: TFunction<'jobs'>): string {
  switch (status) {
    case 'succeeded':
      return t('result.succeeded');
    case 'failed':
      return t('result.failed');
    case 'cancelled':
      return t('result.cancelled');
    case 'pending':
      return t('result.pending');
  }
}

function ResultRow({ result, names }: { result: JobResult; names: ReadonlyMap<string, string> }) {
  const styles = useStyles();
  const { t } = useTranslation('jobs');
  const { t: tc } = useTranslation();
  const errors = useErrorTexts();
  return (
    <TableRow>
      <TableCell>
        {result.displayName}
        <span className={styles.upn}>{result.userPrincipalName}</span>
      </TableCell>
      <TableCell>
        <Badge appearance="tint" color={resultColors[result.status]}>
          {resultText(result.status, t)}
        </Badge>
      </TableCell>
      <TableCell>
        <ul className={styles.changes}>
          {result.changes.map((change) => (
            <li key={`${change.action}-${change.productId}`}>
              {t('report.change', {
                product: names.get(change.productId) ?? change.productId,
                outcome: errors.outcome(change.outcome),
              })}
              {change.error && (
                <>
                  {' — '}
                  <span className={styles.error}>{errors.explain(change, change.error, names)}</span>{' '}
                  <span className={styles.code}>{tc('problem.codeOnly', { code: change.error.code })}</span>
                </>
              )}
            </li>
          ))}
          {result.status === 'cancelled' && result.changes.length === 0 && <li>{t('report.notChanged')}</li>}
        </ul>
      </TableCell>
    </TableRow>
  );
}
