import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem.ts';

/**
 * Where the first string of a parsed JSON value that is not well-formed UTF-16 is (a lone
 * surrogate, which JSON can carry as `"\ud800"`), as the path of keys and indexes leading to it;
 * undefined when every string and every key is well-formed.
 */
export function illFormedStringPath(value: unknown): (string | number)[] | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: v, path } = next;
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (!key.isWellFormed()) return [...path, key];
        pending.push({ value: child, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * The JSON body parser of the API and the catalog: fastify's own (with its prototype-poisoning
 * checks), after two checks that text is well-formed, so no handler ever sees text Postgres would
 * refuse (a 500) or store altered (U+FFFD):
 * - the body's bytes must be UTF-8, else `400 malformed_json`;
 * - no string and no key may hold a lone UTF-16 surrogate, else `400 validation_error` with
 *   `errors: [{path, message}]` naming where, as a schema's refusal does.
 * Every string of every body goes through it, whatever the route's schema says of the field.
 */
export function parseWellFormedJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes))
      return done(
        new ProblemError(400, 'malformed_json', 'The body is not valid UTF-8.', {}, {}, { notUtf8: true }),
        undefined,
      );
    parseJson(request, bytes.toString('utf8'), (error, value) => {
      if (error) return done(error, undefined);
      const where = illFormedStringPath(value);
      if (!where) return done(null, value);
      const path = where.length ? where.map((part) => String(part).toWellFormed()).join('.') : '(root)';
      const message = 'must be well-formed Unicode text: it holds a lone UTF-16 surrogate';
      const issues = `${path} ${message}`;
      done(
        new ProblemError(
          400,
          'validation_error',
          `Invalid body: ${issues}`,
          { errors: [{ path, message }] },
          {},
          { where: 'body', issues },
        ),
        undefined,
      );
    });
  });
}
