import type { LicensingClient } from './client.ts';
import { retryAfterSeconds, unwrap } from './errors.ts';
import type { components } from './schema.gen.ts';
import { serverSentEvents } from './sse.ts';

type Job = components['schemas']['Job'];

export interface WaitOptions {
  /** Called with every state of the job seen, the finished one included. */
  onProgress?: (job: Job) => void;
  /**
   * Follow the job's event stream (GET …/events, default true); without one, or when it breaks off,
   * the job is polled.
   */
  events?: boolean;
  /** Wait between polls when the API sends no Retry-After (ms); also the cap on Retry-After (default 1,000). */
  intervalMs?: number;
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The job's event stream: every `progress` event's Job goes to `onProgress`; answers the Job of the
 * `finished` event, or undefined when the API has no stream for it or the stream ended early.
 */
export async function followJobEvents(
  client: LicensingClient,
  customerId: string,
  jobId: string,
  options: Pick<WaitOptions, 'onProgress' | 'signal'> = {},
): Promise<Job | undefined> {
  let result: { data?: unknown; response: Response };
  try {
    result = await client.GET('/v1/customers/{customerId}/license-jobs/{jobId}/events', {
      params: { path: { customerId, jobId } },
      headers: { accept: 'text/event-stream' },
      parseAs: 'stream',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return undefined;
  }
  const body = result.data as ReadableStream<Uint8Array> | undefined;
  const type = result.response.headers.get('content-type') ?? '';
  if (!result.response.ok || !type.startsWith('text/event-stream') || !body) {
    await body?.cancel().catch(() => {});
    return undefined;
  }
  try {
    for await (const message of serverSentEvents(body)) {
      const job = JSON.parse(message.data) as Job;
      options.onProgress?.(job);
      if (message.event === 'finished') return job;
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // the connection broke: the caller polls instead
  }
  return undefined;
}

/**
 * Waits until the job has finished and answers it: from its event stream where the API has one,
 * otherwise (or once the stream breaks off) by polling, honouring Retry-After (capped at `intervalMs`).
 */
export async function waitForJob(
  client: LicensingClient,
  customerId: string,
  jobId: string,
  options: WaitOptions = {},
): Promise<Job> {
  if (options.events !== false) {
    const finished = await followJobEvents(client, customerId, jobId, options);
    if (finished) return finished;
  }
  const interval = options.intervalMs ?? 1000;
  for (;;) {
    const result = await client.GET('/v1/customers/{customerId}/license-jobs/{jobId}', {
      params: { path: { customerId, jobId } },
      signal: options.signal,
    });
    const job = unwrap(result);
    options.onProgress?.(job);
    if (job.finishedAt) return job;
    const retryAfter = retryAfterSeconds(result.response);
    await sleep(Math.min(interval, retryAfter === undefined ? interval : retryAfter * 1000), options.signal);
  }
}
