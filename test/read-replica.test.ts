// DATABASE_READ_URL: lists read from a real streaming replica (pg_basebackup -R of a throwaway
// primary), everything that decides or must read its own writes stays on the primary. Replay is
// paused on the replica to tell the two apart: a user just created is found by id (primary) but
// not yet listed (replica), and is listed once replay resumes.
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApiApp } from '@licensing/api';
import { createDb, type DbHandle, prepareDatabase } from '@licensing/db';
import { PartnerClient } from './support/client.ts';
import { createTestEnv, OPERATOR_TOKEN, type TestEnv } from './support/test-env.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

let servers: ThrowawayPostgres;
let env: TestEnv;
let primary: DbHandle;
let replica: DbHandle;
let replicaAdmin: postgres.Sql;
let api: FastifyInstance;
let partner: PartnerClient;

beforeAll(async () => {
  servers = await startThrowawayPostgres({ replica: true });
  const primaryUrl = servers.primary.url('licensing');
  await prepareDatabase(primaryUrl);
  primary = createDb(primaryUrl, { max: 4, applicationName: 'test-primary' });
  replica = createDb(servers.replica!.url('licensing'), { max: 2, applicationName: 'test-reads' });
  replicaAdmin = postgres(servers.replica!.url('postgres'), { max: 1, onnotice: () => {} });
  env = await createTestEnv(); // only for its Redis connection and queue
  api = await buildApiApp({
    db: primary.db,
    readDb: replica.db,
    sql: primary.sql,
    redis: env.redis,
    queues: env.queues,
    operatorToken: OPERATOR_TOKEN,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
  });
  await api.ready();
  partner = await PartnerClient.create(api);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await replicaAdmin?.end();
  await replica?.close();
  await primary?.close();
  await env?.close();
  servers?.stop();
});

it('lists read from the replica, lookups and writes go to the primary', async () => {
  const customer = await partner.customer('Replicated customer');
  const [first] = await partner.users(customer, 1);
  const listed = async () =>
    (await partner.call('GET', `/v1/customers/${customer}/users`)).body.items.map((u: { id: string }) => u.id);
  await expect.poll(listed, { timeout: 30_000 }).toEqual([first]);

  await replicaAdmin`SELECT pg_wal_replay_pause()`;
  try {
    const [second] = await partner.users(customer, 1, () => ({
      userPrincipalName: 'zed.later@fabrikam.example',
      displayName: 'Zed Later',
    }));
    // Written to and read back from the primary at once...
    const byId = await partner.call('GET', `/v1/customers/${customer}/users/${second}`);
    expect(byId.status).toBe(200);
    // ...but the list, served by the paused replica, does not show it yet.
    await new Promise((r) => setTimeout(r, 300));
    expect(await listed()).toEqual([first]);
  } finally {
    await replicaAdmin`SELECT pg_wal_replay_resume()`;
  }
  await expect.poll(async () => (await listed()).length, { timeout: 30_000 }).toBe(2);
  // The replica is read only: nothing the API wrote could have gone there.
  const [{ readOnly }] = await replica.sql`SELECT pg_is_in_recovery() AS "readOnly"`;
  expect(readOnly).toBe(true);
});
