import { Badge } from '@fluentui/react-components';
import type { Job, JobStatus } from '../../api/types.ts';

const badges: Record<JobStatus, { text: string; color: 'success' | 'danger' | 'warning' | 'informative' | 'brand' }> = {
  queued: { text: 'Queued', color: 'informative' },
  running: { text: 'Running', color: 'brand' },
  completed: { text: 'Completed', color: 'success' },
  completed_with_errors: { text: 'Completed with errors', color: 'warning' },
  failed: { text: 'Failed', color: 'danger' },
  cancelled: { text: 'Cancelled', color: 'warning' },
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const badge = badges[status];
  return (
    <Badge appearance="filled" color={badge.color}>
      {badge.text}
    </Badge>
  );
}

/** "Assign Microsoft 365 E3, remove Visio Plan 2 for 3 users". */
export function describeRequest(job: Job, names: ReadonlyMap<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  const parts = [
    job.request.assign.length ? `Assign ${job.request.assign.map((a) => name(a.productId)).join(', ')}` : '',
    job.request.revoke.length ? `remove ${job.request.revoke.map(name).join(', ')}` : '',
  ].filter(Boolean);
  const text = parts.join(', ');
  const users = `${job.request.userCount.toLocaleString('en-US')} ${job.request.userCount === 1 ? 'user' : 'users'}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} for ${users}`;
}
