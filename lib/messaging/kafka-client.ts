import "server-only";
import { Kafka, logLevel, Partitioners, type Admin, type Message, type Producer, type ProducerConfig, type RecordMetadata, type TopicMessages } from "kafkajs";
import { config, type Env } from "../config";
import { explainKafkaAccessFailure, KafkaAccessError, kafkaSecurityOptions, type KafkaSecuritySettings } from "./kafka-security";

export type KafkaSettings = Pick<Env, "KAFKA_BROKERS" | "KAFKA_CLIENT_ID"> & KafkaSecuritySettings;

/**
 * A kafkajs client for the configured brokers, over TLS and with SASL as the settings say; null in embedded mode (no
 * KAFKA_BROKERS). A connection its settings cannot make (credentials refused, certificate not trusted) fails with a
 * KafkaAccessError naming the settings to check.
 */
export function createKafka(clientSuffix: string, settings: KafkaSettings = config()): Kafka | null {
  if (!settings.KAFKA_BROKERS) return null;
  return withExplainedAccessFailures(
    withCompleteSends(
      new Kafka({
        clientId: `${settings.KAFKA_CLIENT_ID}-${clientSuffix}`,
        brokers: settings.KAFKA_BROKERS,
        ...kafkaSecurityOptions(settings),
        logLevel: logLevel.WARN,
        connectionTimeout: 3000,
        requestTimeout: 10000,
        retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
      }),
    ),
    settings,
  );
}

/** Every producer, consumer and admin of `kafka` whose connect() fails for a reason of the settings says which. */
function withExplainedAccessFailures(kafka: Kafka, settings: KafkaSettings): Kafka {
  const explained = <T extends { connect(): Promise<void> }>(client: T): T => {
    const connect = client.connect.bind(client);
    client.connect = async () => {
      try {
        await connect();
      } catch (error) {
        const message = explainKafkaAccessFailure(error, settings);
        throw message ? new KafkaAccessError(message, { cause: error }) : error;
      }
    };
    return client;
  };
  const producer = kafka.producer.bind(kafka);
  const consumer = kafka.consumer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  kafka.producer = (options) => explained(producer(options));
  kafka.consumer = (options) => explained(consumer(options));
  kafka.admin = (options) => explained(admin(options));
  return kafka;
}

/** A send that resolved without every partition it had messages for acknowledging them. */
export class IncompleteSendError extends Error {
  readonly retriable = true;
  constructor(readonly missing: Array<{ topic: string; partition: number }>) {
    super(`Kafka acknowledged the send without ${missing.map((m) => `${m.topic}/${m.partition}`).join(", ")}: sending again`);
    this.name = "IncompleteSendError";
  }
}

const DETERMINISTIC_PARTITIONERS = new Set<unknown>([undefined, Partitioners.DefaultPartitioner, Partitioners.LegacyPartitioner]);

/**
 * kafkajs 2.2.4 can resolve send() without having produced some of the messages: a retry after a partly answered
 * send skips every broker that answered the first time, so a partition whose leadership has just moved to one of them
 * is never sent to, and send() still resolves. With several brokers and a partition leader killed, the relay then
 * marked events published that Kafka never got (seen in the broker-failover fault test: whole runs of versions missing
 * from one partition). Every producer of this client therefore checks, after a send, that
 * each partition it had messages for acknowledged them, and throws IncompleteSendError otherwise: the caller sends
 * the whole batch again (at least once), as after any failed send. Only keyed (or explicitly placed) messages can be
 * checked; with a partitioner of the caller's own, nothing is.
 */
export function withCompleteSends(kafka: Kafka): Kafka {
  const createProducer = kafka.producer.bind(kafka);
  kafka.producer = (producerConfig?: ProducerConfig): Producer => {
    const producer = createProducer(producerConfig);
    if (!DETERMINISTIC_PARTITIONERS.has(producerConfig?.createPartitioner)) return producer;
    const partitionOf = (producerConfig?.createPartitioner ?? Partitioners.DefaultPartitioner)();
    const partitionCounts = new Map<string, number>();
    let admin: Promise<Admin> | null = null;
    const countPartitions = async (topics: string[]) => {
      admin ??= (async () => {
        const created = kafka.admin();
        await created.connect();
        return created;
      })().catch((error) => {
        admin = null;
        throw error;
      });
      const { topics: found } = await (await admin).fetchTopicMetadata({ topics });
      for (const topic of found) partitionCounts.set(topic.name, topic.partitions.length);
    };
    const missingFrom = (topicMessages: TopicMessages[], answered: RecordMetadata[]) => {
      const acknowledged = new Set(answered.filter((r) => r.errorCode === 0).map((r) => `${r.topicName}/${r.partition}`));
      const missing = new Map<string, { topic: string; partition: number }>();
      for (const { topic, messages } of topicMessages) {
        const count = partitionCounts.get(topic)!;
        const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 }));
        for (const message of messages as Message[]) {
          if (message.key === null || message.key === undefined) {
            if (message.partition === null || message.partition === undefined) continue;
          }
          const partition = partitionOf({ topic, partitionMetadata, message });
          const id = `${topic}/${partition}`;
          if (!acknowledged.has(id)) missing.set(id, { topic, partition });
        }
      }
      return [...missing.values()];
    };
    const checked = async (topicMessages: TopicMessages[], acks: number | undefined, answered: RecordMetadata[]) => {
      if (acks === 0) return answered;
      const topics = [...new Set(topicMessages.map((t) => t.topic))];
      if (topics.some((topic) => !partitionCounts.has(topic))) await countPartitions(topics);
      let missing = missingFrom(topicMessages, answered);
      if (missing.length > 0) {
        // Partitions may have been added since they were counted: count again before calling the send incomplete.
        await countPartitions(topics);
        missing = missingFrom(topicMessages, answered);
      }
      if (missing.length > 0) throw new IncompleteSendError(missing);
      return answered;
    };
    const send = producer.send.bind(producer);
    const sendBatch = producer.sendBatch.bind(producer);
    const disconnect = producer.disconnect.bind(producer);
    producer.send = async (record) => checked([{ topic: record.topic, messages: record.messages }], record.acks, await send(record));
    producer.sendBatch = async (batch) => checked(batch.topicMessages ?? [], batch.acks, await sendBatch(batch));
    producer.disconnect = async () => {
      const opened = admin;
      admin = null;
      await opened?.then((a) => a.disconnect()).catch(() => {});
      await disconnect();
    };
    return producer;
  };
  return kafka;
}

const globalForKafka = globalThis as unknown as { readinessAdmin?: Promise<Admin> };

/** True when the broker answers a metadata request within the timeout. Reuses one admin connection per process. */
export async function isKafkaReachable(timeoutMs = 2000): Promise<boolean> {
  const kafka = createKafka("readiness");
  if (!kafka) return false;
  globalForKafka.readinessAdmin ??= (async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    return admin;
  })();
  try {
    const admin = await withTimeout(globalForKafka.readinessAdmin, timeoutMs);
    await withTimeout(admin.describeCluster(), timeoutMs);
    return true;
  } catch {
    // Drop the connection so the next probe starts afresh.
    const stale = globalForKafka.readinessAdmin;
    globalForKafka.readinessAdmin = undefined;
    stale?.then((admin) => admin.disconnect()).catch(() => {});
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Closes the readiness probe's connection (tests and shutdown). */
export async function closeKafkaReadinessProbe() {
  const admin = globalForKafka.readinessAdmin;
  globalForKafka.readinessAdmin = undefined;
  await admin?.then((a) => a.disconnect()).catch(() => {});
}
