import type { Job } from '@licensing/client';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

/** `4,500/10,000 done (4,400 succeeded, 100 failed, 0 cancelled)`. */
export function progressText(job: Job): string {
  const p = job.progress;
  const done = p.total - p.pending;
  return `${n(done)}/${n(p.total)} done (${n(p.succeeded)} succeeded, ${n(p.failed)} failed, ${n(p.cancelled)} cancelled)`;
}

/** Shows a job's progress: a bar redrawn in place on a terminal, a line per change otherwise. */
export function progressDisplay(out: Output): { update(job: Job): void; finish(job: Job): void } {
  let last = '';
  if (out.isTTY) {
    const width = 30;
    return {
      update(job) {
        const p = job.progress;
        const ratio = p.total === 0 ? 1 : (p.total - p.pending) / p.total;
        const filled = Math.round(ratio * width);
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${job.status} ${progressText(job)}`;
        if (line !== last) out.write(`\r\x1b[2K${line}`);
        last = line;
      },
      finish(job) {
        this.update(job);
        out.write('\n');
      },
    };
  }
  return {
    update(job) {
      const line = `${job.status}: ${progressText(job)}`;
      if (line !== last) out.write(`${line}\n`);
      last = line;
    },
    finish(job) {
      this.update(job);
    },
  };
}

/** The closing line of a finished job, with its error codes. */
export function summary(job: Job): string {
  const codes = Object.entries(job.errorsByCode)
    .map(([code, count]) => `${code} ${n(count)}`)
    .join(', ');
  return `Job ${job.id} ${job.status}: ${progressText(job)}${codes ? `; errors: ${codes}` : ''}`;
}

/** A progress bar for work measured in parts of a whole (bytes of a file, pages): redrawn in place on a terminal. */
export function barDisplay(out: Output): { update(ratio: number | undefined, text: string): void; finish(): void } {
  let last = '';
  let drawn = false;
  return {
    update(ratio, text) {
      if (!out.isTTY) return;
      const width = 30;
      const line =
        ratio === undefined
          ? text
          : `[${'#'.repeat(Math.round(Math.min(1, ratio) * width)).padEnd(width, '.')}] ${String(Math.floor(Math.min(1, ratio) * 100)).padStart(3)}% ${text}`;
      if (line !== last) out.write(`\r\x1b[2K${line}`);
      last = line;
      drawn = true;
    },
    finish() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
