import { useMemo, useState } from 'react';
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
import type { Job, JobResult } from '../../api/types.ts';
import { Link, navigate, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useProducts } from '../customers/api.ts';
import { downloadResultsCsv, isFinished, useCancelJob, useJob, useJobResults, useRetryJob } from './api.ts';
import { JobStatusBadge, describeRequest } from './JobStatusBadge.tsx';
import { describeError, outcomeWords } from './reasons.ts';
import { useJobProgress } from './useJobProgress.ts';

const useStyles = makeStyles({
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '720px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  error: { color: tokens.colorPaletteRedForeground1 },
  upn: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  userColumn: { width: '28%' },
  resultColumn: { width: '120px' },
});

const n = (value: number) => value.toLocaleString('en-US');

export function JobPage({ customerId, jobId }: { customerId: string; jobId: string }) {
  const styles = useStyles();
  const job = useJob(customerId, jobId);
  const finished = isFinished(job.data);
  const stream = useJobProgress(customerId, jobId, Boolean(job.data) && !finished);
  const cancel = useCancelJob(customerId, jobId);

  if (job.isPending) return <Spinner label="Loading the job…" />;
  if (job.error || !job.data) return <ProblemMessage error={job.error} />;
  const { progress } = job.data;
  const done = progress.total - progress.pending;

  if (!finished)
    return (
      <section className={styles.progress} aria-labelledby="saving-title">
        <Title2 as="h1" id="saving-title">
          Saving licenses
        </Title2>
        <Text>{describeRequest(job.data, new Map())}</Text>
        <Field
          label="Progress"
          validationState="none"
          validationMessage={`${n(done)} of ${n(progress.total)} users done · ${n(progress.succeeded)} succeeded · ${n(progress.failed)} failed`}
        >
          <ProgressBar value={progress.total ? done / progress.total : 0} thickness="large" />
        </Field>
        {stream === 'reconnecting' && (
          <MessageBar intent="warning">
            <MessageBarBody>The connection was lost. Reconnecting… the job goes on meanwhile.</MessageBarBody>
          </MessageBar>
        )}
        {cancel.error && <ProblemMessage error={cancel.error} />}
        <div className={styles.actions}>
          <Button disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            Cancel job
          </Button>
          <Text size={200}>Users already changed stay changed; the others are left as they were.</Text>
        </div>
      </section>
    );
  return <JobReport customerId={customerId} job={job.data} />;
}

function JobReport({ customerId, job }: { customerId: string; job: Job }) {
  const styles = useStyles();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [downloadError, setDownloadError] = useState<unknown>();
  const products = useProducts();
  const names = useMemo(
    () => new Map([...(products.data?.values() ?? [])].map((p) => [p.id, p.name])),
    [products.data],
  );
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
      ? { intent: 'success' as const, text: `All ${n(progress.succeeded)} users were updated.` }
      : job.status === 'cancelled'
        ? {
            intent: 'warning' as const,
            text: `The job was cancelled: ${n(progress.succeeded)} updated, ${n(progress.failed)} failed, ${n(cancelled)} not changed.`,
          }
        : job.status === 'failed'
          ? { intent: 'error' as const, text: `No user was updated: ${n(progress.failed)} failed.` }
          : {
              intent: 'warning' as const,
              text: `${n(progress.succeeded)} ${progress.succeeded === 1 ? 'user was' : 'users were'} updated, ${n(progress.failed)} failed.`,
            };

  return (
    <>
      <Title2 as="h1">Licenses updated</Title2>
      <Text>
        {describeRequest(job, names)} · started {new Date(job.createdAt).toLocaleString('en-US')}
        {job.retryOf && (
          <>
            {' '}
            · a retry of <Link href={paths.job(customerId, job.retryOf)}>an earlier job</Link>
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
      {retry.error && <ProblemMessage error={retry.error} title="The retry was not started" />}
      {Boolean(downloadError) && <ProblemMessage error={downloadError} title="The download failed" />}
      <div className={styles.actions}>
        <Switch
          label="Show errors only"
          checked={errorsOnly}
          onChange={(_, data) => {
            setErrorsOnly(data.checked);
            setPage(1);
          }}
        />
        {unsuccessful > 0 && (
          <Button
            appearance="primary"
            disabled={retry.isPending}
            onClick={() => retry.mutate(retryKey, { onSuccess: (next) => navigate(paths.job(customerId, next.id)) })}
          >
            Retry failed
          </Button>
        )}
        <Button
          onClick={() => {
            setDownloadError(undefined);
            downloadResultsCsv(customerId, job.id, errorsOnly ? 'failed' : undefined).catch(setDownloadError);
          }}
        >
          Download CSV
        </Button>
        <Link href={paths.jobs(customerId)}>All jobs</Link>
        <Link href={paths.users(customerId)}>Back to users</Link>
      </div>
      {results.error && <ProblemMessage error={results.error} />}
      {results.data && (
        <>
          <Table aria-label="Outcome per user" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.userColumn}>User</TableHeaderCell>
                <TableHeaderCell className={styles.resultColumn}>Result</TableHeaderCell>
                <TableHeaderCell>Changes</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {results.data.items.map((result) => (
                <ResultRow key={result.userId} result={result} names={names} />
              ))}
              {results.data.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={3}>{errorsOnly ? 'No errors.' : 'No users.'}</TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
          <Pager
            label="Report pages"
            noun={errorsOnly ? 'users with errors' : 'users'}
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

const statusBadge: Record<
  JobResult['status'],
  { color: 'success' | 'danger' | 'warning' | 'informative'; text: string }
> = {
  succeeded: { color: 'success', text: 'Succeeded' },
  failed: { color: 'danger', text: 'Failed' },
  cancelled: { color: 'warning', text: 'Cancelled' },
  pending: { color: 'informative', text: 'Pending' },
};

function ResultRow({ result, names }: { result: JobResult; names: ReadonlyMap<string, string> }) {
  const styles = useStyles();
  const badge = statusBadge[result.status];
  return (
    <TableRow>
      <TableCell>
        {result.displayName}
        <span className={styles.upn}>{result.userPrincipalName}</span>
      </TableCell>
      <TableCell>
        <Badge appearance="tint" color={badge.color}>
          {badge.text}
        </Badge>
      </TableCell>
      <TableCell>
        <ul className={styles.changes}>
          {result.changes.map((change) => (
            <li key={`${change.action}-${change.productId}`}>
              {names.get(change.productId) ?? change.productId}: {outcomeWords[change.outcome]}
              {change.error && (
                <>
                  {' — '}
                  <span className={styles.error}>{describeError(change, change.error, names)}</span>{' '}
                  <span className={styles.code}>({change.error.code})</span>
                </>
              )}
            </li>
          ))}
          {result.status === 'cancelled' && result.changes.length === 0 && <li>Not changed: the job was cancelled.</li>}
        </ul>
      </TableCell>
    </TableRow>
  );
}
