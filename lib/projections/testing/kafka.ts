import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { config } from "../../config";
import { prisma } from "../../db/prisma";
import { createLogger } from "../../logging/logger";
import { builtInRegistry } from "../../messaging/avro/schema-registry";
import { createKafka } from "../../messaging/kafka-client";
import { createRelay } from "../../messaging/relay";
import type { BatchOutcome } from "../apply-batch";
import { startKafkaProjector } from "../kafka-projector";

export const testKafka = (): Kafka => createKafka(`test-${randomUUID().slice(0, 8)}`)!;

/** An in-process relay for tests: publishes everything unpublished. */
export function testRelay(kafka: Kafka) {
  const relay = createRelay({ db: prisma(), kafka, registry: builtInRegistry(), log: createLogger("test-relay") });
  return { drain: async () => { while ((await relay.publishBatch()) > 0); }, stop: () => relay.stop() };
}

/** A Kafka projector in this process (its own consumer group), recording each batch's outcome. */
export async function testKafkaProjector(kafka: Kafka, registry = builtInRegistry()) {
  const outcomes: BatchOutcome[] = [];
  const projector = await startKafkaProjector({ kafka, db: prisma(), databaseUrl: config().DATABASE_URL, registry, log: createLogger("test-projector"), groupId: `test-projections-${randomUUID()}`, onBatch: (o) => outcomes.push(o) });
  return { ...projector, outcomes };
}

export { eventually } from "../../testing/eventually";
