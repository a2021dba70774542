// What other packages (the cross-service tests, the benchmarks) use of the worker; main.ts runs it.
export { buildWorkerApp, type WorkerAppDeps } from './app.ts';
export { type AppliedItem, applyUserChanges, licenseRowsChanged, pendingItemsSql } from './apply-user-changes.ts';
export { groupTasksByCustomer, JobCustomers } from './job-customers.ts';
export { loadWorkerConfig, type WorkerConfig } from './config.ts';
export { applyTasks, createLicenseWorker, LicenseWorker, type LicenseWorkerOptions } from './license-worker.ts';
export { createWorkerMetrics, registerJobGauges, type WorkerMetrics } from './metrics.ts';
export { enqueuePendingUsers } from './enqueue-pending-users.ts';
export { JobScheduler } from './job-scheduler.ts';
export { Reconciler } from './reconciler.ts';
export { pruneExpired, type RetentionPolicy } from './retention.ts';
export {
  checkWebhookSecretKey,
  createWebhookMetrics,
  createWebhookWorker,
  requeueDueDeliveries,
  UNREADABLE_SECRET_ERROR,
  webhookBody,
  type WebhookMetrics,
  type WebhookWorkerOptions,
} from './webhook-worker.ts';
