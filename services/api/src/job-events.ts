import type { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import { jobsWithProgress, type Db } from '@licensing/db';
import { jobRowsByRefs } from './repositories/license-jobs.ts';
import { liveKeyIds } from './repositories/partners.ts';
import type { Job } from './schemas/license-jobs.ts';

/** Server-sent events: a `progress` event is never sent more often than this. */
export const EVENT_INTERVAL_MS = 250;
/** A comment line on a quiet stream, so that proxies do not take it for dead. */
const KEEP_ALIVE_MS = 15_000;
/** A client this far behind (bytes written but not read) is not reading: its stream is closed. */
const MAX_UNREAD_BYTES = 1024 * 1024;

/** One open `GET …/events` response. */
interface EventStream {
  out: PassThrough;
  /** The API key the stream was opened with: once it is revoked or expires, the stream ends. */
  keyId: string;
  /** The last Job sent on this stream, as JSON: an event is sent only when it changes. */
  lastSent: string;
}

interface WatchedJob {
  customerId: string;
  streams: Set<EventStream>;
  lastWriteAt: number;
}

export function formatEvent(event: 'progress' | 'finished', job: Job): string {
  return `event: ${event}\ndata: ${JSON.stringify(job)}\n\n`;
}

/**
 * The job-event streams of one API process. However many streams are open, one loop polls every
 * job that has any, in one round of statements per tick for all of them (not one per stream, nor
 * one per job), and fans each job's new state out to its streams. The loop runs only while some
 * stream is open, every EVENT_INTERVAL_MS at most (never two polls at once). The same round checks
 * the API keys the streams were opened with: a stream whose key was revoked or expired since ends at that
 * tick without another event, as such a key must stop working at once (a reconnect gets 401).
 */
export class JobEventStreams {
  private readonly jobs = new Map<string, WatchedJob>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  private readonly metrics;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    registry: Registry,
  ) {
    this.metrics = {
      streams: new Gauge({
        name: 'license_job_event_streams',
        help: 'Open GET …/events streams',
        registers: [registry],
      }),
      watchedJobs: new Gauge({
        name: 'license_job_event_watched_jobs',
        help: 'Jobs with at least one open event stream',
        registers: [registry],
      }),
      polls: new Counter({
        name: 'license_job_event_polls_total',
        help: 'Polls of the watched jobs (one round of statements for all of them)',
        registers: [registry],
      }),
    };
  }

  /**
   * Starts streaming a job that was looked up (and scoped) just now: its current state goes out at
   * once; a finished job also gets its `finished` event and the stream ends. Otherwise the stream is
   * watched until the job finishes, the client goes away, or the process shuts down.
   */
  open(job: Job, out: PassThrough, keyId: string): void {
    const stream: EventStream = { out, keyId, lastSent: JSON.stringify(job) };
    out.write(formatEvent('progress', job));
    if (job.finishedAt || this.closed) {
      if (job.finishedAt) out.write(formatEvent('finished', job));
      out.end();
      return;
    }
    let watched = this.jobs.get(job.id);
    if (!watched) {
      watched = { customerId: job.customerId, streams: new Set(), lastWriteAt: Date.now() };
      this.jobs.set(job.id, watched);
    }
    watched.streams.add(stream);
    this.updateGauges();
    // The client went away (or the response failed): stop sending to it.
    out.once('close', () => this.remove(job.id, stream));
    this.schedule();
  }

  /** Ends every stream (graceful shutdown); clients reconnect to another process. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watched of this.jobs.values()) for (const s of watched.streams) s.out.end();
    this.jobs.clear();
    this.updateGauges();
  }

  private remove(jobId: string, stream: EventStream): void {
    const watched = this.jobs.get(jobId);
    if (!watched) return;
    watched.streams.delete(stream);
    if (watched.streams.size === 0) this.jobs.delete(jobId);
    this.updateGauges();
  }

  private updateGauges(): void {
    let streams = 0;
    for (const watched of this.jobs.values()) streams += watched.streams.size;
    this.metrics.streams.set(streams);
    this.metrics.watchedJobs.set(this.jobs.size);
  }

  private schedule(): void {
    if (this.timer || this.polling || this.closed || this.jobs.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, EVENT_INTERVAL_MS);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const ids = [...this.jobs.keys()];
      const keyIds = new Set<string>();
      for (const watched of this.jobs.values()) for (const stream of watched.streams) keyIds.add(stream.keyId);
      this.metrics.polls.inc();
      const refs = [...this.jobs].map(([id, watched]) => ({ customerId: watched.customerId, id }));
      const [jobs, liveKeys] = await Promise.all([
        jobRowsByRefs(this.db, refs).then((rows) => jobsWithProgress(this.db, rows)),
        liveKeyIds(this.db, [...keyIds]),
      ]);
      for (const [jobId, watched] of this.jobs)
        for (const stream of [...watched.streams]) {
          // A stream opened while this poll ran has a key that was not looked up: next poll.
          if (!keyIds.has(stream.keyId) || liveKeys.has(stream.keyId)) continue;
          stream.out.end();
          this.remove(jobId, stream);
        }
      const now = Date.now();
      for (const job of jobs) {
        const watched = this.jobs.get(job.id);
        if (!watched) continue;
        const json = JSON.stringify(job);
        const progress = formatEvent('progress', job);
        for (const stream of watched.streams) {
          if (stream.out.writableLength > MAX_UNREAD_BYTES) {
            stream.out.destroy();
            continue;
          }
          if (stream.lastSent !== json) {
            stream.out.write(progress);
            stream.lastSent = json;
            watched.lastWriteAt = now;
          }
        }
        if (job.finishedAt) {
          const finished = formatEvent('finished', job);
          for (const stream of watched.streams) stream.out.end(finished);
          this.jobs.delete(job.id);
        } else if (now - watched.lastWriteAt >= KEEP_ALIVE_MS) {
          for (const stream of watched.streams) stream.out.write(': keep-alive\n\n');
          watched.lastWriteAt = now;
        }
      }
      // A job that no longer exists (deleted with its customer, or pruned): its streams end.
      const found = new Set(jobs.map((j) => j.id));
      for (const id of ids) {
        if (found.has(id)) continue;
        for (const stream of this.jobs.get(id)?.streams ?? []) stream.out.end();
        this.jobs.delete(id);
      }
    } catch (err) {
      // Postgres away for a moment: the streams stay open and the next tick tries again.
      this.log.warn({ err }, 'polling jobs for event streams failed');
    } finally {
      this.polling = false;
      this.updateGauges();
      this.schedule();
    }
  }
}
