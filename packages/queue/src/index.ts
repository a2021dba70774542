export * from './license-tasks.ts';
export * from './queue-metrics.ts';
