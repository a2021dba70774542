import type { FastifyInstance } from 'fastify';
import FastifyOtelInstrumentation from '@fastify/otel';

/** A span per HTTP request, active while the route runs, so work it starts joins its trace. */
export async function registerRequestTracing(app: FastifyInstance): Promise<void> {
  const instrumentation = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    ignorePaths: (opts) => ['/livez', '/readyz', '/metrics'].includes(opts.url),
  });
  await app.register(instrumentation.plugin());
}
