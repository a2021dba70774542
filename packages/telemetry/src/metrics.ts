import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process, owned by the service's main module, with process metrics included. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
