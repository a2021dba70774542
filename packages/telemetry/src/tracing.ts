/**
 * Starts the OpenTelemetry SDK (OTLP exporter, W3C trace context) when `enabled` (the service's
 * config turns it on when OTEL_EXPORTER_OTLP_ENDPOINT is set). Returns its shutdown, which flushes
 * pending spans; a no-op when tracing is off, and the OpenTelemetry API then stays a no-op too.
 */
export async function startTracing(serviceName: string, enabled: boolean): Promise<() => Promise<void>> {
  if (!enabled) return async () => {};
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({ serviceName });
  sdk.start();
  return () => sdk.shutdown();
}
