// What other packages (the cross-service tests, the benchmarks) use of the API; main.ts runs it.
export { type ApiAppDeps, buildApiApp } from './app.ts';
export { DEFAULT_CSV_EXPORTS } from './csv.ts';
export { type ApiConfig, loadApiConfig } from './config.ts';
export { createJobWithReservations, type NewLicenseJob } from './repositories/license-jobs.ts';
export { buildOpenApiDocument } from './openapi-document.ts';
export { PROBLEM_CODES } from './schemas/openapi.ts';
export { listSubscriptions } from './repositories/subscriptions.ts';
