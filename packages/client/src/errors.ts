import type { KnownProblemCode } from './problem-codes.gen.ts';
import type { components } from './schema.gen.ts';

/** An RFC 9457 problem document as the API answers it (`application/problem+json`). */
export type Problem = components['schemas']['Problem'];

/** A problem `code`: one the API documents (see PROBLEM_CODES), or a framework's own. */
export type ProblemCode = KnownProblemCode | (string & {});

/**
 * An answer of the API that is a problem document (status >= 400), thrown by `unwrap` and the
 * helpers. `code` is stable and meant for programs; `problem` carries the code's extra fields
 * (`shortages`, `userIds`, `productIds`, …); `retryAfter` is the answer's Retry-After in seconds.
 */
export class LicensingApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly problem: Problem;
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem, retryAfter?: number) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'LicensingApiError';
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Whether this is the problem `code` (narrows `code` for TypeScript). */
  is<C extends KnownProblemCode>(code: C): this is LicensingApiError & { code: C } {
    return this.code === code;
  }
}

/** Whether `error` is a LicensingApiError, with the given `code` if one is given. */
export function isProblem<C extends KnownProblemCode>(
  error: unknown,
  code?: C,
): error is LicensingApiError & { code: C } {
  return error instanceof LicensingApiError && (code === undefined || error.code === code);
}

/** The problem document of an error answer, whatever its body was. */
function asProblem(status: number, error: unknown): Problem {
  if (error && typeof error === 'object' && 'code' in error) return error as Problem;
  const detail = typeof error === 'string' && error ? error.slice(0, 500) : `HTTP ${status}`;
  return { type: 'about:blank', title: `HTTP ${status}`, status, detail, code: `http_${status}` };
}

/** Seconds of a Retry-After header (delta-seconds only), or undefined. */
export function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** The body of a successful answer; a problem answer is thrown as a LicensingApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { response } = result;
  if (response.ok) return result.data as T;
  throw new LicensingApiError(response.status, asProblem(response.status, result.error), retryAfterSeconds(response));
}
