import "server-only";
import { Partitioners, type Kafka, type KafkaMessage, type Message } from "kafkajs";
import type { PrismaClient } from "../../generated/prisma/client";
import type { SchemaRegistry } from "../../messaging/avro/schema-registry";
import { ensureTopicLike } from "../../messaging/copy-topic-layout";
import { readPartitions } from "../../messaging/partition-reader";
import type { DataKeyring } from "../data-keyring";
import { decodedOrNull, encryptedRecord, holdsPlainValues, type RecordFate } from "./encrypt-record";
import { quoteKeys } from "./quote-keys";

/**
 * Step two of migrating the history (`npm run privacy:migrate-history -- --copy --to <topic>`): every record of the
 * events topic copied into a new one, partition by partition in order, with the same key, headers and timestamp; a
 * record whose personal values are plain is re-encoded with them encrypted (encrypt-record.ts).
 *
 * Resumable without duplicates: the new topic is written by this copy alone, a partition's records in the source's
 * order, so partition p of the target holds the first N records of partition p of the source. A run starts each
 * partition N records after the source's first offset (the relay writes without transactions or compaction, so
 * offsets are dense), and first reads the record before that, which must be the one the target ends with (the same
 * event id, or the same bytes): anything else means the target holds something this copy did not write, and the run
 * stops before writing. No progress is kept anywhere else, so there is nothing to get out of step with the topic.
 */

export const COPY_GROUP_PREFIX = "quoting-history-copy-";

export interface CopyTopicOptions {
  kafka: Kafka;
  db: PrismaClient;
  keyring: DataKeyring;
  registry: SchemaRegistry;
  source: string;
  target: string;
  /** Copy what reaches the source after the start too, until `signal` aborts (or, with untilCaughtUp, nothing is left). */
  follow?: boolean;
  /** With follow: stop once every partition has been copied up to the source's end as it is then. */
  untilCaughtUp?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: CopyTopicResult) => void;
}

export interface CopyTopicResult {
  targetCreated: boolean;
  partitions: number;
  /** Records the target held when the run started: copied by an earlier run. */
  alreadyCopied: number;
  /** Records written by this run, by what became of them. */
  copied: number;
  encrypted: number;
  erased: number;
  asIs: number;
  undecodable: number;
}

interface PartitionPlan {
  /** The first offset to copy. */
  start: bigint;
  /** Where reading starts: `start`, or the record before it, read to check the target ends with it. */
  readFrom: bigint;
  /** The target's last record, which the record before `start` must match. */
  lastCopied: KafkaMessage | null;
  /** The next offset to read. */
  reached: bigint;
}

const SEND_CHUNK = 500;

export async function copyTopic(options: CopyTopicOptions): Promise<CopyTopicResult> {
  const { kafka, source, target, registry } = options;
  if (source === target) throw new Error(`The copy's target must be another topic than its source (${source})`);
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    const { created, layout } = await ensureTopicLike(admin, source, target);
    const sourceEnds = new Map((await admin.fetchTopicOffsets(source)).map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
    const targetEnds = new Map((await admin.fetchTopicOffsets(target)).map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
    const lastCopied = await lastRecords(kafka, target, targetEnds);
    const result: CopyTopicResult = { targetCreated: created, partitions: layout.partitions, alreadyCopied: 0, copied: 0, encrypted: 0, erased: 0, asIs: 0, undecodable: 0 };
    const plans = new Map<number, PartitionPlan>();
    for (const [partition, { low, high }] of sourceEnds) {
      const copied = targetEnds.get(partition)!;
      if (copied.low > 0n) throw new Error(`${target} partition ${partition} no longer starts at offset 0: records were deleted from it, so what it holds cannot be counted. Delete ${target} and copy again`);
      const start = low + copied.high;
      if (start > high) throw new Error(`${target} partition ${partition} holds ${copied.high} records, more than ${source} has (${high - low}): it is not a copy of it`);
      const readFrom = copied.high > 0n ? start - 1n : start;
      plans.set(partition, { start, readFrom, lastCopied: lastCopied.get(partition) ?? null, reached: readFrom });
      result.alreadyCopied += Number(copied.high);
    }
    const stopAt = new Map([...sourceEnds].map(([partition, { high }]) => [partition, high]));
    await producer.connect();

    const copyBatch = async (partition: number, messages: KafkaMessage[]) => {
      const plan = plans.get(partition)!;
      let fresh = messages;
      if (plan.lastCopied) {
        assertContinues(source, target, partition, plan, messages[0]!, registry);
        plan.lastCopied = null;
        fresh = messages.slice(1);
      }
      if (!options.follow) fresh = fresh.filter((message) => BigInt(message.offset) < stopAt.get(partition)!);
      const events = fresh.map((message) => decodedOrNull(message.value, registry));
      const keys = await quoteKeys(options.db, options.keyring, events.filter(holdsPlainValues).map((event) => event.quoteId));
      const records: Message[] = fresh.map((message, i) => {
        const { value, fate } = encryptedRecord(message.value, events[i]!, keys, registry);
        count(result, fate);
        return { key: message.key, value, headers: message.headers, timestamp: message.timestamp, partition };
      });
      for (let from = 0; from < records.length; from += SEND_CHUNK) {
        await producer.send({ topic: target, acks: -1, messages: records.slice(from, from + SEND_CHUNK) });
      }
      result.copied += records.length;
      plan.reached = BigInt(messages[messages.length - 1]!.offset) + 1n;
      if (records.length) options.onProgress?.({ ...result });
    };

    const caughtUp = async () => {
      if (!options.follow) return [...plans].every(([partition, plan]) => plan.reached >= stopAt.get(partition)!);
      if (options.signal?.aborted) return true;
      if (!options.untilCaughtUp) return false;
      const ends = await admin.fetchTopicOffsets(source);
      return ends.every((end) => plans.get(end.partition)!.reached >= BigInt(end.high));
    };
    await readPartitions(kafka, {
      topic: source,
      from: new Map([...plans].map(([partition, plan]) => [partition, plan.readFrom])),
      groupPrefix: COPY_GROUP_PREFIX,
      eachBatch: copyBatch,
      finished: async () => options.signal?.aborted || (await caughtUp()),
    });
    return result;
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

function count(result: CopyTopicResult, fate: RecordFate) {
  if (fate === "encrypted") result.encrypted++;
  else if (fate === "erased") result.erased++;
  else if (fate === "undecodable") result.undecodable++;
  else result.asIs++;
}

/** The record before the plan's start must be the one the target ends with, else the target is not this copy's. */
function assertContinues(source: string, target: string, partition: number, plan: PartitionPlan, first: KafkaMessage, registry: SchemaRegistry) {
  const expected = (plan.start - 1n).toString();
  const copied = plan.lastCopied!;
  const sameEvent = () => {
    const [a, b] = [decodedOrNull(first.value, registry), decodedOrNull(copied.value, registry)];
    return a !== null && b !== null && a.eventId === b.eventId;
  };
  const sameBytes = () => (first.value === null ? copied.value === null : copied.value !== null && first.value.equals(copied.value));
  if (first.offset !== expected || !(sameEvent() || sameBytes())) {
    throw new Error(
      `${target} partition ${partition} does not end with the record at offset ${expected} of ${source} (found offset ${first.offset} there, ` +
        `and the target's last record is another): it was written by something else than this copy, or ${source} lost records. Nothing was written`,
    );
  }
}

/** The last record of each non-empty partition of `topic`. */
async function lastRecords(kafka: Kafka, topic: string, ends: Map<number, { low: bigint; high: bigint }>): Promise<Map<number, KafkaMessage>> {
  const found = new Map<number, KafkaMessage>();
  const wanted = new Map([...ends].filter(([, { low, high }]) => high > low).map(([partition, { high }]) => [partition, high - 1n]));
  await readPartitions(kafka, {
    topic,
    from: wanted,
    groupPrefix: COPY_GROUP_PREFIX,
    eachBatch: async (partition, messages) => {
      if (!found.has(partition)) found.set(partition, messages[0]!);
    },
    finished: () => found.size === wanted.size,
  });
  return found;
}
