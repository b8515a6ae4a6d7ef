import "server-only";
import { randomUUID } from "node:crypto";
import type { Kafka, KafkaMessage, RetryOptions } from "kafkajs";

export interface ReadPartitionsOptions {
  topic: string;
  /** The offset each partition is read from; partitions not named are not read. */
  from: ReadonlyMap<number, bigint>;
  /** The throwaway consumer group's prefix (a uuid follows), for ACLs. */
  groupPrefix: string;
  /** Each partition's records in offset order, one batch at a time; the next batch of a partition waits for this. */
  eachBatch(partition: number, messages: KafkaMessage[]): Promise<void>;
  /** Asked after each batch and every `checkIntervalMs`: true ends the read. */
  finished(): boolean | Promise<boolean>;
  checkIntervalMs?: number;
  /** How long a fetch waits for records at most; 250 ms unless given. */
  maxWaitTimeInMs?: number;
  /** kafkajs's retries of the consumer's requests; a crash ends the read, never restarting it later. */
  retry?: Omit<RetryOptions, "restartOnFailure">;
  /** Ends the read with this error when it is not finished within `timeoutMs` (connecting and joining included). */
  timeout?: { ms: number; error: () => Error };
}

/** A broker that does not answer must not hold the reader back when it leaves. */
const LEAVE_TIMEOUT_MS = 2_000;

/**
 * Reads partitions of `topic` from given offsets, in order, until `finished()`, then leaves. kafkajs reads only through
 * a group, so this is a group of its own that commits nothing: where each partition is comes from this process alone,
 * and a rejoin (a rebalance of the one member) puts every partition back where it was, never at the group's default.
 * A failure of `eachBatch`, a crash of the consumer or the timeout ends the read and is thrown.
 */
export async function readPartitions(kafka: Kafka, options: ReadPartitionsOptions): Promise<void> {
  if (await options.finished()) return;
  const next = new Map(options.from);
  const consumer = kafka.consumer({
    groupId: `${options.groupPrefix}${randomUUID()}`,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 250,
    allowAutoTopicCreation: false,
    retry: { retries: 5, ...options.retry, restartOnFailure: async () => false },
  });
  let finish: () => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  done.catch(() => {});
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      if (await options.finished()) finish();
    } catch (error) {
      fail(error);
    } finally {
      checking = false;
    }
  };
  const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of next) consumer.seek({ topic: options.topic, partition, offset: offset.toString() });
  });
  const offCrash = consumer.on(consumer.events.CRASH, (event) => fail(event.payload.error));
  const timer = setInterval(() => void check(), options.checkIntervalMs ?? 500);
  const deadline = options.timeout && setTimeout(() => fail(options.timeout!.error()), options.timeout.ms);
  const reading = async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        const from = next.get(batch.partition);
        if (from === undefined || !isRunning() || isStale()) return;
        const messages = batch.messages.filter((message) => BigInt(message.offset) >= from);
        if (messages.length === 0) return;
        try {
          await options.eachBatch(batch.partition, messages);
          next.set(batch.partition, BigInt(messages[messages.length - 1]!.offset) + 1n);
        } catch (error) {
          fail(error);
          // Stays where it was: nothing after the failed batch is read.
          consumer.pause([{ topic: options.topic, partitions: [batch.partition] }]);
          return;
        }
        await check();
      },
    });
    await done;
  };
  try {
    const reader = reading();
    // Settles after the read ended another way (the timeout, a crash): never an unhandled rejection.
    reader.catch(() => {});
    await Promise.race([reader, done]);
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
    offJoin();
    offCrash();
    await Promise.race([consumer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS))]);
  }
}
