import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { decodeEvent } from "../messaging/avro/event-codec";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { QUOTE_EVENTS_DLQ_TOPIC, QUOTE_EVENTS_TOPIC } from "../messaging/topics";
import { applyBatch, GenerationChangedError, type BatchOutcome, type DeadLetter, type ProjectionMessage } from "./apply-batch";
import { activeGeneration, readModelClient } from "./generations";

export const PROJECTION_GROUP = "quote-projections";
const CHUNK = 500;

export const kafkaSource = (topic: string, partition: number) => `kafka:${topic}:${partition}`;

export function kafkaMessage(topic: string, partition: number, message: KafkaMessage, registry: SchemaRegistry): ProjectionMessage {
  const payload = message.value ?? Buffer.alloc(0);
  return {
    source: kafkaSource(topic, partition),
    position: BigInt(message.offset),
    quoteId: message.key?.toString() || "unknown",
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
        key: message.quoteId,
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
  const consumer = deps.kafka.consumer({ groupId: deps.groupId ?? PROJECTION_GROUP, sessionTimeout, heartbeatInterval: Math.floor(sessionTimeout / 5) });
  const dlqProducer = deps.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await dlqProducer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: QUOTE_EVENTS_TOPIC, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      for (let start = 0; start < batch.messages.length; start += CHUNK) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + CHUNK);
        const messages = chunk.map((m) => kafkaMessage(batch.topic, batch.partition, m, deps.registry));
        let outcome: BatchOutcome | null = null;
        while (!outcome) {
          const schema = await activeGeneration(deps.db);
          try {
            outcome = await applyBatch(readModelClient(schema, deps.databaseUrl), schema, messages, { live: true });
          } catch (error) {
            if (!(error instanceof GenerationChangedError)) throw error;
          }
        }
        if (outcome.parked.length) {
          deps.log.error({ parked: outcome.parked.map((d) => ({ quoteId: d.message.quoteId, offset: d.message.position.toString(), error: d.error })) }, "messages parked in the dead-letter queue");
          await publishDeadLetters(dlqProducer, outcome.parked);
        }
        deps.onBatch?.(outcome);
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
