import { Badge } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Job, JobStatus } from '../../api/types.ts';
import type { Format } from '../../i18n/format.ts';

const colors: Record<JobStatus, 'success' | 'danger' | 'warning' | 'informative' | 'brand'> = {
  scheduled: 'informative',
  queued: 'informative',
  running: 'brand',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'danger',
  cancelled: 'warning',
};

function statusText(status: JobStatus, t: TFunction<'jobs'>): string {
  switch (status) {
    case 'scheduled':
      return t('status.scheduled');
    case 'queued':
      return t('status.queued');
    case 'running':
      return t('status.running');
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

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { t } = useTranslation('jobs');
  return (
    <Badge appearance="filled" color={colors[status]}>
      {statusText(status, t)}
    </Badge>
  );
}

/** "Assign Microsoft 365 E3, remove Visio Plan 2 for 3 users". */
export function describeRequest(
  job: Job,
  names: ReadonlyMap<string, string>,
  t: TFunction<'jobs'>,
  format: Format,
): string {
  const name = (id: string) => names.get(id) ?? id;
  const assign = format.list(job.request.assign.map((a) => name(a.productId)));
  const revoke = format.list(job.request.revoke.map(name));
  const count = job.request.userCount;
  if (job.request.assign.length && job.request.revoke.length)
    return t('request.assignAndRevoke', { assign, revoke, count });
  if (job.request.assign.length) return t('request.assign', { assign, count });
  return t('request.revoke', { revoke, count });
}
