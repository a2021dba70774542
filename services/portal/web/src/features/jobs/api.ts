import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiJson, apiResponse, query } from '../../api/http.ts';
import type { Job, JobResult, Paged } from '../../api/types.ts';

const jobsPath = (customerId: string) => `/v1/customers/${encodeURIComponent(customerId)}/license-jobs`;
const jobPath = (customerId: string, jobId: string) => `${jobsPath(customerId)}/${encodeURIComponent(jobId)}`;

export const jobKeys = {
  list: (customerId: string, page: number, pageSize: number) =>
    ['customer', customerId, 'jobs', { page, pageSize }] as const,
  one: (customerId: string, jobId: string) => ['customer', customerId, 'job', jobId] as const,
  results: (customerId: string, jobId: string, params: { status?: string; page: number; pageSize: number }) =>
    ['customer', customerId, 'job', jobId, 'results', params] as const,
};

export const isFinished = (job: Job | undefined) => Boolean(job?.finishedAt);

export function useJobs(customerId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: jobKeys.list(customerId, page, pageSize),
    queryFn: ({ signal }) => apiJson<Paged<Job>>(`${jobsPath(customerId)}${query({ page, pageSize })}`, { signal }),
    placeholderData: keepPreviousData,
    // Running jobs change under the list; a finished list stays put.
    refetchInterval: (q) => (q.state.data?.items.some((job) => !job.finishedAt) ? 2000 : false),
  });
}

export function useJob(customerId: string, jobId: string) {
  return useQuery({
    queryKey: jobKeys.one(customerId, jobId),
    queryFn: ({ signal }) => apiJson<Job>(jobPath(customerId, jobId), { signal }),
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
      apiJson<Paged<JobResult>>(`${jobPath(customerId, jobId)}/results${query(params)}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCancelJob(customerId: string, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiJson<Job>(`${jobPath(customerId, jobId)}/cancel`, { method: 'POST' }),
    onSuccess: (job) => {
      if (job?.id) queryClient.setQueryData(jobKeys.one(customerId, jobId), job);
      return queryClient.invalidateQueries({ queryKey: jobKeys.one(customerId, jobId) });
    },
  });
}

export function useRetryJob(customerId: string, jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (idempotencyKey: string) =>
      apiJson<Job>(`${jobPath(customerId, jobId)}/retry`, {
        method: 'POST',
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.one(customerId, job.id), job);
      return queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'jobs'] });
    },
  });
}

/** The report as CSV (streamed by the API), saved through the browser's download. */
export async function downloadResultsCsv(customerId: string, jobId: string, status?: 'failed') {
  const response = await apiResponse(`${jobPath(customerId, jobId)}/results${query({ status })}`, {
    headers: { accept: 'text/csv' },
  });
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
