import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Listens on `port`; when that port is only a default (not set by the operator) and another
 * process holds it, listens on a free port instead and answers which. Several workers may run on
 * one host ("pnpm start:worker" twice, to scale out), and each serves its own health and metrics.
 * A port the operator set explicitly is honoured or the start fails.
 */
export async function listenOnPortOrFree(
  app: FastifyInstance,
  options: { host: string; port: number; portIsDefault: boolean },
): Promise<{ port: number; fallback: boolean }> {
  try {
    await app.listen({ host: options.host, port: options.port });
    return { port: (app.server.address() as AddressInfo).port, fallback: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.portIsDefault) throw err;
  }
  await app.listen({ host: options.host, port: 0 });
  return { port: (app.server.address() as AddressInfo).port, fallback: true };
}
