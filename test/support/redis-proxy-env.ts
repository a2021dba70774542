// A test environment whose Redis can be broken: the API and catalog in-process on the test's
// Postgres and Redis, a partner with the suite product, and a TCP proxy in front of Redis for the
// processes under test to connect through (`redis://127.0.0.1:${proxy.port}`).
import type { FastifyInstance } from 'fastify';
import { TcpProxy } from '../soak/tcp-proxy.ts';
import { SUITE } from '../fixtures.ts';
import { PartnerClient, putProduct } from './client.ts';
import { buildTestApi, buildTestCatalog, createTestEnv, type TestEnv } from './test-env.ts';

export interface RedisProxyEnv {
  env: TestEnv;
  api: FastifyInstance;
  partner: PartnerClient;
  proxy: TcpProxy;
  /** The proxied Redis's URL. */
  redisUrl: string;
  close(): Promise<void>;
}

export async function createRedisProxyEnv(): Promise<RedisProxyEnv> {
  const env = await createTestEnv({ expressQueue: true });
  const opened: { close(): Promise<unknown> }[] = [env];
  try {
    const api = await buildTestApi(env);
    opened.unshift(api);
    const catalog = await buildTestCatalog(env);
    opened.unshift(catalog);
    await putProduct(catalog, SUITE);
    const partner = await PartnerClient.create(api);
    const proxy = new TcpProxy('redis', Number(new URL(env.redisUrl).port || 6379));
    await proxy.start();
    opened.unshift(proxy);
    return {
      env,
      api,
      partner,
      proxy,
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      close: async () => {
        for (const o of opened) await o.close();
      },
    };
  } catch (error) {
    for (const o of opened) await o.close().catch(() => {});
    throw error;
  }
}
