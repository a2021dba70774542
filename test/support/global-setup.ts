// Starts (or finds) Postgres and Redis for the whole run and prepares a migrated template
// database that each test file clones. Containers are used when a container runtime answers;
// otherwise the machine's local servers, or TEST_DATABASE_URL / TEST_REDIS_URL when set.
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { migrate } from '@licensing/db';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
    redisUrl: string;
  }
}

async function containerBackends(): Promise<
  { pgServerUrl: string; redisUrl: string; stop: () => Promise<void> } | undefined
> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch {
    return undefined; // no Docker/Podman here: use local servers
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [pg, redis] = await Promise.all([
    new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start(),
    new RedisContainer('redis:7-alpine').start(),
  ]);
  const url = new URL(pg.getConnectionUri());
  url.pathname = '/postgres';
  return {
    pgServerUrl: url.toString(),
    redisUrl: redis.getConnectionUrl(),
    stop: async () => {
      await Promise.all([pg.stop(), redis.stop()]);
    },
  };
}

export default async function setup(project: TestProject) {
  const fromEnv = process.env.TEST_DATABASE_URL
    ? {
        pgServerUrl: process.env.TEST_DATABASE_URL,
        redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        stop: async () => {},
      }
    : undefined;
  const backends = fromEnv ??
    (await containerBackends()) ?? {
      pgServerUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      stop: async () => {},
    };
  const templateDatabase = `licensing_test_template_${process.pid}`;
  const admin = postgres(backends.pgServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.unsafe(`CREATE DATABASE ${templateDatabase}`);
  const templateUrl = new URL(backends.pgServerUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await migrate(templateUrl.toString());

  project.provide('pgServerUrl', backends.pgServerUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('redisUrl', backends.redisUrl);

  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await admin.end();
    await backends.stop();
  };
}
