// A TCP proxy between the services and Postgres or Redis, so the soak can break the network without
// root or network namespaces: added latency, a partition (bytes held in both directions, new
// connections left hanging, as when packets are dropped and TCP keeps retransmitting; everything
// held is delivered when it heals), or every connection reset at once. A partition may also lose
// the connections opened during it: they are accepted and what they send is never delivered, as
// through a middlebox that accepted a connection it has no way on for.
import { createServer, type Server, type Socket, connect } from 'node:net';

interface Link {
  client: Socket;
  upstream?: Socket;
  /** Joined to its upstream connection: bytes flow both ways unless partitioned. */
  joined?: boolean;
}

export class TcpProxy {
  port = 0;
  /** Latency added to every chunk, each direction. */
  private delayMs = 0;
  private partitioned = false;
  /** Connections opened during this partition are lost (never joined to the server). */
  private losingNew = false;
  private readonly links = new Set<Link>();
  private readonly server: Server;
  /** Connections accepted while partitioned, connected upstream when it heals. */
  private readonly held: (() => void)[] = [];

  constructor(
    readonly name: string,
    private readonly upstreamPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** `loseNew`: the connections opened until it heals are lost (see above), not held. */
  partition(options: { loseNew?: boolean } = {}): void {
    this.partitioned = true;
    this.losingNew = options.loseNew ?? false;
    for (const link of this.links) {
      link.client.pause();
      link.upstream?.pause();
    }
  }

  heal(): void {
    this.partitioned = false;
    this.losingNew = false;
    // Only joined links: a link still connecting upstream starts reading its client once it is
    // joined (reading it before would drop what it sent).
    for (const link of this.links) {
      if (!link.joined) continue;
      link.client.resume();
      link.upstream?.resume();
    }
    for (const connectHeld of this.held.splice(0)) connectHeld();
  }

  /** Resets every open connection (both sides see it end abruptly). */
  resetAll(): number {
    const count = this.links.size;
    for (const link of [...this.links]) this.drop(link);
    return count;
  }

  get connections(): number {
    return this.links.size;
  }

  async close(): Promise<void> {
    this.heal();
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private drop(link: Link) {
    this.links.delete(link);
    link.client.destroy();
    link.upstream?.destroy();
  }

  private accept(client: Socket) {
    const link: Link = { client };
    this.links.add(link);
    client.on('error', () => this.drop(link));
    client.on('close', () => this.drop(link));
    client.pause();
    const open = () => {
      if (!this.links.has(link)) return;
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      link.upstream = upstream;
      upstream.on('error', () => this.drop(link));
      upstream.on('close', () => this.drop(link));
      upstream.on('connect', () => {
        this.forward(client, upstream);
        this.forward(upstream, client);
        link.joined = true;
        if (!this.partitioned) client.resume();
        else upstream.pause();
      });
    };
    // A lost connection stays open and paused: what it sends is read by nobody.
    if (this.losingNew) return;
    if (this.partitioned) this.held.push(open);
    else open();
  }

  /** Copies from → to, each chunk after the current delay, in order. */
  private forward(from: Socket, to: Socket) {
    let lastDue = 0;
    const queue: { due: number; chunk: Buffer }[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      const now = Date.now();
      while (queue.length && queue[0]!.due <= now) to.write(queue.shift()!.chunk);
      if (queue.length) schedule(queue[0]!.due - now);
    };
    const schedule = (ms: number) => {
      if (scheduled) return;
      scheduled = true;
      setTimeout(flush, ms);
    };
    from.on('data', (chunk: Buffer) => {
      if (this.delayMs === 0 && queue.length === 0) {
        to.write(chunk);
        return;
      }
      lastDue = Math.max(lastDue, Date.now() + this.delayMs);
      queue.push({ due: lastDue, chunk });
      schedule(lastDue - Date.now());
    });
    from.on('end', () => {
      const finish = () => (queue.length ? setTimeout(finish, 10) : to.end());
      finish();
    });
  }
}
