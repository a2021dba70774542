export * from './fair-share.ts';
export * from './license-tasks.ts';
export * from './queue-metrics.ts';
export * from './shards.ts';
