import type { Job } from '@licensing/client';

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** The events of a text/event-stream body, as they arrive. */
export async function* serverSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
  }
}

/**
 * Follows a job through its event stream (`GET …/events`): every `progress` event's Job goes to
 * `onProgress`; answers the Job of the `finished` event, or undefined when the API has no event
 * stream for it or the stream ended early (the caller then polls).
 */
export async function followJobEvents(
  url: string,
  apiKey: string,
  onProgress: (job: Job) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<Job | undefined> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${apiKey}` } });
  } catch {
    return undefined;
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  try {
    for await (const message of serverSentEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
      const job = JSON.parse(message.data) as Job;
      onProgress(job);
      if (message.event === 'finished') return job;
    }
  } catch {
    /* the connection broke: poll instead */
  }
  return undefined;
}
