import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiResponse, data, query } from '../../api/http.ts';
import type { Job } from '../../api/types.ts';

export const jobKeys = {
  list: (customerId: string, params: JobListParams) => ['customer', customerId, 'jobs', params] as const,
  one: (customerId: string, jobId: string) => ['customer', customerId, 'job', jobId] as const,
  results: (customerId: string, jobId: string, params: { status?: string; page: number; pageSize: number }) =>
    ['customer', customerId, 'job', jobId, 'results', params] as const,
};

export const isFinished = (job: Job | undefined) => Boolean(job?.finishedAt);

/** The jobs list's filter by status, as the page's URL names it (`?status=active`). */
export const jobStatusFilters = [
  'all',
  'scheduled',
  'active',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;
export type JobStatusFilter = (typeof jobStatusFilters)[number];

/** The statuses a filter asks the API for (`status=queued,running`); none for every job. */
function statusQuery(filter: JobStatusFilter): string | undefined {
  if (filter === 'all') return undefined;
  return filter === 'active' ? 'queued,running' : filter;
}

export interface JobListParams {
  status: JobStatusFilter;
  page: number;
  pageSize: number;
}

export function useJobs(customerId: string, params: JobListParams) {
  const status = statusQuery(params.status);
  return useQuery({
    queryKey: jobKeys.list(customerId, params),
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/license-jobs', {
          params: {
            path: { customerId },
            query: { page: params.page, pageSize: params.pageSize, ...(status ? { status } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    // Running jobs change under the list; scheduled ones only when they start; a finished list stays put.
    refetchInterval: (q) => {
      const unfinished = q.state.data?.items.filter((job) => !job.finishedAt) ?? [];
      if (unfinished.some((job) => job.status !== 'scheduled')) return 2000;
      return unfinished.length ? 15_000 : false;
    },
  });
}

export function fetchJob(customerId: string, jobId: string, signal?: AbortSignal): Promise<Job> {
  return data(
    api().GET('/v1/customers/{customerId}/license-jobs/{jobId}', { params: { path: { customerId, jobId } }, signal }),
  );
}

export function useJob(customerId: string, jobId: string) {
  return useQuery({
    queryKey: jobKeys.one(customerId, jobId),
    queryFn: ({ signal }) => fetchJob(customerId, jobId, signal),
    // A scheduled job has no progress to stream until its time: it is looked at again now and then.
    refetchInterval: (q) => (q.state.data?.status === 'scheduled' ? 5000 : false),
  });
}

export function useJobResults(
  customerId: string,
  jobId: string,
  params: { status?: 'failed'; page: number; pageSize: number },
  enabled: boolean,
) {
  return useQuery({
    queryKey: jobKeys.results(customerId, jobId, params),
    queryFn: ({ signal }) =>
      data(
        api().GET('/v1/customers/{customerId}/license-jobs/{jobId}/results', {
          params: { path: { customerId, jobId }, query: params },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCancelJob(customerId: string, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      data(
        api().POST('/v1/customers/{customerId}/license-jobs/{jobId}/cancel', {
          params: { path: { customerId, jobId } },
        }),
      ),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.one(customerId, jobId), job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}

/** What undoing a finished job would do now, and the users it would leave alone; nothing is changed. */
export function useRevertPreview(customerId: string, jobId: string) {
  return useMutation({
    mutationFn: () =>
      data(
        api().POST('/v1/customers/{customerId}/license-jobs/{jobId}/revert/preview', {
          params: { path: { customerId, jobId } },
        }),
      ),
  });
}

/** Undo a finished job: a new job that puts its users back as they were before it. */
export function useRevertJob(customerId: string, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      data(
        api().POST('/v1/customers/{customerId}/license-jobs/{jobId}/revert', {
          params: { path: { customerId, jobId }, header: { 'idempotency-key': idempotencyKey } },
        }),
      ),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.one(customerId, job.id), job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}

export function useRetryJob(customerId: string, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      data(
        api().POST('/v1/customers/{customerId}/license-jobs/{jobId}/retry', {
          params: { path: { customerId, jobId }, header: { 'idempotency-key': idempotencyKey } },
        }),
      ),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.one(customerId, job.id), job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}

/** The report as CSV (streamed by the API), saved through the browser's download. */
export async function downloadResultsCsv(customerId: string, jobId: string, status?: 'failed') {
  const path = `/v1/customers/${encodeURIComponent(customerId)}/license-jobs/${encodeURIComponent(jobId)}/results`;
  const response = await apiResponse(`${path}${query({ status })}`, { headers: { accept: 'text/csv' } });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `licenses-${jobId}${status ? '-errors' : ''}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
