/** Tracing is on only when an OTLP endpoint is configured; otherwise the API stays a no-op. */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env) => Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT);

/**
 * Starts the OpenTelemetry SDK (OTLP exporter, W3C trace context) when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set. Returns its shutdown, which flushes pending spans; a no-op when tracing is off.
 */
export async function startTracing(serviceName: string): Promise<() => Promise<void>> {
  if (!tracingEnabled()) return async () => {};
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({ serviceName });
  sdk.start();
  return () => sdk.shutdown();
}
