// `pnpm soak`: the chaos soak. Flags: --duration <time> (600 s; `120`, `120s`, `30m`, `1h`), --seed <n> (random, printed),
// --intensity <1..5> (2), --cluster (a Redis Cluster instead of one Redis), --faults <kind,...>
// (only these kinds), --net-seconds <min>-<max> (how long a net-delay or net-partition lasts; 3-12),
// --logs <dir> (keep the services' logs), --json <file> (the report as JSON).
// Exits 1 when any invariant was violated.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FAULT_KINDS, type FaultKind } from './faults.ts';
import { formatReport, parseDuration, runSoak } from './run.ts';

const { values } = parseArgs({
  // pnpm may pass a lone `--` before the flags.
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '600' },
    seed: { type: 'string' },
    intensity: { type: 'string', default: '2' },
    cluster: { type: 'boolean', default: false },
    faults: { type: 'string' },
    'net-seconds': { type: 'string' },
    'tolerate-late-503': { type: 'boolean', default: false },
    logs: { type: 'string' },
    json: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const durationSeconds = parseDuration(values.duration);
const intensity = Number(values.intensity);
const faultKinds = values.faults?.split(',').map((k) => k.trim()) as FaultKind[] | undefined;
const netSeconds = values['net-seconds']?.split('-').map(Number);
const netMs =
  netSeconds?.length === 2 && netSeconds.every((n) => Number.isFinite(n) && n > 0) && netSeconds[0]! <= netSeconds[1]!
    ? ([netSeconds[0]! * 1000, netSeconds[1]! * 1000] as const)
    : undefined;
if (
  (values['net-seconds'] !== undefined && !netMs) ||
  faultKinds?.some((k) => !FAULT_KINDS.includes(k)) ||
  !Number.isInteger(seed) ||
  !(durationSeconds > 0) ||
  !Number.isInteger(intensity) ||
  intensity < 1 ||
  intensity > 5
) {
  console.error(
    `usage: pnpm soak [--duration seconds|<n>s|<n>m|<n>h] [--seed n] [--intensity 1..5] [--cluster] [--faults ${FAULT_KINDS.join(',')}] [--net-seconds min-max] [--logs dir] [--json file]`,
  );
  process.exit(2);
}
// Ctrl-C ends the traffic early; the checks and the clean-up (every process by pid, the temporary
// directories) still run. A second Ctrl-C exits at once.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log('soak: stopping the traffic; checking and cleaning up (again to exit at once)');
  });
const report = await runSoak({
  durationSeconds,
  seed,
  intensity,
  cluster: values.cluster,
  faultKinds,
  netMs,
  logDir: values.logs,
  interrupted: () => interrupted,
  tolerateLate503: values['tolerate-late-503'],
});
console.log(formatReport(report));
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
if (report.violations.length)
  console.log(
    `\nReplay with: pnpm soak --seed ${seed} --duration ${durationSeconds} --intensity ${intensity}${values.cluster ? ' --cluster' : ''}${values.faults ? ` --faults ${values.faults}` : ''}${values['net-seconds'] ? ` --net-seconds ${values['net-seconds']}` : ''}`,
  );
process.exit(report.violations.length ? 1 : 0);
