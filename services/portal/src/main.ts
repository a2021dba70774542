import closeWithGrace from 'close-with-grace';
import { buildPortalApp } from './app.ts';
import { distRoot, ensurePortalBuilt } from './build.ts';
import { loadPortalConfig } from './config.ts';

const config = loadPortalConfig();
await ensurePortalBuilt({ log: (message) => console.log(`[portal] ${message}`) });
let shuttingDown = false;
const app = await buildPortalApp({
  apiUrl: config.API_URL,
  distDir: distRoot,
  logLevel: config.LOG_LEVEL,
  prettyLogs: process.stdout.isTTY === true,
  isShuttingDown: () => shuttingDown,
  trustProxy: config.PORTAL_TRUST_PROXY,
});

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: app.log }, async ({ signal, err }) => {
  shuttingDown = true;
  if (err) app.log.error({ err }, 'closing after error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ host: config.HOST, port: config.PORTAL_PORT });
