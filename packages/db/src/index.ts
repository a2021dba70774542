export * from './client.ts';
export * from './migrate.ts';
export * from './catalog-reads.ts';
export * from './job-summaries.ts';
export * from './reserved-seats.ts';
export * as tables from './schema.ts';
export type { JobSummary } from './schema.ts';
export * from './prepared.ts';
