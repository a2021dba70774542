// Live progress of a running job from its event stream (GET …/events, text/event-stream). The
// stream is read with fetch, not EventSource, so the key travels in the Authorization header and
// never in a URL. A dropped connection is retried with growing pauses and the job re-read, so the
// bar resumes where the job is; where the API has no event stream, the job is polled instead.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiProblem, apiResponse } from '../../api/http.ts';
import type { Job } from '../../api/types.ts';
import { fetchJob, jobKeys } from './api.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'done';

interface ServerEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream body into events (the subset the API sends: event and data lines). */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { event, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export function useJobProgress(customerId: string, jobId: string, running: boolean): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>(running ? 'connecting' : 'done');

  useEffect(() => {
    if (!running) {
      setState('done');
      return;
    }
    const abort = new AbortController();
    const { signal } = abort;
    const key = jobKeys.one(customerId, jobId);
    const path = `/v1/customers/${encodeURIComponent(customerId)}/license-jobs/${encodeURIComponent(jobId)}`;
    const show = (job: Job) => queryClient.setQueryData(key, job);

    async function poll() {
      setState('polling');
      while (!signal.aborted) {
        try {
          const job = await fetchJob(customerId, jobId, signal);
          setState('polling');
          show(job);
          if (job.finishedAt) return;
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof ApiProblem && err.status < 500 && err.status !== 429) throw err;
          setState('reconnecting');
        }
        await sleep(1000, signal);
      }
    }

    async function follow() {
      let pause = 500;
      while (!signal.aborted) {
        try {
          const response = await apiResponse(`${path}/events`, { headers: { accept: 'text/event-stream' }, signal });
          if (!response.body) throw new Error('no body');
          setState('live');
          pause = 500;
          for await (const { event, data } of readEvents(response.body)) {
            const job = JSON.parse(data) as Job;
            show(job);
            if (event === 'finished' || job.finishedAt) return;
          }
          // The stream ended without "finished" (a restart between us and the API): read on.
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof ApiProblem && (err.status === 404 || err.status === 405 || err.status === 406)) {
            // No event stream for this job here: fall back to polling the job itself.
            return poll();
          }
          if (err instanceof ApiProblem && err.status < 500 && err.status !== 429) throw err;
        }
        setState('reconnecting');
        await sleep(pause, signal);
        pause = Math.min(pause * 2, 5000);
        // Catch up on what happened while disconnected, then listen again.
        try {
          const job = await fetchJob(customerId, jobId, signal);
          show(job);
          if (job.finishedAt) return;
        } catch {
          /* still offline: the next attempt tells */
        }
      }
    }

    follow()
      .then(() => {
        if (!signal.aborted) setState('done');
      })
      .catch(() => {
        if (!signal.aborted) setState('done');
      })
      .finally(() => {
        if (signal.aborted) return;
        void queryClient.invalidateQueries({ queryKey: key });
        void queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
      });
    return () => abort.abort();
  }, [customerId, jobId, running, queryClient]);

  return state;
}
