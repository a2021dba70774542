import { Counter, type Registry } from 'prom-client';

/** Business metrics of the API: jobs accepted or refused, seats reserved. */
export function createApiMetrics(registry: Registry) {
  return {
    jobsAccepted: new Counter({
      name: 'license_jobs_accepted_total',
      help: 'Bulk license jobs accepted',
      registers: [registry],
    }),
    jobsRefused: new Counter({
      name: 'license_jobs_refused_total',
      help: 'Bulk license job requests refused, by problem code',
      labelNames: ['code'],
      registers: [registry],
    }),
    jobUsers: new Counter({
      name: 'license_job_users_total',
      help: 'Users in accepted jobs (one task each)',
      registers: [registry],
    }),
    seatsReserved: new Counter({
      name: 'license_seats_reserved_total',
      help: 'Seats reserved by accepted jobs, by product',
      labelNames: ['product'],
      registers: [registry],
    }),
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;
