// Contract 1.1 for jobs, end to end through the API, Postgres, BullMQ on the real Redis and the real
// worker: client references and list filters, plan dependencies refused up front, per-user errors that
// name what to act on, and cancelled users told apart from failed ones.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestEnv, type TestSystem } from './support/test-env.ts';
import { expectSeatInvariant, PartnerClient, putProduct } from './support/client.ts';
import { REFUSED_IN_FR, SUITE, TEST_PRODUCTS } from './fixtures.ts';

let system: TestSystem;
let env: TestEnv;
let partner: PartnerClient;

beforeAll(async () => {
  system = await startTestSystem({ products: TEST_PRODUCTS, worker: true });
  env = system.env;
  partner = await PartnerClient.create(system.api);
});

afterAll(async () => {
  // The event-stream tests leave this process's fetch keep-alive connections open on the API's
  // socket, and the server counts them as busy: end them, or closing the API waits on them.
  if (system?.api.server.listening) system.api.server.closeAllConnections();
  await system?.close();
});

afterEach(async () => {
  await expectSeatInvariant(env.sql);
});

/** The test API on a real socket (some tests need a client that can go away mid-response). */
async function apiAddress(): Promise<string> {
  if (!system.api.server.listening) await system.api.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(system.api.server.address() as { port: number }).port}`;
}

/** Every row that a job request could change, as one comparable value. */
async function jobState(customerId: string) {
  return env.sql`
    SELECT (SELECT count(*)::int FROM license_jobs WHERE customer_id = ${customerId}) AS jobs,
           (SELECT count(*)::int FROM license_job_items i JOIN license_jobs j ON j.id = i.job_id WHERE j.customer_id = ${customerId}) AS items,
           (SELECT count(*)::int FROM seat_reservations WHERE customer_id = ${customerId}) AS reserved,
           (SELECT count(*)::int FROM user_licenses WHERE customer_id = ${customerId}) AS licenses`;
}

describe('client references and list filters', () => {
  it('echoes clientReference and filters the list by status and reference', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 10);
    const first = await partner.startJob(customer, {
      userIds: users.slice(0, 2),
      assign: [{ productId: SUITE.id }],
      clientReference: 'ticket-1, "quoted" ✓',
    });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ clientReference: 'ticket-1, "quoted" ✓', retryOf: null });
    await partner.waitForJob(customer, first.body.id);
    await env.queue.pause();
    const second = await partner.startJob(customer, {
      userIds: users.slice(2),
      assign: [{ productId: SUITE.id }],
      clientReference: 'ticket-2',
    });
    const third = await partner.startJob(customer, { userIds: users.slice(2), revoke: [SUITE.id] });
    expect(third.body.clientReference).toBeNull();

    const list = async (query: string) => {
      const res = await partner.call('GET', `/v1/customers/${customer}/license-jobs?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    expect((await list('')).items.map((j: any) => j.id)).toEqual([third.body.id, second.body.id, first.body.id]);
    expect((await list('status=queued')).items.map((j: any) => j.id)).toEqual([third.body.id, second.body.id]);
    expect((await list('status=completed,queued&pageSize=1')).total).toBe(3);
    expect((await list('status=completed')).items.map((j: any) => j.id)).toEqual([first.body.id]);
    const byReference = await list(`clientReference=${encodeURIComponent('ticket-1, "quoted" ✓')}`);
    expect(byReference.items.map((j: any) => j.id)).toEqual([first.body.id]);
    expect(byReference.items[0].clientReference).toBe('ticket-1, "quoted" ✓');
    expect((await list('clientReference=ticket-2&status=completed')).total).toBe(0);
    expect((await list('clientReference=nobody')).items).toEqual([]);
    await env.queue.resume();
    await partner.waitForJob(customer, third.body.id);

    for (const [query, code] of [
      ['status=done', 'validation_error'],
      ['status=queued,', 'validation_error'],
      ['status=', 'validation_error'],
      [`clientReference=${'x'.repeat(201)}`, 'validation_error'],
    ]) {
      const res = await partner.call('GET', `/v1/customers/${customer}/license-jobs?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code, query).toBe(code);
    }
    const tooLong = await partner.startJob(customer, {
      userIds: users,
      revoke: [SUITE.id],
      clientReference: 'x'.repeat(201),
    });
    expect(tooLong.status).toBe(400);
    const control = await partner.startJob(customer, {
      userIds: users,
      revoke: [SUITE.id],
      clientReference: 'a\u0000b',
    });
    expect(control.status).toBe(400);
    expect((await partner.startJob(customer, { userIds: users, revoke: [SUITE.id], clientReference: '' })).status).toBe(
      400,
    );
  });
});

describe('plan dependencies refused up front', () => {
  it('answers 422 invalid_service_plans naming the product and the plans to enable, and reserves nothing', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 5);
    await partner.subscribe(customer, SUITE.id, 5);
    const before = await jobState(customer);
    const res = await partner.startJob(customer, {
      userIds: users,
      assign: [{ productId: SUITE.id, disabledServicePlans: ['SHAREPOINT', 'TEAMS'] }],
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'invalid_service_plans',
      productId: SUITE.id,
      servicePlanIds: ['SHAREPOINT'],
    });
    expect(res.body.detail).toContain('"FORMS"');
    expect(await jobState(customer)).toEqual(before);
    // Disabling the dependent plan too is consistent.
    const ok = await partner.startJob(customer, {
      userIds: users,
      assign: [{ productId: SUITE.id, disabledServicePlans: ['SHAREPOINT', 'FORMS'] }],
    });
    expect(ok.status).toBe(202);
    expect(await partner.waitForJob(customer, ok.body.id)).toMatchObject({ status: 'completed' });
  });

  it('a plan dependency added to the catalog after acceptance fails the users, naming the plans', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await env.queue.pause();
    try {
      const job = await partner.startJob(customer, {
        userIds: users,
        assign: [{ productId: SUITE.id, disabledServicePlans: ['EXCHANGE'] }],
      });
      expect(job.status).toBe(202);
      await putProduct(system.catalog, {
        ...SUITE,
        servicePlans: SUITE.servicePlans.map((p) => (p.id === 'TEAMS' ? { ...p, requires: ['EXCHANGE'] } : p)),
      });
      await env.queue.resume();
      expect(await partner.waitForJob(customer, job.body.id)).toMatchObject({
        status: 'failed',
        errorsByCode: { DependencyViolation: 2 },
      });
      const [result] = await partner.results(customer, job.body.id);
      expect(result.changes[0]).toMatchObject({
        outcome: 'failed',
        error: { code: 'DependencyViolation', servicePlanIds: ['EXCHANGE'] },
      });
    } finally {
      await env.queue.resume();
      await putProduct(system.catalog, SUITE);
    }
  });
});

describe('cancelled users', () => {
  it('reports the users a cancel left unapplied as cancelled, apart from failed ones', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 6, (i) => (i === 0 ? { usageLocation: 'FR' } : {}));
    await partner.subscribe(customer, SUITE.id, 6);
    await partner.subscribe(customer, 'COPILOT', 6);
    // One user applied (and failed: Copilot is refused in France) before the rest is cancelled.
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: 'COPILOT' }] });
    const [first] = await env.sql`SELECT user_id FROM license_job_items WHERE job_id = ${job.body.id} AND position = 1`;
    const { applyUserChanges } = await import('../services/worker/src/apply-user-changes.ts');
    await applyUserChanges(env.db, customer, [{ userId: first!.user_id }]);
    const cancelled = await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    await env.queue.resume();
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      progress: { total: 6, pending: 0, succeeded: 0, failed: 1, cancelled: 5 },
      errorsByCode: { ProhibitedInUsageLocationViolation: 1 },
    });
    const again = await partner.call('GET', `/v1/customers/${customer}/license-jobs/${job.body.id}`);
    expect(again.body.progress).toEqual(cancelled.body.progress);
    const byStatus = async (status: string) =>
      (await partner.results(customer, job.body.id, status)).map((r: any) => r.userId);
    expect(await byStatus('failed')).toEqual([users[0]]);
    expect(await byStatus('cancelled')).toEqual(users.slice(1));
    expect(await byStatus('pending')).toEqual([]);
    const [sample] = await partner.results(customer, job.body.id, 'cancelled');
    expect(sample).toMatchObject({ status: 'cancelled', changes: [{ productId: 'COPILOT', outcome: 'skipped' }] });
    expect(sample.changes[0]).not.toHaveProperty('error');
    expect((await partner.subscriptions(customer)).COPILOT).toMatchObject({ assigned: 0, reserved: 0 });
    const bad = await partner.call('GET', `/v1/customers/${customer}/license-jobs/${job.body.id}/results?status=gone`);
    expect(bad.status).toBe(400);
  });
});

describe('retry', () => {
  const retry = (customer: string, jobId: string, headers?: Record<string, string>) =>
    partner.call('POST', `/v1/customers/${customer}/license-jobs/${jobId}/retry`, undefined, headers);

  it("retries a finished job's failed and cancelled users as a new job with the same changes", async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 6, (i) => (i < 2 ? { usageLocation: 'FR' } : {}));
    await partner.subscribe(customer, REFUSED_IN_FR.id, 6);
    await partner.subscribe(customer, SUITE.id, 6);
    const body = {
      userIds: users.slice(0, 4),
      assign: [{ productId: REFUSED_IN_FR.id }, { productId: SUITE.id, disabledServicePlans: ['TEAMS'] }],
      clientReference: 'onboarding-7',
    };
    const first = await partner.startJob(customer, body);
    expect(await partner.waitForJob(customer, first.body.id)).toMatchObject({
      status: 'completed_with_errors',
      progress: { succeeded: 2, failed: 2 },
    });
    // Nothing to retry yet for a job that is not finished; the cause of the failures is then removed.
    await env.queue.pause();
    const running = await partner.startJob(customer, { userIds: users.slice(4), assign: [{ productId: SUITE.id }] });
    const early = await retry(customer, running.body.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('job_not_finished');
    await partner.call('POST', `/v1/customers/${customer}/license-jobs/${running.body.id}/cancel`);
    await env.queue.resume();
    await putProduct(system.catalog, { ...REFUSED_IN_FR, unavailableIn: ['CN'] });
    try {
      const again = await retry(customer, first.body.id, { 'idempotency-key': 'retry-first' });
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.headers.location).toBe(`/v1/customers/${customer}/license-jobs/${again.body.id}`);
      expect(again.body).toMatchObject({
        retryOf: first.body.id,
        clientReference: 'onboarding-7',
        request: {
          userCount: 2,
          assign: [
            { productId: REFUSED_IN_FR.id, disabledServicePlans: [] },
            { productId: SUITE.id, disabledServicePlans: ['TEAMS'] },
          ],
          revoke: [],
        },
      });
      const same = await retry(customer, first.body.id, { 'idempotency-key': 'retry-first' });
      expect(same.status).toBe(202);
      expect(same.body.id).toBe(again.body.id);
      const reused = await retry(customer, running.body.id, { 'idempotency-key': 'retry-first' });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
      expect(await partner.waitForJob(customer, again.body.id)).toMatchObject({
        status: 'completed',
        progress: { total: 2, succeeded: 2 },
      });
      expect((await partner.results(customer, again.body.id)).map((r: any) => r.userId)).toEqual(users.slice(0, 2));

      // The cancelled users of the other job are retried too.
      const cancelledRetry = await retry(customer, running.body.id);
      expect(cancelledRetry.status).toBe(202);
      expect(cancelledRetry.body).toMatchObject({ retryOf: running.body.id, clientReference: null });
      expect(await partner.waitForJob(customer, cancelledRetry.body.id)).toMatchObject({
        status: 'completed',
        progress: { total: 2, succeeded: 2 },
      });
      // Everybody succeeded now: nothing to retry.
      const nothing = await retry(customer, again.body.id);
      expect(nothing.status).toBe(422);
      expect(nothing.body.code).toBe('nothing_to_retry');
      const listed = await partner.call('GET', `/v1/customers/${customer}/license-jobs?clientReference=onboarding-7`);
      expect(listed.body.items.map((j: any) => j.id)).toEqual([again.body.id, first.body.id]);
    } finally {
      await putProduct(system.catalog, REFUSED_IN_FR);
    }
  });

  it('applies the same seat rules, and skips users deleted since', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 4);
    await partner.subscribe(customer, SUITE.id, 4);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    await env.queue.resume();
    expect((await partner.call('DELETE', `/v1/customers/${customer}/users/${users[0]}`)).status).toBe(204);
    await partner.subscribe(customer, SUITE.id, 2);
    const before = await jobState(customer);
    const short = await retry(customer, job.body.id);
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({
      code: 'insufficient_licenses',
      shortages: [{ productId: SUITE.id, required: 3, available: 2 }],
    });
    expect(await jobState(customer)).toEqual(before);
    await partner.subscribe(customer, SUITE.id, 3);
    const ok = await retry(customer, job.body.id);
    expect(ok.status).toBe(202);
    expect(ok.body.request.userCount).toBe(3);
    expect(await partner.waitForJob(customer, ok.body.id)).toMatchObject({ status: 'completed' });
  });
});

/** RFC 4180 parser for the tests: records of fields, quotes undone. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field, 'the file ends with CRLF').toBe('');
  return records;
}

const CSV_HEADER = [
  'userPrincipalName',
  'displayName',
  'userId',
  'status',
  'productId',
  'action',
  'outcome',
  'errorCode',
  'errorMessage',
];

describe('results as CSV', () => {
  it('streams one row per user and change, quoted and formula-safe, with the status filter', async () => {
    const names = ['Lovelace, Ada', 'Say "hi"', '=HYPERLINK("http://evil.example")', '+Plus', '-minus', '@home'];
    const customer = await partner.customer();
    const users = await partner.users(customer, names.length, (i) => ({
      displayName: names[i],
      ...(i === 1 ? { usageLocation: 'FR' } : {}),
    }));
    await partner.subscribe(customer, REFUSED_IN_FR.id, 10);
    await partner.subscribe(customer, SUITE.id, 10);
    const job = await partner.startJob(customer, {
      userIds: users,
      assign: [{ productId: REFUSED_IN_FR.id }],
      revoke: [SUITE.id],
    });
    await partner.waitForJob(customer, job.body.id);
    const url = `/v1/customers/${customer}/license-jobs/${job.body.id}/results`;

    const res = await partner.call('GET', url, undefined, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="license-job-${job.body.id}-results.csv"`);
    const text = res.body as string;
    expect(text.startsWith(`${CSV_HEADER.join(',')}\r\n`)).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(CSV_HEADER);

    // The same content as the JSON results, one row per user and change; formula cells prefixed.
    const expected = (await partner.results(customer, job.body.id)).flatMap((r: any) =>
      r.changes.map((c: any) => [
        r.userPrincipalName,
        /^[=+\-@\t\r]/.test(r.displayName) ? `'${r.displayName}` : r.displayName,
        r.userId,
        r.status,
        c.productId,
        c.action,
        c.outcome,
        c.error?.code ?? '',
        c.error?.message ?? '',
      ]),
    );
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(2 * names.length);
    expect(rows.map((r) => r[1])).toContain(`'=HYPERLINK("http://evil.example")`);
    expect(rows.map((r) => r[1])).toContain("'-minus");
    expect(text).toContain('"Lovelace, Ada"');
    const failed = rows.filter((r) => r[3] === 'failed');
    expect(failed.map((r) => [r[1], r[4], r[6], r[7]])).toEqual([
      ['Say "hi"', SUITE.id, 'skipped', ''],
      ['Say "hi"', REFUSED_IN_FR.id, 'failed', 'ProhibitedInUsageLocationViolation'],
    ]);

    // ?format=csv is the same file; the status filter applies; format=json wins over Accept.
    const byQuery = await partner.call('GET', `${url}?format=csv`);
    expect(byQuery.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byQuery.body).toBe(text);
    const onlyFailed = await partner.call('GET', `${url}?format=csv&status=failed`);
    expect(parseCsv(onlyFailed.body as string).slice(1)).toEqual(failed);
    const json = await partner.call('GET', `${url}?format=json`, undefined, { accept: 'text/csv' });
    expect(json.headers['content-type']).toMatch(/application\/json/);
    const preferJson = await partner.call('GET', url, undefined, { accept: 'application/json, text/csv' });
    expect(preferJson.headers['content-type']).toMatch(/application\/json/);
    expect((await partner.call('GET', `${url}?format=xml`)).status).toBe(400);
  });

  it('writes one row for a user without changes yet', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await env.queue.pause();
    try {
      const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
      const res = await partner.call(
        'GET',
        `/v1/customers/${customer}/license-jobs/${job.body.id}/results?format=csv&status=pending`,
      );
      expect(parseCsv(res.body as string)).toEqual([
        CSV_HEADER,
        ['user000000@fabrikam.example', 'User 000000', users[0], 'pending', '', '', '', '', ''],
        ['user000001@fabrikam.example', 'User 000001', users[1], 'pending', '', '', '', '', ''],
      ]);
      await partner.call('POST', `/v1/customers/${customer}/license-jobs/${job.body.id}/cancel`);
    } finally {
      await env.queue.resume();
    }
  });

  it('frees the database connection of a download the client abandons', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3000);
    await partner.subscribe(customer, SUITE.id, 3000);
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    await partner.waitForJob(customer, job.body.id);
    const url = `${await apiAddress()}/v1/customers/${customer}/license-jobs/${job.body.id}/results?format=csv`;
    // A partner opens one download at a time: an abandoned one gives its turn back once the server
    // has returned its cursor, a moment after the client goes, and until then the next is refused 429.
    const open = async (signal?: AbortSignal): Promise<Response> => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${partner.apiKey}` }, signal });
        if (res.status !== 429 || Date.now() > deadline) {
          expect(res.status, 'an abandoned download gives its turn back').toBe(200);
          return res;
        }
        await res.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    // More abandoned downloads than the pool has connections (10): a leaked cursor would exhaust it.
    for (let i = 0; i < 15; i++) {
      const controller = new AbortController();
      const res = await open(controller.signal);
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    const text = await (await open()).text();
    expect(parseCsv(text)).toHaveLength(3001);
    await expect
      .poll(
        async () =>
          // The product's own maintenance after the job (ANALYZE, VACUUM) is not a download's.
          (
            await env.sql`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                AND query !~* '^\s*(ANALYZE|VACUUM)'`
          )[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(0);
  });
});

describe('ETag', () => {
  it('answers 304 to If-None-Match while the job is unchanged, 200 with a new tag once it changes', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 3);
    await partner.subscribe(customer, SUITE.id, 3);
    await env.queue.pause();
    try {
      const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
      const url = `/v1/customers/${customer}/license-jobs/${job.body.id}`;
      const first = await partner.call('GET', url);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const same = await partner.call('GET', url, undefined, { 'if-none-match': etag });
      expect(same.status).toBe(304);
      expect(same.body).toBeUndefined();
      expect(same.headers.etag).toBe(etag);
      expect(same.headers['retry-after']).toBeDefined();
      for (const header of [`W/${etag}`, `"other", ${etag}`, '*']) {
        expect((await partner.call('GET', url, undefined, { 'if-none-match': header })).status, header).toBe(304);
      }
      expect((await partner.call('GET', url, undefined, { 'if-none-match': '"other"' })).status).toBe(200);
      await env.queue.resume();
      const done = await partner.waitForJob(customer, job.body.id);
      const changed = await partner.call('GET', url, undefined, { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual(done);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.headers['retry-after']).toBeUndefined();
      const stable = await partner.call('GET', url, undefined, { 'if-none-match': changed.headers.etag as string });
      expect(stable.status).toBe(304);
    } finally {
      await env.queue.resume();
    }
  });
});

interface SseEvent {
  event: string;
  data: any;
  at: number;
}

/** Reads a server-sent event stream to its end (or until `stop` says so); comment lines are skipped. */
async function readEvents(res: Response, onEvent?: (e: SseEvent) => void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      if (lines.length === 0) continue;
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6));
      const e = { event, data, at: performance.now() };
      events.push(e);
      onEvent?.(e);
    }
  }
  expect(buffer).toBe('');
  return events;
}

async function metric(name: string): Promise<number> {
  const res = await system.api.inject({ method: 'GET', url: '/metrics' });
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(res.body)?.[1] ?? Number.NaN);
}

describe('job events', () => {
  it('streams progress to many clients from one poll per tick, then one finished event, then ends', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 600);
    await partner.subscribe(customer, SUITE.id, 600);
    const address = await apiAddress();
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const url = `${address}/v1/customers/${customer}/license-jobs/${job.body.id}/events`;
    const headers = { authorization: `Bearer ${partner.apiKey}` };
    const responses = await Promise.all(Array.from({ length: 25 }, () => fetch(url, { headers })));
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const streams = responses.map((res) => readEvents(res));
    await expect.poll(() => metric('license_job_event_streams')).toBe(25);
    expect(await metric('license_job_event_watched_jobs')).toBe(1);
    const pollsBefore = await metric('license_job_event_polls_total');
    const t0 = performance.now();
    await env.queue.resume();
    const all = await Promise.all(streams);
    const seconds = (performance.now() - t0) / 1000;
    const polls = (await metric('license_job_event_polls_total')) - pollsBefore;
    // One poll per tick for all 25 streams (not one per stream): at most about 4 a second.
    expect(polls).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);

    for (const events of all) {
      expect(events[0]).toMatchObject({
        event: 'progress',
        data: { id: job.body.id, status: 'queued', progress: { pending: 600 } },
      });
      expect(events.filter((e) => e.event === 'finished')).toHaveLength(1);
      const last = events.at(-1)!;
      expect(last.event).toBe('finished');
      expect(last.data).toMatchObject({ status: 'completed', progress: { succeeded: 600, pending: 0 } });
      expect(last.data.finishedAt).not.toBeNull();
      // Progress only ever moves forward, and each event differs from the one before.
      const pending = events.map((e) => e.data.progress.pending);
      expect([...pending].sort((a, b) => b - a)).toEqual(pending);
      const progressEvents = events.filter((e) => e.event === 'progress');
      for (let i = 2; i < progressEvents.length; i++) {
        expect(progressEvents[i]!.at - progressEvents[i - 1]!.at).toBeGreaterThan(150);
      }
    }
    expect(await metric('license_job_event_streams')).toBe(0);
    expect(await metric('license_job_event_watched_jobs')).toBe(0);

    // A finished job: its state and the finished event at once, then the end.
    const after = await readEvents(await fetch(url, { headers }));
    expect(after.map((e) => e.event)).toEqual(['progress', 'finished']);
    expect(after[1]!.data).toEqual(await partner.waitForJob(customer, job.body.id));
  });

  it('forgets a client that goes away, and ends every stream when the API closes', async () => {
    const customer = await partner.customer();
    const users = await partner.users(customer, 2);
    await partner.subscribe(customer, SUITE.id, 2);
    await env.queue.pause();
    const job = await partner.startJob(customer, { userIds: users, assign: [{ productId: SUITE.id }] });
    const path = `/v1/customers/${customer}/license-jobs/${job.body.id}/events`;
    const headers = { authorization: `Bearer ${partner.apiKey}` };
    const address = await apiAddress();

    const controller = new AbortController();
    const leaving = await fetch(address + path, { headers, signal: controller.signal });
    await leaving.body!.getReader().read();
    await expect.poll(() => metric('license_job_event_streams')).toBe(1);
    controller.abort();
    await expect.poll(() => metric('license_job_event_streams')).toBe(0);
    expect(await metric('license_job_event_watched_jobs')).toBe(0);

    // A second API process of the same system, shut down while its clients follow the job.
    const { buildTestApi } = await import('./support/test-env.ts');
    const other = await buildTestApi(env);
    const otherAddress = await other.listen({ port: 0, host: '127.0.0.1' });
    const following = await Promise.all([1, 2, 3].map(() => fetch(otherAddress + path, { headers })));
    const reading = following.map((res) => readEvents(res));
    await new Promise((r) => setTimeout(r, 300));
    const closing = performance.now();
    await other.close();
    expect(performance.now() - closing).toBeLessThan(3000);
    for (const events of await Promise.all(reading)) {
      expect(events.map((e) => e.event)).toEqual(['progress']);
    }
    await env.queue.resume();
    await partner.waitForJob(customer, job.body.id);
  });
});
