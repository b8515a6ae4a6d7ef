import { randomUUID } from "node:crypto";
import { Kafka, logLevel, type KafkaMessage } from "kafkajs";
import pg from "pg";
import { config } from "../../config";
import { APPENDED_CHANNEL } from "../../eventstore/append-statement";
import { decodeEvent } from "../avro/event-codec";
import type { SchemaRegistry } from "../avro/schema-registry";
import { quoteEventsTopic } from "../topics";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one writer's transaction did: its event's position and when (in commit order) it committed. */
export interface Commit {
  quoteId: string;
  version: number;
  position: bigint;
  commitOrder: number;
}

/**
 * Appends `versions` events to each of `quoteIds` through `writers` raw `pg` connections at once, each event in a
 * transaction of its own that inserts, notifies like the event store, and then stays open for a while (some
 * briefly, some long) before it commits: rows commit out of position order, as appends without a global lock do.
 * A quote's next version is appended only after its previous one committed.
 */
export async function appendConcurrently(options: { quoteIds: string[]; versions: number; writers: number; holdMs?: () => number }): Promise<Commit[]> {
  const hold = options.holdMs ?? (() => (Math.random() < 0.2 ? 80 + Math.random() * 220 : Math.random() * 15));
  const clients = await Promise.all(
    Array.from({ length: options.writers }, async () => {
      const client = new pg.Client({ connectionString: config().DATABASE_URL });
      await client.connect();
      return client;
    }),
  );
  const next = new Map(options.quoteIds.map((id) => [id, 1]));
  const busy = new Set<string>();
  const commits: Commit[] = [];
  let order = 0;
  const pick = () => options.quoteIds.find((id) => !busy.has(id) && next.get(id)! <= options.versions) ?? null;
  const remaining = () => options.quoteIds.some((id) => next.get(id)! <= options.versions);
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (remaining()) {
          const quoteId = pick();
          if (!quoteId) {
            await sleep(2);
            continue;
          }
          busy.add(quoteId);
          const version = next.get(quoteId)!;
          await client.query("BEGIN");
          const { rows } = await client.query<{ position: string }>(
            `INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, '{"kind":"customer"}', now()) RETURNING position`,
            [randomUUID(), quoteId, version, version === 1 ? "QuoteStarted" : "ContactDetailsCaptured",
              JSON.stringify(version === 1 ? { quoteId } : { details: { email: `v${version}@example.com`, phoneNumber: "+1 415 555 0100" } }), randomUUID()],
          );
          await client.query("SELECT pg_notify($1, '')", [APPENDED_CHANNEL]);
          await sleep(hold());
          await client.query("COMMIT");
          commits.push({ quoteId, version, position: BigInt(rows[0]!.position), commitOrder: order++ });
          next.set(quoteId, version + 1);
          busy.delete(quoteId);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
  return commits;
}

/** True when some row committed after a row with a higher position (what the test needs to have happened). */
export const committedOutOfPositionOrder = (commits: Commit[]) => {
  const byCommit = [...commits].sort((a, b) => a.commitOrder - b.commitOrder);
  let highest = -1n;
  for (const commit of byCommit) {
    if (commit.position < highest) return true;
    if (commit.position > highest) highest = commit.position;
  }
  return false;
};

export interface Received {
  quoteId: string;
  version: number;
  eventId: string;
  partition: number;
  offset: bigint;
  /** The idempotent producer that wrote it (from the record batch). */
  producerId: string;
}

/** A record of quote-events as Received: its quote, version and event id (from the Avro body), and where it is. */
function received(message: KafkaMessage, partition: number, quoteId: string, registry: SchemaRegistry): Received {
  const event = decodeEvent(message.value!, registry);
  const context = (message as unknown as { batchContext?: { producerId?: string } }).batchContext;
  return { quoteId, version: event.version, eventId: event.eventId, partition, offset: BigInt(message.offset), producerId: context?.producerId ?? "?" };
}

/** Every record of `quoteIds` on quote-events, from the start to the topic's end as it is now, in partition and offset order. */
export async function readQuoteEventsToEnd(kafka: Kafka, registry: SchemaRegistry, quoteIds: Set<string>, limitMs = 60_000): Promise<Received[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(quoteEventsTopic())).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `quote-events-reader-${randomUUID()}` });
  const records: Received[] = [];
  const reached = new Map<number, bigint>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: quoteEventsTopic(), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        reached.set(partition, BigInt(message.offset) + 1n);
        const quoteId = message.key?.toString() ?? "";
        if (quoteIds.has(quoteId)) records.push(received(message, partition, quoteId, registry));
      },
    });
    const deadline = Date.now() + limitMs;
    while ([...ends].some(([p, end]) => end > 0n && (reached.get(p) ?? 0n) < end)) {
      if (Date.now() > deadline) throw new Error(`could not read ${quoteEventsTopic()} to its end within ${limitMs / 1000} s`);
      await sleep(100);
    }
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
}

/** A consumer of its own group reading quote-events from the start, keeping what it reads of `quoteIds`. */
export async function watchQuoteEvents(registry: SchemaRegistry, quoteIds: Iterable<string>) {
  const wanted = new Set(quoteIds);
  const records: Received[] = [];
  const kafka = new Kafka({ clientId: `outbox-watch-${randomUUID().slice(0, 8)}`, brokers: config().KAFKA_BROKERS!, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: `outbox-watch-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: quoteEventsTopic(), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const key = message.key?.toString() ?? "";
      if (wanted.has(key)) records.push(received(message, partition, key, registry));
    },
  });
  return {
    received: records,
    add: (ids: Iterable<string>) => {
      for (const id of ids) wanted.add(id);
    },
    stop: () => consumer.disconnect(),
  };
}

/** Every quote's versions as Kafka has them, in offset order. */
export function versionsByQuote(received: Received[]): Map<string, number[]> {
  const sorted = [...received].sort((a, b) => (a.partition - b.partition) || Number(a.offset - b.offset));
  const byQuote = new Map<string, number[]>();
  for (const r of sorted) byQuote.set(r.quoteId, [...(byQuote.get(r.quoteId) ?? []), r.version]);
  return byQuote;
}
