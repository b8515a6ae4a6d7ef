/**
 * The command history behind the system page's latency and error-rate charts: each process counts its commands per
 * minute (count, errors, a histogram of durations with fixed bounds) and writes the minute's totals so far to
 * `command_metric_minutes` every FLUSH_INTERVAL_MS, one row per (minute, process). Rows of every process add up,
 * and the page reads p50/p99 from the summed histogram as Prometheus' histogram_quantile would. The worker's sampler
 * prunes rows older than a day.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { DURATION_BUCKETS } from "./metrics";

export const COMMAND_HISTORY_BUCKETS = DURATION_BUCKETS;
export const FLUSH_INTERVAL_MS = 10_000;

interface Minute {
  minute: number;
  count: number;
  errors: number;
  durationSum: number;
  buckets: number[];
}

/** The bucket a duration (seconds) falls in: the first bound it does not exceed, or the last (overflow) bucket. */
export function bucketIndex(seconds: number): number {
  const index = COMMAND_HISTORY_BUCKETS.findIndex((bound) => seconds <= bound);
  return index < 0 ? COMMAND_HISTORY_BUCKETS.length : index;
}

/**
 * The q-quantile (0–1) of a histogram with COMMAND_HISTORY_BUCKETS' bounds, interpolated linearly inside its bucket
 * as histogram_quantile does; the overflow bucket answers its lower bound. Null without observations.
 */
export function quantileFromBuckets(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i] ?? 0;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i >= COMMAND_HISTORY_BUCKETS.length) return COMMAND_HISTORY_BUCKETS[COMMAND_HISTORY_BUCKETS.length - 1]!;
      const lower = i === 0 ? 0 : COMMAND_HISTORY_BUCKETS[i - 1]!;
      const upper = COMMAND_HISTORY_BUCKETS[i]!;
      return lower + (upper - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return COMMAND_HISTORY_BUCKETS[COMMAND_HISTORY_BUCKETS.length - 1]!;
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

export interface CommandHistory {
  record(seconds: number, failed: boolean): void;
  /** Writes the minutes counted since the last flush (the current one as far as it goes). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** A process's command history, written through `db`; the flush timer starts at the first command and never holds the process open. */
export function createCommandHistory(db: PrismaClient, onError: (error: unknown) => void = () => {}): CommandHistory {
  const processId = randomUUID();
  const minutes = new Map<number, Minute>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  async function write(): Promise<void> {
    const current = minuteOf(Date.now());
    const pending = [...minutes.values()];
    // Past minutes are final once written; the current one is written again (whole) at the next flush.
    for (const m of pending) if (m.minute < current) minutes.delete(m.minute);
    for (const m of pending) {
      const row = { count: m.count, errors: m.errors, durationSumSeconds: m.durationSum, buckets: [...m.buckets] };
      await db.commandMetricMinute.upsert({ where: { minute_processId: { minute: new Date(m.minute), processId } }, create: { minute: new Date(m.minute), processId, ...row }, update: row });
    }
  }

  const flush = () =>
    (flushing ??= write()
      .catch(onError)
      .finally(() => {
        flushing = null;
      }));

  return {
    record(seconds, failed) {
      const minute = minuteOf(Date.now());
      let m = minutes.get(minute);
      if (!m) {
        m = { minute, count: 0, errors: 0, durationSum: 0, buckets: new Array<number>(COMMAND_HISTORY_BUCKETS.length + 1).fill(0) };
        minutes.set(minute, m);
      }
      m.count++;
      if (failed) m.errors++;
      m.durationSum += seconds;
      m.buckets[bucketIndex(seconds)]!++;
      if (!timer) {
        timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
        timer.unref();
      }
    },
    flush,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
  };
}

const globalForHistory = globalThis as unknown as { quotingCommandHistory?: CommandHistory };

/** The process's one command history (the first caller's database client writes it). */
export function processCommandHistory(db: PrismaClient, onError?: (error: unknown) => void): CommandHistory {
  globalForHistory.quotingCommandHistory ??= createCommandHistory(db, onError);
  return globalForHistory.quotingCommandHistory;
}
