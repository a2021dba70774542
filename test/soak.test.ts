// The short chaos soak of every CI run: `pnpm soak` with a fixed seed for about two and a half
// minutes (its own Postgres, Redis and service processes, faults at random from the seed), which
// must end with no invariant violated. The long run is by hand (docs/reliability.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { parseDuration, type SoakReport } from './soak/run.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

it('reads --duration in seconds, or with a unit', () => {
  expect(parseDuration('120')).toBe(120);
  expect(parseDuration('120s')).toBe(120);
  expect(parseDuration('30m')).toBe(1800);
  expect(parseDuration('1.5h')).toBe(5400);
  expect(parseDuration(' 2M ')).toBe(120);
  for (const bad of ['', 'm', '30 minutes', '-5', '1e3', '30m5s']) expect(parseDuration(bad)).toBeNaN();
});
const SEED = 29;
const DURATION_SECONDS = 150;

it(
  `a ${DURATION_SECONDS} s soak with seed ${SEED} violates nothing`,
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soak-test-'));
    try {
      const json = path.join(dir, 'report.json');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'test/soak/soak.ts',
          '--seed',
          String(SEED),
          '--duration',
          String(DURATION_SECONDS),
          '--intensity',
          '2',
          '--json',
          json,
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const report = JSON.parse(readFileSync(json, 'utf8')) as SoakReport;
      expect(report.violations, output.slice(-20_000)).toEqual([]);
      expect(code).toBe(0);
      // The run did what a soak is for: traffic of every kind, faults, jobs checked to the end.
      expect(report.jobsAccepted).toBeGreaterThan(50);
      expect(report.recovery.length).toBeGreaterThanOrEqual(3);
      expect(report.recovery.every((f) => f.readyAfterMs !== undefined && f.progressAfterMs !== undefined)).toBe(true);
      expect(report.checked.jobs).toBeGreaterThanOrEqual(report.jobsAccepted);
      expect(report.checked.webhookEvents).toBe(report.checked.jobs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  10 * 60_000,
);
