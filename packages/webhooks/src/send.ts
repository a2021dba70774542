// One delivery attempt: a signed POST to the partner's endpoint, under the safety rules of
// url-safety.ts, with a time limit, no redirects and a bounded read of the answer.
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { Webhook } from 'standardwebhooks';
import { checkedLookup, hostOf, isPublicAddress, parseWebhookUrl, type WebhookTargetPolicy } from './url-safety.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** At most this much of an endpoint's answer is read (it is kept for the delivery's record). */
export const WEBHOOK_RESPONSE_LIMIT = 4096;

export interface SignedMessage {
  /** The Standard Webhooks message id: the same on every attempt of one event. */
  id: string;
  /** The exact body sent: `{type, timestamp, data}` as JSON. */
  body: string;
  /** The signing secret (`whsec_...`). */
  secret: string;
}

export interface AttemptResult {
  /** 2xx: the endpoint took the event. */
  delivered: boolean;
  statusCode: number | null;
  /** Why the attempt failed (no answer, a redirect, a refused target, a non-2xx status). */
  error: string | null;
  durationMs: number;
}

/** The three Standard Webhooks headers for one attempt: the id, the attempt's time and the signature. */
export function signatureHeaders(message: SignedMessage, at: Date = new Date()): Record<string, string> {
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': new Webhook(message.secret).sign(message.id, timestamp, message.body),
  };
}

/** Sends webhook attempts. One per worker process: it holds the connection pool. */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(
    private readonly policy: WebhookTargetPolicy,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {
    this.agent = new Agent({
      connect: { lookup: checkedLookup(policy), timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections: 16,
    });
  }

  async send(rawUrl: string, message: SignedMessage): Promise<AttemptResult> {
    const started = performance.now();
    const result = (delivered: boolean, statusCode: number | null, error: string | null): AttemptResult => ({
      delivered,
      statusCode,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = parseWebhookUrl(rawUrl, this.policy);
      // A literal address is connected to without a lookup, so it is checked here.
      const host = hostOf(url);
      if (isIP(host) && !this.policy.allowPrivateTargets && !isPublicAddress(host))
        return result(false, null, `refused: ${host} is not a public address`);
    } catch (error) {
      return result(false, null, `refused: ${(error as Error).message}`);
    }
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'bulk-licensing-webhooks/1',
          ...signatureHeaders(message),
        },
        body: message.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const answer = await readAtMost(response.body, WEBHOOK_RESPONSE_LIMIT);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return result(true, status, null);
      if (status >= 300 && status < 400)
        return result(false, status, `redirect to ${String(response.headers.location ?? '?')} not followed`);
      return result(false, status, `HTTP ${status}${answer ? `: ${answer.slice(0, 200)}` : ''}`);
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      const refused = [err, err.cause as NodeJS.ErrnoException | undefined].find((e) => e?.code === 'EWEBHOOKTARGET');
      if (refused) return result(false, null, `refused: ${refused.message}`);
      if (err.name === 'TimeoutError' || err.name === 'AbortError' || /timeout/i.test(err.code ?? ''))
        return result(false, null, `no answer within ${this.timeoutMs / 1000} s`);
      return result(false, null, `${err.code ?? err.name}: ${err.message}`.slice(0, 500));
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads a body up to `limit` bytes as text and drops the rest without reading it. */
async function readAtMost(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // An answer cut short says nothing more about the delivery than its status does.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
