export * from './catalog.ts';
export * from './changes.ts';
export * from './evaluate-user-changes.ts';
export * from './job-status.ts';
export * from './service-plans.ts';
export * from './preview-job.ts';
export * from './webhooks.ts';
export * from './user-principal-name.ts';
