import closeWithGrace from 'close-with-grace';
import { createDb, prepareDatabase } from '@licensing/db';
import { createRedisClient } from '@licensing/redis';
import { buildCatalogApp } from './app.ts';
import { loadCatalogConfig } from './config.ts';
import { seedDemoCatalog } from './product-writes.ts';

const config = loadCatalogConfig();
await prepareDatabase(config.DATABASE_URL);
const {
  db,
  sql,
  close: closeDb,
} = createDb(config.DATABASE_URL, {
  max: 5,
  applicationName: 'catalog',
  prepare: config.DATABASE_PREPARED_STATEMENTS,
});
const redis = createRedisClient({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, 'producer');
redis.on('error', (err) => app.log.warn({ err }, 'redis error'));
let shuttingDown = false;
const app = await buildCatalogApp({
  db,
  sql,
  redis,
  operatorToken: config.OPERATOR_TOKEN,
  publicUrl: config.CATALOG_URL,
  authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
  trustProxy: config.TRUST_PROXY,
  logLevel: config.LOG_LEVEL,
  prettyLogs: process.stdout.isTTY === true,
  isShuttingDown: () => shuttingDown,
});
if (config.CATALOG_SEED && (await seedDemoCatalog(db))) app.log.info('seeded the demo catalog');

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: app.log }, async ({ signal, err }) => {
  shuttingDown = true;
  if (err) app.log.error({ err }, 'closing after error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await Promise.allSettled([closeDb(), redis.quit()]);
});

await app.listen({ host: config.HOST, port: config.CATALOG_PORT });
