// Faults at random, drawn from the seed: one at a time, each followed by the measure of its
// recovery (until every service's /readyz answers 200, and until a one-user job accepted after the
// fault was lifted has finished). The windows the faults span are where a 503 with Retry-After is
// allowed.
import postgres from 'postgres';
import { FAKETIME_LIBRARY, type Infra, type Service } from './infra.ts';
import type { Random } from './random.ts';
import type { TcpProxy } from './tcp-proxy.ts';

export const FAULT_KINDS = [
  'sigkill-worker',
  'sigkill-api',
  'sigkill-catalog',
  'sigstop-worker',
  'sigstop-api',
  'redis-restart-empty',
  'redis-cluster-failover',
  'postgres-restart',
  'pg-terminate-backend',
  'net-delay',
  'net-partition',
  'net-reset',
  'clock-skew',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export interface FaultRecord {
  kind: FaultKind;
  target: string;
  /** Seconds since the traffic started. */
  at: number;
  /** When it started (ISO 8601), to line it up with the services' logs. */
  startedAt: string;
  /** How long the fault was in force (ms). */
  heldMs: number;
  /** From the fault's start until every service's /readyz answered 200 again. */
  readyAfterMs?: number;
  /** From the fault's start until a one-user job accepted after it was lifted had finished. */
  progressAfterMs?: number;
  note?: string;
}

export interface Window {
  start: number;
  end?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A worker's lock on a task lasts 10 s (license-worker.ts): a stop must outlast it. */
const LOCK_DURATION_MS = 10_000;
/** After recovery, how long answers may still show the fault (pools reconnecting, retries). */
const GRACE_MS = 10_000;

export class FaultInjector {
  readonly records: FaultRecord[] = [];
  readonly windows: Window[] = [];
  private running = false;
  private clusterFailovers = 0;
  private readonly admin: postgres.Sql;

  constructor(
    private readonly infra: Infra,
    private readonly rng: Random,
    private readonly options: {
      meanGapMs: number;
      startedAt: number;
      kinds?: readonly FaultKind[];
      netMs?: readonly [number, number];
    },
    /** Accepts a one-user job and resolves when it has finished. */
    private readonly probe: () => Promise<boolean>,
    private readonly log: (line: string) => void,
    /** Accepts jobs scheduled a few seconds ahead (during a clock skew); answers how many. */
    private readonly scheduleBurst: () => Promise<number> = async () => 0,
  ) {
    this.admin = postgres(infra.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  }

  inWindow(at: number): boolean {
    return this.windows.some((w) => at >= w.start - 1000 && at <= (w.end ?? Number.POSITIVE_INFINITY) + GRACE_MS);
  }

  async run(): Promise<void> {
    this.running = true;
    while (this.running) {
      const gap = Math.round(this.options.meanGapMs * (0.5 + this.rng.next()));
      const until = Date.now() + gap;
      while (this.running && Date.now() < until) await sleep(200);
      if (!this.running) break;
      await this.inject();
    }
  }

  stop(): void {
    this.running = false;
  }

  async close(): Promise<void> {
    await this.admin.end({ timeout: 1 }).catch(() => {});
  }

  private pickKind(): FaultKind {
    const cluster = Boolean(this.infra.cluster);
    const weights: Record<FaultKind, number> = {
      'sigkill-worker': 12,
      'sigkill-api': 8,
      'sigkill-catalog': 3,
      'sigstop-worker': 8,
      'sigstop-api': 5,
      'redis-restart-empty': cluster ? 0 : 8,
      'redis-cluster-failover': cluster && this.clusterFailovers < 1 ? 8 : 0,
      'postgres-restart': 6,
      'pg-terminate-backend': 8,
      'net-delay': 8,
      'net-partition': 6,
      'net-reset': 6,
      'clock-skew': FAKETIME_LIBRARY ? 6 : 0,
    };
    const only = this.options.kinds;
    if (only) for (const kind of Object.keys(weights) as FaultKind[]) if (!only.includes(kind)) weights[kind] = 0;
    return this.rng.weighted(weights);
  }

  private async inject(): Promise<void> {
    const kind = this.pickKind();
    const window: Window = { start: Date.now() };
    this.windows.push(window);
    const record: FaultRecord = {
      kind,
      startedAt: new Date(window.start).toISOString(),
      target: '',
      at: Math.round((window.start - this.options.startedAt) / 1000),
      heldMs: 0,
    };
    // Every parameter is drawn before anything happens, so a replay with the seed draws the same.
    const worker = this.rng.pick(this.infra.workers);
    const api = this.rng.pick(this.infra.apis);
    const pauseMs = this.rng.int(300, 3000);
    const stopMs = LOCK_DURATION_MS + this.rng.int(2000, 6000);
    const proxies: TcpProxy[] = [this.infra.pgProxy, ...(this.infra.redisProxy ? [this.infra.redisProxy] : [])];
    const proxy = this.rng.pick(proxies);
    const delayMs = this.rng.int(100, 800);
    const netMs = this.rng.int(...(this.options.netMs ?? [3000, 12_000]));
    const skewed = this.rng.pick([...this.infra.workers, ...this.infra.apis]);
    const skewSeconds = this.rng.pick([-1, 1]) * this.rng.int(5, 120);
    const skewMs = this.rng.int(20_000, 40_000);
    try {
      switch (kind) {
        case 'sigkill-worker':
        case 'sigkill-api':
        case 'sigkill-catalog': {
          const service = kind === 'sigkill-worker' ? worker : kind === 'sigkill-api' ? api : this.infra.catalog;
          record.target = service.label;
          await this.kill(service, pauseMs);
          record.heldMs = pauseMs;
          break;
        }
        case 'sigstop-worker':
        case 'sigstop-api': {
          const service = kind === 'sigstop-worker' ? worker : api;
          record.target = service.label;
          service.signal('SIGSTOP');
          await sleep(stopMs);
          service.signal('SIGCONT');
          record.heldMs = stopMs;
          break;
        }
        case 'redis-restart-empty': {
          record.target = 'redis';
          await this.infra.redis!.kill();
          await sleep(pauseMs);
          await this.infra.redis!.start();
          record.heldMs = pauseMs;
          break;
        }
        case 'redis-cluster-failover': {
          const masters = await this.infra.cluster!.masters();
          const port = masters[this.rng.int(0, masters.length - 1)]!;
          record.target = `redis master :${port}`;
          this.clusterFailovers++;
          const t0 = Date.now();
          await this.infra.cluster!.killMaster(port);
          record.heldMs = Date.now() - t0;
          record.note = 'until a replica took over its slots';
          break;
        }
        case 'postgres-restart': {
          record.target = 'postgres';
          const t0 = Date.now();
          await this.infra.restartPostgres();
          record.heldMs = Date.now() - t0;
          break;
        }
        case 'pg-terminate-backend': {
          record.target = 'postgres';
          const [row] = await this.admin<{ terminated: number }[]>`
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
          record.note = `${row?.terminated ?? 0} backends terminated`;
          break;
        }
        case 'net-delay': {
          record.target = proxy.name;
          record.note = `${delayMs} ms each way`;
          proxy.setDelay(delayMs);
          await sleep(netMs);
          proxy.setDelay(0);
          record.heldMs = netMs;
          break;
        }
        case 'net-partition': {
          record.target = proxy.name;
          proxy.partition();
          await sleep(netMs);
          proxy.heal();
          record.heldMs = netMs;
          break;
        }
        case 'clock-skew': {
          // The process started again with its wall clock off, jobs scheduled to come due meanwhile,
          // then started again on the true time. Postgres's clock decides when a scheduled job
          // starts; the checker holds every one to its notBefore, started once.
          record.target = skewed.label;
          const t0 = Date.now();
          await this.restartWithClock(skewed, skewSeconds);
          const scheduled = await this.scheduleBurst();
          const until = t0 + skewMs;
          while (Date.now() < until) await sleep(200);
          await this.restartWithClock(skewed, 0);
          record.heldMs = Date.now() - t0;
          record.note = `clock ${skewSeconds > 0 ? '+' : ''}${skewSeconds} s; ${scheduled} jobs scheduled meanwhile`;
          break;
        }
        case 'net-reset': {
          record.target = proxy.name;
          record.note = `${proxy.resetAll()} connections reset`;
          break;
        }
      }
    } catch (error) {
      record.note = `injecting failed: ${(error as Error).message}`;
    }
    const readyAt = await this.waitAllReady(120_000);
    if (readyAt) record.readyAfterMs = readyAt - window.start;
    if (await this.probe()) record.progressAfterMs = Date.now() - window.start;
    window.end = Date.now();
    this.records.push(record);
    this.log(
      `fault ${record.kind} ${record.target} at ${record.at} s: held ${record.heldMs} ms, ready after ${record.readyAfterMs ?? '—'} ms, progress after ${record.progressAfterMs ?? '—'} ms${record.note ? ` (${record.note})` : ''}`,
    );
  }

  /** SIGKILL, then the same service started again on its port after a pause. */
  private async kill(service: Service, pauseMs: number): Promise<void> {
    service.signal('SIGKILL');
    await service.waitExit();
    await sleep(pauseMs);
    service.start();
  }

  /** SIGTERM (a graceful stop), then the same service started again with its clock `seconds` off. */
  private async restartWithClock(service: Service, seconds: number): Promise<void> {
    await service.stop();
    service.clockOffsetSeconds = seconds;
    service.start();
    await service.waitReady();
  }

  /** Lifts whatever may still be in force (at the end, or after an interrupted fault). */
  async liftAll(): Promise<void> {
    for (const s of this.infra.services) if (s.stopped) s.signal('SIGCONT');
    for (const p of [this.infra.pgProxy, this.infra.redisProxy]) {
      p?.setDelay(0);
      p?.heal();
    }
  }

  async waitAllReady(timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ready = await Promise.all(this.infra.services.map((s) => s.ready()));
      if (ready.every(Boolean)) return Date.now();
      await sleep(100);
    }
    return undefined;
  }
}
