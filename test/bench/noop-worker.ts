// A bare BullMQ worker with a no-op processor, run as its own process by `pnpm bench` to measure how
// the raw queue itself scales from one worker process to two on this machine.
//   node --import tsx test/bench/noop-worker.ts <redisUrl | cluster:host:port,…> <prefix> <queue> <concurrency>
// Tells its parent 'ready' once connected; starts on 'run'; closes and exits on SIGTERM, as the services do.
import { Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { parseClusterNodes } from '@licensing/redis';

const [redisTarget, prefix, name, concurrency] = process.argv.slice(2);
const connection = redisTarget!.startsWith('cluster:')
  ? new Cluster(parseClusterNodes(redisTarget!.slice('cluster:'.length)), {
      redisOptions: { maxRetriesPerRequest: null },
    })
  : new Redis(redisTarget!, { maxRetriesPerRequest: null });
const worker = new Worker(name!, async () => undefined, {
  connection,
  prefix,
  concurrency: Number(concurrency),
  autorun: false,
});
await worker.waitUntilReady();
process.on('message', (message) => {
  if (message === 'run') void worker.run();
});
process.once(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => connection.quit())
      .then(() => process.exit(0)),
);
process.send!('ready');
