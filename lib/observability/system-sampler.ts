/**
 * The worker's sampler: every SAMPLE_INTERVAL_MS it measures what only the database and Kafka know — the relay
 * backlog, each partition's projection lag (in messages and in seconds), the dead letters and the scheduled commands
 * due — sets the gauges the worker's /metrics serves, and writes one row to `system_samples`, the history behind the
 * system page's charts. It also prunes that history (and the command history) after a day.
 *
 * Lag in seconds, Kafka mode: the checkpoint tells which offset a partition waits for, not when that message
 * arrived, and reading the message back for its timestamp would cost a fetch per partition per sample. Instead the
 * sampler remembers, per partition, when it first saw each end offset (as kafka-lag-exporter does): the wait of the
 * first unapplied message is the time since the first sample that saw it exist. That is a lower bound, short by at
 * most one interval, and 0 for a message that arrived since the last sample. Embedded mode reads the age of the
 * oldest unapplied event from the event log.
 */
import "server-only";
import type { Admin, Kafka } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import { countUnpublished } from "../messaging/relay-progress";
import { quoteEventsTopic } from "../messaging/topics";
import { activeGeneration, readModelClient } from "../projections/generations";
import { kafkaSource } from "../projections/kafka-projector";
import { countEventLogAfter, POSTGRES_SOURCE } from "../projections/postgres-projector";
import { metrics } from "./metrics";

export const SAMPLE_INTERVAL_MS = 10_000;
export const HISTORY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Kafka's answer (connect and end offsets) within this, or the sample fails and the next one reconnects. */
const KAFKA_TIMEOUT_MS = 8_000;
/** Pruning every this many samples (and at the first). */
const PRUNE_EVERY = 30;

export interface PartitionLag {
  partition: string;
  events: number;
  seconds: number;
}

export interface SystemSample {
  sampledAt: Date;
  relayBacklog: number;
  partitions: PartitionLag[];
  deadLetters: { parked: number; held: number };
  scheduledDue: number;
}

/** When each end offset of a partition was first seen; the lag in seconds of a partition waiting for `next`. */
export class EndOffsetHistory {
  private readonly seen = new Map<number, Array<{ end: bigint; at: number }>>();

  observe(partition: number, end: bigint, at: number): void {
    const list = this.seen.get(partition) ?? [];
    if (!list.length || list[list.length - 1]!.end < end) list.push({ end, at });
    this.seen.set(partition, list);
  }

  /** Seconds since offset `next` was first seen to exist (0 when it was not seen yet); forgets what is older. */
  waitOf(partition: number, next: bigint, now: number): number {
    const list = this.seen.get(partition) ?? [];
    // Samples in which `next` did not exist yet tell nothing any more: the checkpoint only moves forward.
    while (list.length > 1 && list[0]!.end <= next) list.shift();
    const first = list.find((entry) => entry.end > next);
    return first ? Math.max(0, (now - first.at) / 1000) : 0;
  }
}

export interface SystemSamplerDeps {
  db: PrismaClient;
  databaseUrl: string;
  kafka: Kafka | null;
  workerId: string;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export function createSystemSampler(deps: SystemSamplerDeps) {
  const history = new EndOffsetHistory();
  let admin: Admin | null = null;
  let samples = 0;

  async function kafkaPartitions(applied: Map<string, bigint>, now: number): Promise<PartitionLag[]> {
    let offsets;
    try {
      offsets = await withTimeout(
        (async () => {
          admin ??= deps.kafka!.admin();
          await admin.connect();
          return admin.fetchTopicOffsets(quoteEventsTopic());
        })(),
        KAFKA_TIMEOUT_MS,
        "reading the end offsets of quote-events",
      );
    } catch (error) {
      const broken = admin;
      admin = null;
      await broken?.disconnect().catch(() => {});
      throw error;
    }
    return offsets.map((p) => {
      const end = BigInt(p.high);
      history.observe(p.partition, end, now);
      const checkpoint = applied.get(kafkaSource(quoteEventsTopic(), p.partition)) ?? -1n;
      const events = Number(end - 1n - checkpoint);
      return { partition: String(p.partition), events: Math.max(0, events), seconds: events > 0 ? history.waitOf(p.partition, checkpoint + 1n, now) : 0 };
    });
  }

  async function embeddedPartitions(applied: Map<string, bigint>, now: number): Promise<PartitionLag[]> {
    const checkpoint = applied.get(POSTGRES_SOURCE) ?? -1n;
    const events = await countEventLogAfter(deps.db, checkpoint);
    let seconds = 0;
    if (events > 0) {
      const [row] = await deps.db.$queryRaw<{ oldest: Date | null }[]>`
        SELECT min(occurred_at) AS oldest FROM events
        WHERE ${checkpoint}::bigint < 0 OR (tx_id, position) > (SELECT tx_id, position FROM events WHERE position = ${checkpoint}::bigint)`;
      seconds = row?.oldest ? Math.max(0, (now - row.oldest.getTime()) / 1000) : 0;
    }
    return [{ partition: POSTGRES_SOURCE, events, seconds }];
  }

  /** Measures once, sets the gauges and records the sample. */
  async function sampleOnce(): Promise<SystemSample> {
    const now = Date.now();
    const generation = await activeGeneration(deps.db);
    const readModels = readModelClient(generation, deps.databaseUrl);
    const [checkpoints, relayBacklog, parked, held, scheduledDue] = await Promise.all([
      readModels.projectionCheckpoint.findMany(),
      deps.kafka ? countUnpublished(deps.db) : Promise.resolve(0),
      readModels.projectionDeadLetter.count({ where: { state: "parked" } }),
      readModels.projectionDeadLetter.count({ where: { state: "held" } }),
      deps.db.scheduledCommand.count({ where: { status: "pending", runAfter: { lte: new Date(now) } } }),
    ]);
    const applied = new Map(checkpoints.map((c) => [c.source, c.position]));
    const partitions = deps.kafka ? await kafkaPartitions(applied, now) : await embeddedPartitions(applied, now);

    const m = metrics();
    m.relayBacklog.set(relayBacklog);
    m.projectionLagEvents.reset();
    m.projectionLagSeconds.reset();
    for (const p of partitions) {
      m.projectionLagEvents.set({ partition: p.partition }, p.events);
      m.projectionLagSeconds.set({ partition: p.partition }, p.seconds);
    }
    m.deadLetters.set({ state: "parked" }, parked);
    m.deadLetters.set({ state: "held" }, held);
    m.scheduledDue.set(scheduledDue);

    const sample: SystemSample = { sampledAt: new Date(now), relayBacklog, partitions, deadLetters: { parked, held }, scheduledDue };
    await deps.db.systemSample.create({
      data: {
        workerId: deps.workerId,
        sampledAt: sample.sampledAt,
        relayBacklog,
        projectionLagEvents: partitions.reduce((sum, p) => sum + p.events, 0),
        projectionLagSeconds: Math.max(0, ...partitions.map((p) => p.seconds)),
        deadLettersParked: parked,
      },
    });
    if (samples++ % PRUNE_EVERY === 0) await prune(deps.db, new Date(now - HISTORY_RETENTION_MS));
    return sample;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= sampleOnce()
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => {
        running = null;
      });
  };

  return {
    sampleOnce,
    start() {
      tick();
      timer = setInterval(tick, deps.intervalMs ?? SAMPLE_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await admin?.disconnect().catch(() => {});
      admin = null;
    },
  };
}

export type SystemSampler = ReturnType<typeof createSystemSampler>;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Deletes the system page's history older than `before`. */
export async function prune(db: PrismaClient, before: Date): Promise<void> {
  await db.systemSample.deleteMany({ where: { sampledAt: { lt: before } } });
  await db.commandMetricMinute.deleteMany({ where: { minute: { lt: before } } });
}
