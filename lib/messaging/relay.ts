import "server-only";
import { Partitioners, type Kafka, type Producer } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import { toRecordedEvent } from "../eventstore/event-store";
import type { Logger } from "../logging/logger";
import { encodeEvent } from "./avro/event-codec";
import type { SchemaRegistry } from "./avro/schema-registry";
import { QUOTE_EVENTS_TOPIC } from "./topics";

// Measured (bench/RESULTS.md): 500 a batch gave 3.7k events/s, 2,000 gave 7.6k; a batch is about 450 KB of Avro.
export const RELAY_BATCH_SIZE = 2_000;

/**
 * The outbox relay: unpublished events in global order → Avro (Confluent wire format) → Kafka, key = quoteId,
 * idempotent producer, acks from all in-sync replicas; only then marked published. A failed send leaves the
 * batch unpublished, so the next round sends it again in the same order (at-least-once; the projector ignores
 * a redelivered quote version).
 */
export function createRelay(deps: { db: PrismaClient; kafka: Kafka; registry: SchemaRegistry; log: Logger }) {
  let producer: Producer | null = null;

  async function connectedProducer(): Promise<Producer> {
    if (producer) return producer;
    const created = deps.kafka.producer({
      idempotent: true,
      // kafkajs needs this for idempotence, and one batch at a time per producer (kafkajs#1005).
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await created.connect();
    producer = created;
    return created;
  }

  return {
    /** Publishes one batch; returns how many events it published (0 when caught up). Throws when Kafka fails. */
    async publishBatch(limit = RELAY_BATCH_SIZE): Promise<number> {
      const rows = await deps.db.storedEvent.findMany({ where: { publishedAt: null }, orderBy: { position: "asc" }, take: limit });
      if (rows.length === 0) return 0;
      const messages = rows.map((row) => {
        const event = toRecordedEvent(row);
        return {
          key: event.quoteId,
          value: encodeEvent(event, deps.registry),
          headers: { "event-type": event.type, "event-id": event.eventId, "global-position": row.position.toString() },
        };
      });
      try {
        const active = await connectedProducer();
        await active.send({ topic: QUOTE_EVENTS_TOPIC, acks: -1, messages });
      } catch (error) {
        // Drop the producer so the next round reconnects from scratch.
        const stale = producer;
        producer = null;
        await stale?.disconnect().catch(() => {});
        throw error;
      }
      await deps.db.storedEvent.updateMany({ where: { position: { in: rows.map((row) => row.position) } }, data: { publishedAt: new Date() } });
      return rows.length;
    },
    backlog: () => deps.db.storedEvent.count({ where: { publishedAt: null } }),
    async stop() {
      await producer?.disconnect().catch(() => {});
      producer = null;
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
