// The soak's client of the two API processes, as a partner's would be behind a load balancer: a
// request goes to one of them and, when that one does not answer (killed, stopped), again to the
// other, with the same Idempotency-Key where it has one. Every answer is counted by operation and
// status, and checked against the rule for server errors: none, except a 503 with Retry-After while
// a fault is in force.
import type { Service } from './infra.ts';
import type { Random } from './random.ts';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export interface SoakLedger {
  count(kind: string, outcome: string): void;
  violation(message: string): void;
  /** A 503 with Retry-After outside every fault's window (a violation unless the run tolerates them). */
  lateUnavailable(message: string): void;
  /** Whether `at` (ms) falls inside a fault's window (from its start to its recovery, with grace). */
  inFaultWindow(at: number): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Network errors a dead or refusing peer causes; a timeout is counted apart. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') return 'timeout';
  return cause?.code ?? 'network';
}

export class SoakHttp {
  constructor(
    private readonly apis: Service[],
    private readonly rng: Random,
    private readonly ledger: SoakLedger,
  ) {}

  private base(attempt: number, first: number): string {
    const api = this.apis[(first + attempt) % this.apis.length]!;
    return `http://127.0.0.1:${api.port}`;
  }

  /**
   * One operation: up to `attempts` tries over the API processes. Answers the last response, or
   * undefined when no process answered.
   */
  async call(
    kind: string,
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
    options: { timeoutMs?: number; attempts?: number } = {},
  ): Promise<Answer | undefined> {
    const first = this.rng.int(0, this.apis.length - 1);
    const attempts = options.attempts ?? 8;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const startedAt = Date.now();
      let res: Response;
      try {
        res = await fetch(this.base(attempt, first) + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
        });
      } catch (error) {
        const code = networkCode(error);
        this.ledger.count(kind, code);
        // A refused connection means no API process listens: only a fault explains that. A reset or a
        // broken pipe may also be the client's race with a server closing an idle keep-alive
        // connection, so those are counted, and retried, but not held against the service.
        if (code === 'ECONNREFUSED' && !this.ledger.inFaultWindow(startedAt) && !this.ledger.inFaultWindow(Date.now()))
          this.ledger.violation(`${method} ${path}: ${code} outside any fault window`);
        await sleep(200 * (attempt + 1));
        continue;
      }
      const text = await res.text().catch(() => '');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON (CSV, event streams are read elsewhere) */
      }
      this.ledger.count(kind, String(res.status));
      if (res.status >= 500) {
        const retryAfter = res.headers.get('retry-after');
        const inWindow = this.ledger.inFaultWindow(startedAt) || this.ledger.inFaultWindow(Date.now());
        if (res.status === 503 && retryAfter && !inWindow)
          this.ledger.lateUnavailable(
            `${method} ${path} → 503 (Retry-After ${retryAfter}) outside any fault window: ${text.slice(0, 300)}`,
          );
        else if (!(res.status === 503 && retryAfter && inWindow)) {
          this.ledger.violation(
            `${method} ${path} → ${res.status}${retryAfter ? ` (Retry-After ${retryAfter})` : ' without Retry-After'}${inWindow ? '' : ' outside any fault window'}: ${text.slice(0, 300)}`,
          );
          return { status: res.status, body: parsed, headers: res.headers };
        }
        await sleep(Math.min(2000, Number(retryAfter) * 1000 || 500));
        continue;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    }
    return undefined;
  }

  /** A response whose body the caller reads itself (CSV, event streams), from one API process. */
  async open(path: string, token: string, timeoutMs: number): Promise<Response> {
    return fetch(this.base(0, this.rng.int(0, this.apis.length - 1)) + path, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  }
}
