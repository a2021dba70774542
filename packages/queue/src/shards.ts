import type { QueueOptions } from 'bullmq';
import calculateSlot from 'cluster-key-slot';
import { createLicenseTaskQueue, LICENSE_TASK_QUEUE, type LicenseTaskQueue } from './license-tasks.ts';

/**
 * Where the license tasks live: one queue, or `shards` queues spread over a Redis Cluster.
 *
 * BullMQ runs Lua scripts over all of a queue's keys, so on a cluster every key of one queue must
 * hash to one slot: each shard's prefix carries a hash tag (`bull:{…}`). A customer's tasks always go
 * to the same shard, so its fair-share tags (kept beside the queue's keys) and its backlog stay in one
 * place; every worker consumes every shard. With one shard on a single Redis, names are exactly those
 * of an unsharded queue (`bull:license-tasks:…`), so tasks queued before sharding are still found.
 */
export interface QueueLayout {
  /** BULLMQ_PREFIX. */
  prefix: string;
  /** QUEUE_SHARDS. */
  shards: number;
  /** Whether Redis is a cluster (REDIS_CLUSTER_NODES). */
  cluster: boolean;
}

export interface QueueShard {
  name: string;
  prefix: string;
}

const SLOTS = 16384;

/**
 * The hash tag of shard `index` of `count`: the first of `s{index}-0`, `s{index}-1`, … whose slot
 * falls in the index-th part of the slot range, so shards land on different masters of a cluster
 * whose masters own equal contiguous ranges (what `redis-cli --cluster create` makes).
 */
export function shardHashTag(index: number, count: number): string {
  const low = Math.floor((index * SLOTS) / count);
  const high = Math.floor(((index + 1) * SLOTS) / count);
  for (let k = 0; ; k++) {
    const tag = `s${index}-${k}`;
    const slot = calculateSlot(tag);
    if (slot >= low && slot < high) return tag;
  }
}

export function licenseTaskShards(layout: QueueLayout): QueueShard[] {
  if (layout.shards === 1 && !layout.cluster) return [{ name: LICENSE_TASK_QUEUE, prefix: layout.prefix }];
  return Array.from({ length: layout.shards }, (_, i) => ({
    name: layout.shards === 1 ? LICENSE_TASK_QUEUE : `${LICENSE_TASK_QUEUE}-${i}`,
    prefix: `${layout.prefix}:{${shardHashTag(i, layout.shards)}}`,
  }));
}

/** The shard of a customer: stable for a given number of shards (customer ids are random UUIDs). */
export function shardOfCustomer(customerId: string, shards: number): number {
  return Number.parseInt(customerId.replaceAll('-', '').slice(0, 8), 16) % shards;
}

/**
 * The express queue beside a shard's queue: interactive jobs' tasks (see fair-share.ts), consumed
 * by a worker of their own so they never wait for a slot that bulk tasks hold. Same prefix, so the
 * same hash slot as its shard.
 */
export const expressQueueName = (shardName: string) => `${shardName}-express`;

/** The license-task queues of every shard, and which one serves a customer. */
export interface LicenseTaskQueues {
  /** Every queue: each shard's, then each shard's express queue. */
  readonly all: readonly LicenseTaskQueue[];
  forCustomer(customerId: string): LicenseTaskQueue;
  /** The express queue of the customer's shard, if there are express queues. */
  expressFor(customerId: string): LicenseTaskQueue | undefined;
}

export function licenseTaskQueues(tasks: LicenseTaskQueue[], express: LicenseTaskQueue[] = []): LicenseTaskQueues {
  if (express.length && express.length !== tasks.length) throw new Error('one express queue per shard, or none');
  return {
    all: [...tasks, ...express],
    forCustomer: (customerId) => tasks[shardOfCustomer(customerId, tasks.length)]!,
    expressFor: (customerId) => express[shardOfCustomer(customerId, tasks.length)],
  };
}

export function createLicenseTaskQueues(
  connection: QueueOptions['connection'],
  layout: QueueLayout,
  options: { tracing?: boolean } = {},
): LicenseTaskQueues {
  const shards = licenseTaskShards(layout);
  return licenseTaskQueues(
    shards.map((shard) => createLicenseTaskQueue(connection, shard.prefix, { ...options, name: shard.name })),
    shards.map((shard) =>
      createLicenseTaskQueue(connection, shard.prefix, { ...options, name: expressQueueName(shard.name) }),
    ),
  );
}
