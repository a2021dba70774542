// A pool that answers for a connection Postgres has dropped. A pooled connection can be dead before
// anyone notices: its backend terminated (pg_terminate_backend, a restart) or its socket cut while it
// sat idle, or a reconnect raced the termination. The statement that next takes it fails with a
// connection-level error although Postgres may be well again, and the request behind it would be
// answered 503 long after the fault. Such a failure is retried once, on another connection, where the
// retry cannot run anything twice: a read-only statement outside a transaction, and a transaction
// whose BEGIN failed before its callback started. A write outside a transaction, or a failure inside
// a transaction's callback, is left to the caller (the statement may have committed before the
// connection went).
import type postgres from 'postgres';

/** The SQLSTATE or postgres.js/Node code of an error, however deeply it is wrapped. */
function codeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The connection the statement ran on was lost, not the statement refused: the backend terminated
 * (57P01 admin shutdown, 57P02 crash shutdown, 08xxx connection exceptions) or the socket closed or
 * was reset. Not CONNECTION_ENDED or CONNECTION_DESTROYED (the pool itself is being closed).
 */
export function isConnectionLost(error: unknown): boolean {
  const code = codeOf(error) ?? '';
  return (
    code === '57P01' ||
    code === '57P02' ||
    code.startsWith('08') ||
    code === 'CONNECTION_CLOSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  );
}

const WRITES =
  /\b(insert|update|delete|merge|truncate|copy|call|lock|notify|nextval|setval|pg_advisory\w*|pg_notify|pg_terminate_backend|pg_cancel_backend|set_config)\b|\bfor\s+(no\s+key\s+)?(update|share)\b|\binto\b/i;

/** A statement that changes nothing when run twice: a plain SELECT (or WITH … SELECT, SHOW, VALUES). */
export function isReadOnlyStatement(text: string): boolean {
  const head = text.trimStart().slice(0, 6).toLowerCase();
  if (!(head.startsWith('select') || head.startsWith('with') || head.startsWith('show') || head.startsWith('values')))
    return false;
  return !WRITES.test(text);
}

/**
 * Lets the pool finish closing the lost connection first: the failure is reported before the socket's
 * close is handled, and a statement sent in between would be queued on the dead connection and fail
 * with it (patches/postgres@3.4.9.patch: instead of never settling).
 */
const afterConnectionClosed = () => new Promise((resolve) => setTimeout(resolve, 10));

type PendingQuery = postgres.PendingQuery<postgres.Row[]> & {
  isRaw?: boolean | 'values';
  cursorFn?: unknown;
  forEachFn?: unknown;
  onlyDescribe?: boolean;
  streaming?: boolean;
};

/**
 * Makes `query` retry once, through `again` (a new query of the same statement), when awaiting it
 * fails because its connection was lost. Only plain awaits retry (rows, `.values()`, `.raw()`); a
 * cursor, forEach, describe or stream goes its own way.
 */
function retryOnce(query: PendingQuery, again: () => PendingQuery, onRetry: (error: unknown) => void): PendingQuery {
  const proto = Object.getPrototypeOf(query) as { then: PendingQuery['then'] };
  let outcome: Promise<unknown> | undefined;
  const settle = () =>
    (outcome ??= new Promise((resolve, reject) => proto.then.call(query, resolve, reject)).catch(async (error: unknown) => {
      if (query.cursorFn || query.forEachFn || query.onlyDescribe || query.streaming || !isConnectionLost(error))
        throw error;
      onRetry(error);
      await afterConnectionClosed();
      const retry = again();
      if (query.isRaw) retry.isRaw = query.isRaw;
      return retry;
    }));
  Object.defineProperties(query, {
    then: { value: (onFulfilled?: any, onRejected?: any) => settle().then(onFulfilled, onRejected) },
    catch: { value: (onRejected?: any) => settle().catch(onRejected) },
    finally: { value: (onFinally?: any) => settle().finally(onFinally) },
  });
  return query;
}

/**
 * The pool `sql` with the retries above: its tagged statements and `unsafe` statements that are
 * read-only, and `begin`. Everything else is the pool's own. `onRetry` hears of each retry.
 */
export function withConnectionRetry(sql: postgres.Sql, onRetry: (error: unknown) => void = () => {}): postgres.Sql {
  const unsafe = sql.unsafe.bind(sql) as (text: string, args?: unknown[], options?: object) => PendingQuery;
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  const retryingUnsafe = (text: string, args?: unknown[], options?: object) => {
    const query = unsafe(text, args, options);
    return isReadOnlyStatement(text) ? retryOnce(query, () => unsafe(text, args, options), onRetry) : query;
  };
  const retryingBegin = async (...args: unknown[]) => {
    const fn = args.at(-1) as (tx: unknown) => unknown;
    const options = args.length > 1 ? [args[0]] : [];
    let started = false;
    const run = () =>
      begin(...options, (tx: unknown) => {
        started = true;
        return fn(tx);
      });
    try {
      return await run();
    } catch (error) {
      // BEGIN itself failed: nothing of the transaction ran, so it may run elsewhere.
      if (started || !isConnectionLost(error)) throw error;
      onRetry(error);
      await afterConnectionClosed();
      return run();
    }
  };
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const query = Reflect.apply(target, thisArg, args) as PendingQuery;
      const strings = args[0] as TemplateStringsArray | undefined;
      if (!Array.isArray(strings) || !('raw' in strings) || !isReadOnlyStatement(strings.join('$')))
        return query;
      return retryOnce(query, () => Reflect.apply(target, thisArg, args) as PendingQuery, onRetry);
    },
    get(target, property, receiver) {
      if (property === 'unsafe') return retryingUnsafe;
      if (property === 'begin') return retryingBegin;
      return Reflect.get(target, property, receiver);
    },
  });
}
