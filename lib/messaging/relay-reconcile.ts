import "server-only";
import { Partitioners, type Kafka, type KafkaMessage } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { decodeEvent } from "./avro/event-codec";
import { readRelayProgress } from "./relay-progress";
import type { SchemaRegistry } from "./avro/schema-registry";
import { readPartitions } from "./partition-reader";
import { quoteEventsTopic } from "./topics";

/**
 * Reconciling the outbox with the topic, before a relay sends anything.
 *
 * A relay marks a batch published only after Kafka acknowledged it, in a separate statement. A relay that dies (or
 * fails) between the two leaves acknowledged events unmarked, and whoever publishes next would send them again. So a
 * relay that is about to start from its recorded progress (a new leader, or any relay after a failure) first reads
 * back the end of each partition of `quote-events`, takes the event id of every record it finds there, and marks
 * those rows published one by one (`published_at`: they may not follow the progress without a gap, when a batch was
 * acknowledged by some partitions only). What it then reads from the outbox is only what Kafka does not hold.
 *
 * Bounded: only one relay publishes at a time (relay-leadership.ts), and a relay has at most `unmarkedLimit` events
 * acknowledged but not yet marked (its batch size × its pipelining depth, see relay.ts). Those are the last records
 * the dead relay wrote, and the first unpublished rows in relay order, (tx_id, position): it read its batches from its
 * recorded progress, completely below its horizon, and every earlier batch was marked (or it would have started
 * again, reconciling first). So the reconcile takes the quote ids of the first `unmarkedLimit` unpublished rows, counts
 * them per partition with the producer's partitioner (key = quote id), and reads back that many records from each
 * partition's high watermark: at most `unmarkedLimit` records in all, however many partitions; no Kafka at all when
 * nothing is unpublished.
 *
 * The records are read by a consumer of a group of its own (partition-reader.ts: kafkajs cannot assign partitions
 * without a group), positioned by `seek` when it joins, committing nothing; the group is empty and without offsets once it leaves, and
 * the broker forgets it. Joining a new group waits the broker's `group.initial.rebalance.delay.ms` (3 s by default, 0
 * on the local brokers), which is most of what a reconcile costs; the whole of it is bounded by `timeoutMs`, after
 * which it throws and the relay does not publish (it tries again on its next round).
 */

export const RECONCILE_GROUP_PREFIX = "quoting-relay-reconcile-";
/** The longest a reconcile may take: room for a default broker's 3 s initial rebalance delay, then the read. */
export const RECONCILE_TIMEOUT_MS = 6_000;

export interface ReconcileResult {
  /** Records it set out to read back, over every partition (0: nothing unpublished, Kafka not asked). */
  tail: number;
  /** Records read back, over every partition. */
  read: number;
  /** Rows that were on the topic but not marked: marked published now. */
  marked: number;
  ms: number;
}

export interface PartitionEnd {
  partition: number;
  /** The low watermark: the first offset still in the log. */
  low: bigint;
  /** The high watermark: one past the last acknowledged record. */
  high: bigint;
}

/** Where to read from in each partition: its last `tails(partition)` records before the high watermark (none of an empty one). */
export function tailRanges(ends: PartitionEnd[], tails: (partition: number) => number): Array<{ partition: number; from: bigint; to: bigint }> {
  return ends
    .map(({ partition, low, high }) => {
      const back = high - BigInt(tails(partition));
      return { partition, from: back > low ? back : low, to: high };
    })
    .filter((range) => range.from < range.to);
}

/** How many of `keys` the relay's producer (kafkajs' default partitioner, keyed messages) puts in each partition. */
export function countByPartition(keys: string[], partitions: number): Map<number, number> {
  const partitionOf = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 }));
  const counts = new Map<number, number>();
  for (const key of keys) {
    const partition = partitionOf({ topic: quoteEventsTopic(), partitionMetadata, message: { key, value: null } });
    counts.set(partition, (counts.get(partition) ?? 0) + 1);
  }
  return counts;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event id in a relay's record (its Avro body); null for a record the relay did not write (a body that does not decode). */
export function eventIdOf(message: Pick<KafkaMessage, "value">, registry: SchemaRegistry): string | null {
  if (!message.value) return null;
  try {
    const id = decodeEvent(message.value, registry).eventId;
    return UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * The quote ids of the first `limit` unpublished rows in relay order (tx_id, position), after the relay's recorded
 * progress. Rows of transactions still running may be among them: that only widens the read.
 */
async function firstUnpublishedKeys(db: PrismaClient, limit: number): Promise<string[]> {
  const progress = await readRelayProgress(db);
  const rows = await db.$queryRaw<{ stream_id: string }[]>`
    SELECT stream_id::text AS stream_id FROM events
    WHERE (tx_id, position) > (${progress.txId}::xid8, ${progress.position}::bigint) AND published_at IS NULL
    ORDER BY tx_id, position
    LIMIT ${limit}`;
  return rows.map((row) => row.stream_id);
}

/** Marks published the rows of these event ids that are not yet. */
export async function markPublishedByEventId(db: PrismaClient, eventIds: string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  return db.$executeRaw`
    UPDATE events SET published_at = now()
    WHERE event_id = ANY(string_to_array(${eventIds.join(",")}, ',')::uuid[]) AND published_at IS NULL`;
}

/** Each partition's low and high watermark; throws after `timeoutMs`. */
async function partitionEnds(kafka: Kafka, timeoutMs: number): Promise<PartitionEnd[]> {
  const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`could not fetch the offsets of ${quoteEventsTopic()} within ${timeoutMs} ms`)), timeoutMs)));
  try {
    const fetching = admin.connect().then(() => admin.fetchTopicOffsets(quoteEventsTopic()));
    // Settles after the timeout when it loses the race: never an unhandled rejection.
    fetching.catch(() => {});
    const offsets = await Promise.race([fetching, expired]);
    return offsets.map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
  } finally {
    clearTimeout(timer);
    await Promise.race([admin.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
}

/** Every record of `ranges`, by event id; throws after `timeoutMs`. */
async function readRanges(kafka: Kafka, ranges: Array<{ partition: number; from: bigint; to: bigint }>, registry: SchemaRegistry, timeoutMs: number) {
  const topic = quoteEventsTopic();
  const eventIds = new Set<string>();
  let read = 0;
  const reached = new Map(ranges.map((r) => [r.partition, r.from]));
  await readPartitions(kafka, {
    topic,
    from: new Map(reached),
    groupPrefix: RECONCILE_GROUP_PREFIX,
    maxWaitTimeInMs: 100,
    // A crash ends this read (the relay tries again on its next round).
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    timeout: { ms: timeoutMs, error: () => new Error(`could not read back the end of ${topic} within ${timeoutMs} ms`) },
    eachBatch: async (partition, messages) => {
      for (const message of messages) {
        read++;
        const id = eventIdOf(message, registry);
        if (id) eventIds.add(id.toLowerCase());
      }
      reached.set(partition, BigInt(messages[messages.length - 1]!.offset) + 1n);
    },
    finished: () => ranges.every((r) => reached.get(r.partition)! >= r.to),
    checkIntervalMs: 100,
  });
  return { eventIds: [...eventIds], read };
}

/**
 * Marks published every unpublished row whose event is already on the topic (see above). Run with nothing of this
 * relay in flight and before it sends anything.
 */
export async function reconcileWithTopic(deps: { db: PrismaClient; kafka: Kafka; registry: SchemaRegistry; log: Logger; unmarkedLimit: number; timeoutMs?: number }): Promise<ReconcileResult> {
  const started = performance.now();
  const timeoutMs = deps.timeoutMs ?? RECONCILE_TIMEOUT_MS;
  const keys = await firstUnpublishedKeys(deps.db, deps.unmarkedLimit);
  if (keys.length === 0) return { tail: 0, read: 0, marked: 0, ms: Math.round(performance.now() - started) };

  const left = () => Math.max(1, timeoutMs - (performance.now() - started));
  const ends = await partitionEnds(deps.kafka, left());
  const perPartition = countByPartition(keys, ends.length);
  const ranges = tailRanges(ends, (partition) => perPartition.get(partition) ?? 0);
  const tail = ranges.reduce((sum, r) => sum + Number(r.to - r.from), 0);
  const { eventIds, read } = ranges.length ? await readRanges(deps.kafka, ranges, deps.registry, left()) : { eventIds: [], read: 0 };
  const marked = await markPublishedByEventId(deps.db, eventIds);
  const result = { tail, read, marked, ms: Math.round(performance.now() - started) };
  deps.log.info({ ...result, partitions: ranges.length }, marked > 0 ? "relay reconciled with the topic: events Kafka already held were marked published, not sent again" : "relay reconciled with the topic");
  return result;
}
