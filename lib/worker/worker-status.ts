import "server-only";
import type { Kafka } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import { RELAY_CONNECTION_PREFIX, RELAY_LEADER_LOCK } from "../messaging/relay-leadership";
import { countUnpublished } from "../messaging/relay-progress";
import { quoteEventsTopic } from "../messaging/topics";
import { activeGeneration, readModelClient } from "../projections/generations";
import { kafkaSource } from "../projections/kafka-projector";
import { deadLetterSummary, type DeadLetterSummary } from "../projections/parked-messages";
import { countEventLogAfter, POSTGRES_SOURCE } from "../projections/postgres-projector";
import { WORKER_HEARTBEAT_STALE_MS } from "./heartbeat";

export interface WorkerStatus {
  mode: "kafka" | "embedded";
  workers: Array<{ workerId: string; pid: number; mode: string; startedAt: string; lastBeatAt: string; relayLeader: boolean }>;
  /** The worker whose relay holds the relay lock and publishes (Kafka mode); null when none does. */
  relayLeader: string | null;
  generation: string;
  projection: { partitions: Array<{ source: string; appliedPosition: string | null; lag: number }>; totalLag: number };
  relayBacklog: number;
  /** Parked messages (with the most recent ones and why) and the messages held behind them. */
  deadLetters: DeadLetterSummary;
  /** Scheduled commands due and not yet run; those set for later (a quote's expiry) are not a backlog. */
  scheduledCommandsPending: number;
}

/** What the worker has done and has left: lag per partition, last applied position, relay backlog, DLQ size. */
export async function workerStatus(db: PrismaClient, databaseUrl: string, kafka: Kafka | null): Promise<WorkerStatus> {
  const generation = await activeGeneration(db);
  const readModels = readModelClient(generation, databaseUrl);
  const [heartbeats, checkpoints, relayBacklog, deadLetters, scheduled, relayLeader] = await Promise.all([
    db.workerHeartbeat.findMany({ where: { beatAt: { gte: new Date(Date.now() - WORKER_HEARTBEAT_STALE_MS) } }, orderBy: { startedAt: "asc" } }),
    readModels.projectionCheckpoint.findMany(),
    kafka ? countUnpublished(db) : Promise.resolve(0),
    deadLetterSummary(readModels),
    db.scheduledCommand.count({ where: { status: "pending", runAfter: { lte: new Date() } } }),
    kafka ? relayLeaderOf(db) : Promise.resolve(null),
  ]);
  const applied = new Map(checkpoints.map((c) => [c.source, c.position]));
  let partitions: WorkerStatus["projection"]["partitions"];
  if (kafka) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(quoteEventsTopic());
      partitions = offsets.map((p) => {
        const source = kafkaSource(quoteEventsTopic(), p.partition);
        const position = applied.get(source) ?? -1n;
        return { source, appliedPosition: position >= 0n ? position.toString() : null, lag: Number(BigInt(p.high) - 1n - position) };
      });
    } finally {
      await admin.disconnect();
    }
  } else {
    const position = applied.get(POSTGRES_SOURCE) ?? -1n;
    const lag = await countEventLogAfter(db, position);
    partitions = [{ source: POSTGRES_SOURCE, appliedPosition: position >= 0n ? position.toString() : null, lag }];
  }
  return {
    mode: kafka ? "kafka" : "embedded",
    workers: heartbeats.map((h) => ({ workerId: h.workerId, pid: h.pid, mode: h.mode, startedAt: h.startedAt.toISOString(), lastBeatAt: h.beatAt.toISOString(), relayLeader: h.workerId === relayLeader })),
    relayLeader,
    generation,
    projection: { partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) },
    relayBacklog,
    deadLetters,
    scheduledCommandsPending: scheduled,
  };
}

/** The worker id (or the drain's name) in the application name of the session that holds the relay lock. */
export async function relayLeaderOf(db: PrismaClient): Promise<string | null> {
  const key = BigInt(RELAY_LEADER_LOCK);
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid = ${Number(key >> 32n)}::oid AND l.objid = ${Number(key & 0xffffffffn)}::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  const name = rows[0]?.name;
  return name?.startsWith(RELAY_CONNECTION_PREFIX) ? name.slice(RELAY_CONNECTION_PREFIX.length) : null;
}
