export * from './lanes.ts';
export * from './queue.ts';
export * from './secret.ts';
export * from './send.ts';
export * from './url-safety.ts';
