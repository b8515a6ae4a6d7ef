import "server-only";
import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { decodeEvent } from "../messaging/avro/event-codec";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { QUOTE_EVENTS_DLQ_TOPIC, QUOTE_EVENTS_TOPIC } from "../messaging/topics";
import { applyBatch, GenerationChangedError, type BatchOutcome, type DeadLetter, type ProjectionMessage } from "./apply-batch";
import { activeGeneration, readModelClient } from "./generations";
import { retryInBatch } from "./retry-in-batch";

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

/** Sends parked messages to the dead-letter topic with the error and their origin in headers. */
export async function publishDeadLetters(producer: Producer, deadLetters: DeadLetter[]) {
  if (!deadLetters.length) return;
  await producer.send({
    topic: QUOTE_EVENTS_DLQ_TOPIC,
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
 * Kafka mode: a consumer in the `quote-projections` group. Offsets live in the read model's checkpoints (same
 * transaction as the change); Kafka's committed offsets only save re-reading. Two processes in the group split
 * the partitions; a rebalance re-delivers at most a batch, which the checkpoints skip.
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
  onBatch?: (outcome: BatchOutcome) => void;
}): Promise<KafkaProjector> {
  const sessionTimeout = deps.sessionTimeoutMs ?? 10_000;
  const heartbeatInterval = Math.floor(sessionTimeout / 5);
  const consumer = deps.kafka.consumer({ groupId: deps.groupId ?? PROJECTION_GROUP, sessionTimeout, heartbeatInterval });
  const dlqProducer = deps.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await dlqProducer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: QUOTE_EVENTS_TOPIC, fromBeginning: true });

  let assigned: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = payload.memberAssignment[QUOTE_EVENTS_TOPIC] ?? [];
  });
  /** The generation whose checkpoints the consumer's positions follow (null before the first batch). */
  let positionedFor: string | null = null;

  /** Moves every assigned partition to `schema`'s checkpoint + 1, or to offset 0 where it has none. */
  const handOver = async (schema: string, current: number) => {
    const partitions = [...new Set([...assigned, current])].sort((a, b) => a - b);
    const rows = await readModelClient(schema, deps.databaseUrl).projectionCheckpoint.findMany({
      where: { source: { in: partitions.map((p) => kafkaSource(QUOTE_EVENTS_TOPIC, p)) } },
    });
    const checkpoints = new Map(rows.map((row) => [row.source, row.position]));
    const offsets = partitions.map((partition) => {
      const checkpoint = checkpoints.get(kafkaSource(QUOTE_EVENTS_TOPIC, partition)) ?? -1n;
      return { partition, offset: (checkpoint >= 0n ? checkpoint + 1n : 0n).toString() };
    });
    for (const { partition, offset } of offsets) consumer.seek({ topic: QUOTE_EVENTS_TOPIC, partition, offset });
    positionedFor = schema;
    deps.log.info({ generation: schema, offsets }, "live generation changed: each partition continues from its checkpoint there");
  };

  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const control = { heartbeat, isRunning, isStale };
      for (let start = 0; start < batch.messages.length; start += CHUNK) {
        const chunk = batch.messages.slice(start, start + CHUNK);
        const messages = chunk.map((m) => kafkaMessage(batch.topic, batch.partition, m, deps.registry));
        const result = await retryInBatch(
          control,
          async (): Promise<BatchOutcome | "handed over"> => {
            const schema = await activeGeneration(deps.db);
            if (positionedFor !== null && schema !== positionedFor) {
              await handOver(schema, batch.partition);
              return "handed over";
            }
            positionedFor = schema;
            try {
              return await applyBatch(readModelClient(schema, deps.databaseUrl), schema, messages, { live: true });
            } catch (error) {
              if (!(error instanceof GenerationChangedError)) throw error;
              await handOver(await activeGeneration(deps.db), batch.partition);
              return "handed over";
            }
          },
          (error, failure, retryInMs, failures) =>
            deps.log.warn({ err: error, fault: failure.fault, sqlState: failure.sqlState, partition: batch.partition, offset: chunk[0]!.offset, failures, retryInMs }, "projection batch failed; retrying"),
        );
        // Stopping, stale after a seek, or moved to a new generation: the rest of this batch is no longer ours.
        if (result === null || result === "handed over") return;

        for (const { message, error } of result.parked) {
          deps.log.error({ quoteId: message.quoteId, source: message.source, offset: message.position.toString(), reason: error }, "message parked in the dead-letter queue");
        }
        if (result.parked.length) {
          // The dead letters are already recorded with the checkpoint; the topic copy is for other consumers.
          await publishDeadLetters(dlqProducer, result.parked).catch((error: unknown) => deps.log.warn({ err: error, parked: result.parked.length }, "could not copy parked messages to the dead-letter topic"));
        }
        deps.onBatch?.(result);
        resolveOffset(chunk[chunk.length - 1]!.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    },
  });
  return {
    consumer,
    async stop() {
      await consumer.disconnect();
      await dlqProducer.disconnect();
    },
  };
}
