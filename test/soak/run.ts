// One soak run: infrastructure up, partners set up, traffic and faults for the duration, the
// checker sampling seats throughout, then everything lifted and the final checks; the report.
import postgres from 'postgres';
import { Receiver } from '../support/webhook-receiver.ts';
import { Checker, type FinalCounts, sampleSeats } from './checker.ts';
import { FaultInjector, type FaultKind, type FaultRecord } from './faults.ts';
import { SoakHttp, type SoakLedger } from './http.ts';
import { startInfra } from './infra.ts';
import { Random } from './random.ts';
import { PRODUCTS, Traffic } from './traffic.ts';

export interface SoakOptions {
  durationSeconds: number;
  seed: number;
  /** 1 (light) .. 5 (heavy): partners, loops per partner, users, and how often faults come. */
  intensity: number;
  cluster: boolean;
  /** Only these kinds of fault (all by default). */
  faultKinds?: readonly FaultKind[];
  /** How long a net-delay or net-partition lasts, drawn between these (ms; 3,000 to 12,000 by default). */
  netMs?: readonly [number, number];
  /** Keep the services' logs here (otherwise in the temporary directory, removed at the end). */
  logDir?: string;
  log?: (line: string) => void;
  /**
   * Counts a 503 with Retry-After outside every fault's window apart instead of as a violation (the
   * short run in pnpm test: see docs/reliability.md for why such answers still occur).
   */
  tolerateLate503?: boolean;
  /** Ends the traffic early (Ctrl-C); the final checks and the clean-up still run. */
  interrupted?: () => boolean;
}

export interface SoakReport {
  seed: number;
  durationSeconds: number;
  intensity: number;
  cluster: boolean;
  startedAt: string;
  /** Operations by kind, each by HTTP status (or network outcome). */
  operations: Record<string, Record<string, number>>;
  operationsTotal: number;
  jobsAccepted: number;
  faults: Record<string, number>;
  recovery: FaultRecord[];
  seatSamples: number;
  checked: FinalCounts;
  /**
   * Jobs accepted with a notBefore that ran (not cancelled first): how late each started after its
   * time, by Postgres's clock (none may start before it: a violation).
   */
  scheduled: { jobs: number; startedLateMedianMs?: number; startedLateMaxMs?: number };
  /** Seconds from the end of the traffic until every accepted job was final. */
  drainSeconds: number;
  violations: string[];
  /** 503s with Retry-After outside every fault's window, when the run tolerates them. */
  late503: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A `--duration` in seconds: a number of seconds (`120`), or with a unit, `s`, `m` or `h` (`120s`,
 * `30m`, `1.5h`). NaN for anything else.
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const unit = { s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const seeded = new Random(options.seed);
  const trafficRng = seeded.fork();
  const faultRng = seeded.fork();
  const httpRng = seeded.fork();
  const burstRng = seeded.fork();
  const intensity = Math.max(1, Math.min(5, options.intensity));
  const operations: Record<string, Record<string, number>> = {};
  const violations: string[] = [];
  const late503: string[] = [];
  let faults: FaultInjector | undefined;
  const ledger: SoakLedger = {
    count(kind, outcome) {
      operations[kind] ??= {};
      operations[kind][outcome] = (operations[kind][outcome] ?? 0) + 1;
    },
    violation(message) {
      const line = `[seed ${options.seed}, ${new Date().toISOString()}] ${message}`;
      if (violations.length < 500) violations.push(line);
      log(`VIOLATION ${line}`);
    },
    inFaultWindow: (at) => faults?.inWindow(at) ?? false,
    lateUnavailable(message) {
      if (!options.tolerateLate503) return this.violation(message);
      const line = `[seed ${options.seed}, ${new Date().toISOString()}] ${message}`;
      late503.push(line);
      log(`LATE 503 ${line}`);
    },
  };

  const receiver = new Receiver();
  await receiver.start();
  log(
    `soak: seed ${options.seed}, ${options.durationSeconds} s, intensity ${intensity}${options.cluster ? ', Redis Cluster' : ''}; starting Postgres, Redis and the services`,
  );
  const infra = await startInfra({ cluster: options.cluster, logDir: options.logDir });
  const sql = postgres(infra.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const report: SoakReport = {
    seed: options.seed,
    durationSeconds: options.durationSeconds,
    intensity,
    cluster: options.cluster,
    startedAt: new Date().toISOString(),
    operations,
    operationsTotal: 0,
    jobsAccepted: 0,
    faults: {},
    recovery: [],
    seatSamples: 0,
    checked: { jobs: 0, users: 0, historyEntries: 0, webhookEvents: 0 },
    drainSeconds: 0,
    scheduled: { jobs: 0 },
    violations,
    late503,
  };
  try {
    const http = new SoakHttp(infra.apis, httpRng, ledger);
    const traffic = new Traffic(
      http,
      ledger,
      {
        groups: true,
        partners: 1 + intensity,
        customersPerPartner: 2,
        usersPerCustomer: 30 + 20 * intensity,
        loopsPerPartner: intensity,
        maxJobUsers: 30 + 20 * intensity,
      },
      `http://127.0.0.1:${infra.catalog.port}`,
      receiver.url(''),
      options.seed,
    );
    await traffic.setUp(trafficRng);
    // The probe partner: one user whose one-user jobs measure when progress resumes after a fault.
    const probeTraffic = new Traffic(
      http,
      ledger,
      { partners: 1, customersPerPartner: 1, usersPerCustomer: 1, loopsPerPartner: 0, maxJobUsers: 1 },
      `http://127.0.0.1:${infra.catalog.port}`,
      `${receiver.url('')}/probe`,
      options.seed,
    );
    await probeTraffic.setUp(new Random(options.seed));
    const probeCustomer = probeTraffic.partners[0]!.customers[0]!;
    let probeAssign = true;
    const probe = async () => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const body = {
          userIds: probeCustomer.users,
          ...(probeAssign ? { assign: [{ productId: PRODUCTS.suite }] } : { revoke: [PRODUCTS.suite] }),
        };
        const res = await probeTraffic.postJob(probeCustomer, body, 'probe', new Random(0));
        if (res?.status !== 202) {
          await sleep(250);
          continue;
        }
        probeAssign = !probeAssign;
        const job = probeTraffic.jobs.get(res.body.id)!;
        while (!job.final && Date.now() < deadline) {
          await probeTraffic.pollOnce(5);
          if (!job.final) await sleep(100);
        }
        return Boolean(job.final);
      }
      return false;
    };

    const startedAt = Date.now();
    faults = new FaultInjector(
      infra,
      faultRng,
      { meanGapMs: Math.round(30_000 / intensity), startedAt, kinds: options.faultKinds, netMs: options.netMs },
      probe,
      log,
      () => traffic.scheduleBurst(burstRng, 2 + intensity),
    );
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        if (await sampleSeats(sql, ledger)) report.seatSamples++;
        // A service that exited without the soak killing it is a violation; it is started again.
        for (const s of infra.services)
          if (!s.alive && !s.expectedExit && s.child) {
            ledger.violation(`${s.label} exited by itself (${JSON.stringify(s.exits.at(-1))}); see its log`);
            s.start();
          }
        await sleep(1000);
      }
    })();
    const trafficDone = traffic.run(trafficRng);
    const faultsDone = faults.run();
    const progress = setInterval(() => {
      const elapsed = Math.round((Date.now() - startedAt) / 1000);
      log(
        `soak: ${elapsed} s, ${traffic.jobs.size} jobs accepted, ${faults!.records.length} faults, ${violations.length} violations`,
      );
    }, 30_000);
    while (Date.now() - startedAt < options.durationSeconds * 1000 && !options.interrupted?.()) await sleep(250);
    clearInterval(progress);
    traffic.stop();
    faults.stop();
    await faultsDone;
    await faults.liftAll();
    await trafficDone;
    log('soak: traffic stopped; waiting for every accepted job to finish');
    if (!(await faults.waitAllReady(120_000))) ledger.violation('services not ready 120 s after the faults stopped');
    const checker = new Checker(http, ledger, traffic, receiver.received, sql, log);
    const checkerProbe = new Checker(http, ledger, probeTraffic, receiver.received, sql, log);
    const drainStart = Date.now();
    await checker.awaitJobs(180_000);
    await checkerProbe.awaitJobs(60_000);
    // Group changes (and the waiting room's hand-outs of freed seats) settle in the background.
    if (!(await checker.awaitGroupsSettled(traffic.partners, 180_000)))
      log('soak: groups not settled 180 s after the traffic (the final check tells what is left)');
    report.drainSeconds = Math.round((Date.now() - drainStart) / 1000);
    sampling = false;
    await sampler;
    log('soak: final checks');
    if (await sampleSeats(sql, ledger, true)) report.seatSamples++;
    report.checked = await checker.finalCheck(traffic.partners, 60_000);
    const probeChecked = await checkerProbe.finalCheck(probeTraffic.partners, 30_000);
    report.checked.jobs += probeChecked.jobs;
    report.checked.webhookEvents += probeChecked.webhookEvents;
    report.jobsAccepted = traffic.jobs.size + probeTraffic.jobs.size;
    const late = checker.scheduledLateness.sort((a, b) => a - b);
    report.scheduled = {
      jobs: late.length,
      ...(late.length ? { startedLateMedianMs: late[Math.floor(late.length / 2)], startedLateMaxMs: late.at(-1) } : {}),
    };
    report.recovery = faults.records;
    for (const r of faults.records) report.faults[r.kind] = (report.faults[r.kind] ?? 0) + 1;
    report.operationsTotal = Object.values(operations).reduce(
      (sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0),
      0,
    );
    const unexpected = infra.services.flatMap((s) =>
      s.exits.filter((e) => !e.expected).map((e) => `${s.label} ${JSON.stringify(e)}`),
    );
    if (unexpected.length) log(`soak: unexpected exits: ${unexpected.join('; ')} (logs in ${infra.logDir})`);
    return report;
  } finally {
    await faults?.liftAll();
    await faults?.close();
    await sql.end({ timeout: 1 }).catch(() => {});
    await infra.stop();
    await receiver.close();
  }
}

/** The report as people read it. */
export function formatReport(report: SoakReport): string {
  const lines: string[] = [];
  lines.push(
    `Soak: seed ${report.seed}, ${report.durationSeconds} s, intensity ${report.intensity}${report.cluster ? ', Redis Cluster' : ''}, started ${report.startedAt}`,
  );
  lines.push(`Operations: ${report.operationsTotal} (${report.jobsAccepted} jobs accepted)`);
  for (const [kind, byStatus] of Object.entries(report.operations).sort())
    lines.push(
      `  ${kind.padEnd(20)} ${Object.entries(byStatus)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
  lines.push(`Faults: ${report.recovery.length} ${JSON.stringify(report.faults)}`);
  lines.push('  at s  fault                   target         held ms  ready after ms  progress after ms');
  for (const r of report.recovery)
    lines.push(
      `  ${String(r.at).padStart(4)}  ${r.kind.padEnd(22)}  ${r.target.padEnd(13)}  ${String(r.heldMs).padStart(7)}  ${String(r.readyAfterMs ?? '—').padStart(14)}  ${String(r.progressAfterMs ?? '—').padStart(17)}${r.note ? `  ${r.note}` : ''}`,
    );
  lines.push(`Seat samples: ${report.seatSamples}; drain after the traffic: ${report.drainSeconds} s`);
  lines.push(
    `Scheduled jobs run: ${report.scheduled.jobs}${report.scheduled.jobs ? `, started after their notBefore by ${report.scheduled.startedLateMedianMs} ms (median), ${report.scheduled.startedLateMaxMs} ms (max)` : ''}`,
  );
  lines.push(`Checked at the end: ${JSON.stringify(report.checked)}`);
  if (report.late503.length) {
    lines.push(`503s with Retry-After outside every fault's window (tolerated): ${report.late503.length}`);
    for (const v of report.late503) lines.push(`  ${v}`);
  }
  lines.push(`Violations: ${report.violations.length}`);
  for (const v of report.violations) lines.push(`  ${v}`);
  return lines.join('\n');
}
