export * from './connection.ts';
export * from './write-coalescing.ts';
export * from './eviction-policy.ts';
