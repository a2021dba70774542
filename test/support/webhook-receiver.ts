// A partner's webhook endpoint for tests, on 127.0.0.1, and the wait for what it (or anything) receives.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Records every request; `answer` decides each status by path (204 unless set). */
export class Receiver {
  readonly received: Received[] = [];
  /** Paths whose requests are never answered (a hanging endpoint). */
  readonly hang = new Set<string>();
  answer: (path: string, count: number) => { status: number; headers?: Record<string, string> } = () => ({
    status: 204,
  });
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (this.hang.has(path)) return;
      const { status, headers } = this.answer(path, this.received.filter((r) => r.path === path).length);
      res.writeHead(status, headers).end(status >= 400 ? 'not now' : '');
    });
  });
  port = 0;

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  url = (path: string) => `http://127.0.0.1:${this.port}${path}`;
  at = (path: string) => this.received.filter((r) => r.path === path);
  close = () =>
    new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
}

/** Polls `probe` every 50 ms until it gives something other than undefined or false. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
