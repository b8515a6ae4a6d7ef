import "server-only";
import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { decodeEvent } from "../messaging/avro/event-codec";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { schemaIdOf } from "../messaging/avro/wire-format";
import { quoteEventsDlqTopic, quoteEventsTopic } from "../messaging/topics";
import { applyBatch, GenerationChangedError, type BatchOutcome, type DeadLetter, type ProjectionMessage } from "./apply-batch";
import { activeGeneration, readModelClient } from "./generations";
import { retryInBatch } from "./retry-in-batch";
import { createBatchCoalescer } from "./batch-coalescer";
import { startApplySpans } from "./projector-tracing";
import { tracingEnabled } from "../tracing/tracing";
import { metrics } from "../observability/metrics";

export const PROJECTION_GROUP = "quote-projections";
const CHUNK = 500;

export const kafkaSource = (topic: string, partition: number) => `kafka:${topic}:${partition}`;

export function kafkaMessage(topic: string, partition: number, message: KafkaMessage, registry: SchemaRegistry): ProjectionMessage {
  const payload = message.value ?? Buffer.alloc(0);
  return {
    source: kafkaSource(topic, partition),
    position: BigInt(message.offset),
    quoteId: message.key?.toString("utf8") ?? "",
    payload,
    decode: () => decodeEvent(payload, registry),
  };
}

/**
 * Asks the registry for the schema ids of these messages it does not know yet (an external registry's newer
 * versions), so that decoding them, which is synchronous, finds them. Throws when the registry cannot answer.
 */
export function resolveSchemas(registry: SchemaRegistry, messages: readonly ProjectionMessage[]): Promise<void> {
  return registry.resolveUnknown(messages.map((m) => schemaIdOf(m.payload)).filter((id) => id !== undefined));
}

/** Sends parked messages to the dead-letter topic with the error and their origin in headers. */
export async function publishDeadLetters(producer: Producer, deadLetters: DeadLetter[]) {
  if (!deadLetters.length) return;
  await producer.send({
    topic: quoteEventsDlqTopic(),
    acks: -1,
    messages: deadLetters.map(({ message, error }) => {
      const [, topic = "", partition = ""] = message.source.split(":");
      return {
        key: message.quoteId || null,
        value: message.payload,
        headers: { error: error.slice(0, 2000), "original-topic": topic, "original-partition": partition, "original-offset": message.position.toString(), "failed-at": new Date().toISOString() },
      };
    }),
  });
}

export interface KafkaProjector {
  consumer: Consumer;
  stop(): Promise<void>;
}

/**
 * Kafka mode: a consumer of the events topic (KAFKA_EVENTS_TOPIC) in the `quote-projections` group (PROJECTION_GROUP). Offsets live in the read model's checkpoints (same
 * transaction as the change); Kafka's committed offsets only save re-reading, so they are not committed after each
 * batch but copied from the checkpoints every `commitIntervalMs` (and on stop). After an assignment (start,
 * rebalance), each partition's first batch moves the consumer to the live checkpoint + 1 when the batch lies
 * wholly at or below it. Two processes in the group split the partitions; a rebalance re-delivers at most what
 * was applied since the last copy, which the checkpoints skip. Up to `partitionsConsumedConcurrently` partitions
 * are consumed at once; batches that are ready together are applied in one transaction (batch-coalescer.ts).
 *
 * A bad message is parked by `applyBatch` and passed; a failure of the database is retried inside eachBatch, so
 * kafkajs never sees an error of ours. When a rebuild switches the live generation, every assigned partition is
 * moved (seek) to the new generation's checkpoint, since the consumer's positions belonged to the old one.
 */
export async function startKafkaProjector(deps: {
  kafka: Kafka;
  db: PrismaClient;
  databaseUrl: string;
  registry: SchemaRegistry;
  log: Logger;
  groupId?: string;
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
  commitIntervalMs?: number;
  onBatch?: (outcome: BatchOutcome) => void;
}): Promise<KafkaProjector> {
  const topic = quoteEventsTopic();
  const sessionTimeout = deps.sessionTimeoutMs ?? 10_000;
  const heartbeatInterval = Math.floor(sessionTimeout / 5);
  const consumer = deps.kafka.consumer({ groupId: deps.groupId ?? PROJECTION_GROUP, sessionTimeout, heartbeatInterval });
  const dlqProducer = deps.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await dlqProducer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });

  let assigned: number[] = [];
  /** Assigned partitions whose first batch since the assignment has not yet been checked against the checkpoint. */
  const unpositioned = new Set<number>();
  /** What this member last committed per partition, so an unchanged checkpoint is not committed again. */
  const committed = new Map<number, string>();
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = payload.memberAssignment[topic] ?? [];
    unpositioned.clear();
    for (const partition of assigned) unpositioned.add(partition);
    committed.clear();
  });

  const liveCheckpoints = async (partitions: number[]) => {
    const schema = await activeGeneration(deps.db);
    const rows = await readModelClient(schema, deps.databaseUrl).projectionCheckpoint.findMany({
      where: { source: { in: partitions.map((p) => kafkaSource(topic, p)) } },
    });
    const bySource = new Map(rows.map((row) => [row.source, row.position]));
    return new Map(partitions.map((p) => [p, bySource.get(kafkaSource(topic, p)) ?? -1n]));
  };

  let committing: Promise<void> | null = null;
  /** Copies the live checkpoints of the assigned partitions to the group's committed offsets (checkpoint + 1). */
  const commitCheckpoints = () =>
    (committing ??= (async () => {
      try {
        const partitions = [...assigned];
        if (!partitions.length) return;
        const offsets = [...(await liveCheckpoints(partitions))]
          .filter(([, checkpoint]) => checkpoint >= 0n)
          .map(([partition, checkpoint]) => ({ topic, partition, offset: (checkpoint + 1n).toString() }))
          .filter(({ partition, offset }) => committed.get(partition) !== offset);
        if (!offsets.length) return;
        await consumer.commitOffsets(offsets);
        for (const { partition, offset } of offsets) committed.set(partition, offset);
      } catch (error) {
        // A rebalance or an unreachable broker or database: the next round commits.
        deps.log.debug({ err: error }, "could not commit the checkpoints as offsets");
      } finally {
        committing = null;
      }
    })());
  const commitTimer = setInterval(() => void commitCheckpoints(), deps.commitIntervalMs ?? 5_000);
  /** The generation whose checkpoints the consumer's positions follow (null before the first batch). */
  let positionedFor: string | null = null;

  /** Moves every assigned partition to `schema`'s checkpoint + 1, or to offset 0 where it has none. */
  const handOver = async (schema: string, current: number) => {
    const partitions = [...new Set([...assigned, current])].sort((a, b) => a - b);
    const rows = await readModelClient(schema, deps.databaseUrl).projectionCheckpoint.findMany({
      where: { source: { in: partitions.map((p) => kafkaSource(topic, p)) } },
    });
    const checkpoints = new Map(rows.map((row) => [row.source, row.position]));
    const offsets = partitions.map((partition) => {
      const checkpoint = checkpoints.get(kafkaSource(topic, partition)) ?? -1n;
      return { partition, offset: (checkpoint >= 0n ? checkpoint + 1n : 0n).toString() };
    });
    for (const { partition, offset } of offsets) consumer.seek({ topic, partition, offset });
    positionedFor = schema;
    deps.log.info({ generation: schema, offsets }, "live generation changed: each partition continues from its checkpoint there");
  };
  /** Batches of several partitions find the change at once: the first moves every partition, the others wait for it. */
  let handing: { schema: string; done: Promise<void> } | null = null;
  const handOverOnce = (schema: string, current: number): Promise<void> => {
    if (handing?.schema === schema) return handing.done;
    if (positionedFor === schema) return Promise.resolve();
    const done = handOver(schema, current).finally(() => {
      if (handing?.done === done) handing = null;
    });
    handing = { schema, done };
    return done;
  };

  // Partitions applied at the same moment share one transaction (each with its own checkpoint).
  const applyTogether = createBatchCoalescer((schema, messages) => applyBatch(readModelClient(schema, deps.databaseUrl), schema, messages, { live: true }));

  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently ?? 6,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const control = { heartbeat, isRunning, isStale };
      if (unpositioned.delete(batch.partition) && batch.messages.length) {
        // The committed offset may be behind the checkpoint (it is copied every few seconds): skip what is applied.
        const checkpoint = (await liveCheckpoints([batch.partition]).catch(() => null))?.get(batch.partition) ?? -1n;
        if (checkpoint >= BigInt(batch.messages[batch.messages.length - 1]!.offset)) {
          consumer.seek({ topic: batch.topic, partition: batch.partition, offset: (checkpoint + 1n).toString() });
          return;
        }
      }
      for (let start = 0; start < batch.messages.length; start += CHUNK) {
        const chunk = batch.messages.slice(start, start + CHUNK);
        const messages = chunk.map((m) => kafkaMessage(batch.topic, batch.partition, m, deps.registry));
        const spans = tracingEnabled() ? startApplySpans(batch.topic, batch.partition, chunk) : null;
        const result = await retryInBatch(
          control,
          async (): Promise<BatchOutcome | "handed over"> => {
            // A switch of generation shows inside applyBatch's transaction (GenerationChangedError). A schema
            // registry that cannot be reached fails the attempt like a database that cannot: retried, never parked.
            const schema = positionedFor ?? (positionedFor = await activeGeneration(deps.db));
            await resolveSchemas(deps.registry, messages);
            try {
              return await applyTogether(schema, messages);
            } catch (error) {
              if (!(error instanceof GenerationChangedError)) throw error;
              await handOverOnce(await activeGeneration(deps.db), batch.partition);
              return "handed over";
            }
          },
          (error, failure, retryInMs, failures) =>
            deps.log.warn({ err: error, fault: failure.fault, sqlState: failure.sqlState, partition: batch.partition, offset: chunk[0]!.offset, failures, retryInMs }, "projection batch failed; retrying"),
        );
        spans?.end(result);
        // Stopping, stale after a seek, or moved to a new generation: the rest of this batch is no longer ours.
        if (result === null || result === "handed over") return;

        for (const { message, error } of result.parked) {
          deps.log.error({ quoteId: message.quoteId, source: message.source, offset: message.position.toString(), reason: error }, "message parked in the dead-letter queue");
        }
        if (result.parked.length) {
          metrics().deadLettersParkedTotal.inc(result.parked.length);
          // The dead letters are already recorded with the checkpoint; the topic copy is for other consumers.
          await publishDeadLetters(dlqProducer, result.parked).catch((error: unknown) => deps.log.warn({ err: error, parked: result.parked.length }, "could not copy parked messages to the dead-letter topic"));
        }
        deps.onBatch?.(result);
        resolveOffset(chunk[chunk.length - 1]!.offset);
        await heartbeat();
      }
    },
  });
  return {
    consumer,
    async stop() {
      clearInterval(commitTimer);
      // Bounded: a database or broker that does not answer must not hold up the shutdown.
      await Promise.race([committing, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
      await Promise.race([commitCheckpoints(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
      await consumer.disconnect();
      await dlqProducer.disconnect();
    },
  };
}
