import "server-only";
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsTopic } from "../messaging/topics";
import { applyBatch } from "./apply-batch";
import { activateGeneration, createGeneration, GENERATION_SWITCH_LOCK, readModelClient } from "./generations";
import { kafkaMessage, kafkaSource, resolveSchemas } from "./kafka-projector";
import { eventRowMessage, readEventLogAfter, POSTGRES_SOURCE } from "./postgres-projector";
import { retryInBatch } from "./retry-in-batch";

export interface RebuildOptions {
  db: PrismaClient;
  databaseUrl: string;
  /** Kafka mode: rebuild from the topic's first offset. Embedded mode (null): from the event log. */
  kafka: Kafka | null;
  registry: SchemaRegistry;
  /** Switch the live generation over once caught up (default true). */
  activate?: boolean;
  /** Kafka mode: the topic to read, the configured one (KAFKA_EVENTS_TOPIC) by default. */
  topic?: string;
  /** Kafka mode: partitions applied at the same time (default 2). */
  partitionsConcurrently?: number;
  onProgress?: (progress: { applied: number; eventsPerSecond: number }) => void;
  /** A batch failed for a reason outside the messages (database unreachable, ...) and is retried. */
  onRetry?: (reason: string, retryInMs: number) => void;
}

export interface RebuildResult {
  schema: string;
  applied: number;
  skipped: number;
  parked: number;
  seconds: number;
}

/**
 * Builds fresh read models from the start of the log into a new generation while the live one keeps serving;
 * then, holding the switch lock (live projection pauses for that moment), catches up the last events and makes
 * the new generation live. Its checkpoints come with it, so live projection resumes where the rebuild stopped.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const schema = `rm_${new Date().toISOString().replace(/\D/g, "").slice(0, 17)}`;
  await createGeneration(options.db, schema);
  const readModels = readModelClient(schema, options.databaseUrl);
  const started = performance.now();
  const totals = { applied: 0, skipped: 0, parked: 0 };
  const report = () => options.onProgress?.({ applied: totals.applied, eventsPerSecond: Math.round(totals.applied / ((performance.now() - started) / 1000)) });
  const count = (outcome: { applied: number; skipped: number; parked: unknown[] }) => {
    totals.applied += outcome.applied;
    totals.skipped += outcome.skipped;
    totals.parked += outcome.parked.length;
    report();
  };

  const source = options.kafka ? await kafkaCatchUp(options.kafka, options.topic ?? quoteEventsTopic(), readModels, schema, options.registry, count, options.onRetry, options.partitionsConcurrently) : postgresCatchUp(options.db, readModels, schema, count);
  try {
    await source.catchUp();
    if (options.activate !== false) {
      await options.db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GENERATION_SWITCH_LOCK})`;
          await source.catchUp();
          await activateGeneration(tx, schema);
        },
        { timeout: 120_000, maxWait: 60_000 },
      );
    }
  } finally {
    await source.stop();
  }
  return { schema, ...totals, seconds: (performance.now() - started) / 1000 };
}

type Count = (outcome: { applied: number; skipped: number; parked: unknown[] }) => void;

function postgresCatchUp(db: PrismaClient, readModels: PrismaClient, schema: string, count: Count) {
  return {
    async catchUp() {
      for (;;) {
        const checkpoint = (await readModels.projectionCheckpoint.findUnique({ where: { source: POSTGRES_SOURCE } }))?.position ?? -1n;
        const rows = await readEventLogAfter(db, checkpoint, 2_000);
        if (rows.length === 0) return;
        count(await applyBatch(readModels, schema, rows.map(eventRowMessage), { live: false, order: "as read" }));
      }
    },
    stop: async () => {},
  };
}

/**
 * A consumer of its own (a throw-away group, so nothing is committed) reading the topic from offset 0 into the new
 * generation, a few partitions at a time: one partition's batch is decoded and projected here while another's is
 * written by the database. A short fetch wait, so the consumer stops soon once caught up.
 */
async function kafkaCatchUp(kafka: Kafka, topic: string, readModels: PrismaClient, schema: string, registry: SchemaRegistry, count: Count, onRetry?: RebuildOptions["onRetry"], partitionsConsumedConcurrently = 2) {
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({ groupId: `quote-projections-rebuild-${randomUUID()}`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const messages = batch.messages.map((m) => kafkaMessage(batch.topic, batch.partition, m, registry));
      const apply = async () => {
        await resolveSchemas(registry, messages);
        return applyBatch(readModels, schema, messages, { live: false });
      };
      const outcome = await retryInBatch({ heartbeat, isRunning, isStale }, apply, (_error, failure, retryInMs) =>
        onRetry?.(failure.reason, retryInMs),
      );
      if (!outcome) return;
      count(outcome);
      if (batch.messages.length) resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await heartbeat();
    },
  });
  return {
    /** Returns once every partition's checkpoint has reached the high watermark read at the start of the call. */
    async catchUp() {
      const targets = (await admin.fetchTopicOffsets(topic)).map((p) => ({ source: kafkaSource(topic, p.partition), last: BigInt(p.high) - 1n }));
      for (;;) {
        const rows = await readModels.projectionCheckpoint.findMany({ where: { source: { in: targets.map((t) => t.source) } } });
        const reached = new Map(rows.map((r) => [r.source, r.position]));
        if (targets.every((t) => t.last < 0n || (reached.get(t.source) ?? -1n) >= t.last)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}
