/**
 * Kafka topics of the quoting platform, and their idempotent creation.
 * Safe to import from scripts, the worker and tests alike. Partitions, replication factor and min.insync.replicas
 * come from the configuration (KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS)
 * unless the caller gives them.
 *
 * Topics are created explicitly because the broker runs with auto.create.topics.enable=false, and because
 * kafkajs cannot subscribe to a topic that does not exist yet under KRaft (tulios/kafkajs#1563).
 */
import "server-only";
import type { Admin, ITopicConfig } from "kafkajs";
import { config, type Env } from "../config";

/** Every quote event, keyed by quote id; kept forever (the event log is the source of truth). KAFKA_EVENTS_TOPIC. */
export function quoteEventsTopic(env: Pick<Env, "KAFKA_EVENTS_TOPIC"> = config()): string {
  return env.KAFKA_EVENTS_TOPIC;
}

/**
 * Events a consumer gave up on; one partition, kept forever. It follows the events topic (`quote-events.dlq` by
 * default), so a topic retired after a migration is deleted with its dead letters, which are copies of its records.
 */
export const deadLetterTopicOf = (eventsTopic: string): string => `${eventsTopic}.dlq`;

export function quoteEventsDlqTopic(env: Pick<Env, "KAFKA_EVENTS_TOPIC"> = config()): string {
  return deadLetterTopicOf(quoteEventsTopic(env));
}

export const DEFAULT_QUOTE_EVENTS_PARTITIONS = 6;

/** How the app's topics are laid out on the brokers. */
export interface TopicSettings {
  /** Partitions of the events topic (the DLQ has one). KAFKA_TOPIC_PARTITIONS. */
  partitions: number;
  /** Copies of every partition, each on another broker. KAFKA_REPLICATION_FACTOR. */
  replicationFactor: number;
  /** Copies that must hold a write before an acks=all send succeeds (topic config min.insync.replicas). KAFKA_MIN_INSYNC_REPLICAS. */
  minInsyncReplicas: number;
}

/** The settings of this process's configuration (KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS). */
export function configuredTopicSettings(env: Pick<Env, "KAFKA_TOPIC_PARTITIONS" | "KAFKA_REPLICATION_FACTOR" | "KAFKA_MIN_INSYNC_REPLICAS"> = config()): TopicSettings {
  return { partitions: env.KAFKA_TOPIC_PARTITIONS, replicationFactor: env.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS };
}

/** Fills what `settings` leaves out from the configuration; a number is the partition count. */
export function resolveTopicSettings(settings: Partial<TopicSettings> | number = {}): TopicSettings {
  const given = typeof settings === "number" ? { partitions: settings } : settings;
  const complete = given.partitions !== undefined && given.replicationFactor !== undefined && given.minInsyncReplicas !== undefined;
  const configured = complete ? null : configuredTopicSettings();
  const resolved: TopicSettings = {
    partitions: given.partitions ?? configured!.partitions,
    replicationFactor: given.replicationFactor ?? configured!.replicationFactor,
    minInsyncReplicas: given.minInsyncReplicas ?? configured!.minInsyncReplicas,
  };
  if (resolved.minInsyncReplicas > resolved.replicationFactor) {
    throw new Error(`min.insync.replicas ${resolved.minInsyncReplicas} is above the replication factor ${resolved.replicationFactor}: Kafka would refuse every acks=all write`);
  }
  return resolved;
}

export interface EnsureTopicsResult {
  /** Topics this call created (empty when they all existed). */
  created: string[];
  /** Partition count of every ensured topic, as the broker reports it. */
  partitions: Record<string, number>;
  /** Existing topics whose layout differs from the settings (they are left as they are), one sentence each. */
  differences: string[];
}

/** The events topic (`eventsTopic`, the configured one by default) and its dead-letter topic, as created. */
export function topicConfigs(settings: Partial<TopicSettings> | number = {}, eventsTopic = quoteEventsTopic()): ITopicConfig[] {
  const { partitions, replicationFactor, minInsyncReplicas } = resolveTopicSettings(settings);
  const minIsr = { name: "min.insync.replicas", value: String(minInsyncReplicas) };
  return [
    {
      topic: eventsTopic,
      numPartitions: partitions,
      replicationFactor,
      configEntries: [
        { name: "retention.ms", value: "-1" },
        { name: "retention.bytes", value: "-1" },
        minIsr,
      ],
    },
    {
      topic: deadLetterTopicOf(eventsTopic),
      numPartitions: 1,
      replicationFactor,
      configEntries: [{ name: "retention.ms", value: "-1" }, minIsr],
    },
  ];
}

// kafkajs's ConfigResourceTypes.TOPIC: its CommonJS named export does not reach an ES import.
const TOPIC_RESOURCE = 2;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Creates the events topic (KAFKA_EVENTS_TOPIC) and its dead-letter topic if they are missing (existing topics are left as they are, including
 * their partition count and replication; `differences` says where they differ from the settings), then waits until
 * every partition of both has a leader. Settings left out come from the configuration (the events topic too, unless
 * given). The admin must be connected.
 */
export async function ensureTopics(
  admin: Admin,
  settings: Partial<TopicSettings> | number = {},
  timeoutMs = 30_000,
  eventsTopic: string = quoteEventsTopic(),
): Promise<EnsureTopicsResult> {
  const resolved = resolveTopicSettings(settings);
  const wanted = topicConfigs(resolved, eventsTopic);
  const names = wanted.map((t) => t.topic);

  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    const { brokers } = await admin.describeCluster();
    if (resolved.replicationFactor > brokers.length) {
      throw new Error(
        `Cannot create ${missing.map((t) => t.topic).join(", ")} with ${resolved.replicationFactor} replicas (KAFKA_REPLICATION_FACTOR=${resolved.replicationFactor}): ` +
          `the cluster has ${brokers.length} live broker(s). Lower KAFKA_REPLICATION_FACTOR (and KAFKA_MIN_INSYNC_REPLICAS), or start more brokers.`,
      );
    }
    // Returns false (no throw) when another process created them in the meantime: still fine. Leaders are waited for
    // below: kafkajs's own wait fails when a broker of a cluster has not heard of the new topic yet.
    await admin.createTopics({ topics: missing, waitForLeaders: false, timeout: timeoutMs });
  }

  const deadline = Date.now() + timeoutMs;
  let lastProblem = "";
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (topics.length === names.length && leaderless.length === 0) {
        const created = missing.map((t) => t.topic);
        return {
          created,
          partitions: Object.fromEntries(topics.map((t) => [t.name, t.partitions.length])),
          differences: await layoutDifferences(admin, topics.filter((t) => !created.includes(t.name)), resolved, eventsTopic),
        };
      }
      lastProblem = `no leader yet for ${leaderless.map((t) => t.name).join(", ")}`;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`Topics ${names.join(", ")} not ready within ${timeoutMs / 1000} s: ${lastProblem}`);
    }
    await sleep(100);
  }
}

async function layoutDifferences(
  admin: Admin,
  topics: Array<{ name: string; partitions: Array<{ replicas: number[] }> }>,
  settings: TopicSettings,
  eventsTopic: string,
): Promise<string[]> {
  if (topics.length === 0) return [];
  let minIsrOf = new Map<string, number>();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((t) => ({ type: TOPIC_RESOURCE, name: t.name, configNames: ["min.insync.replicas"] })),
    });
    minIsrOf = new Map(resources.map((r) => [r.resourceName, Number(r.configEntries.find((e) => e.configName === "min.insync.replicas")?.configValue)]));
  } catch {
    // Only a comparison for the caller's information: not worth failing the start-up for.
  }
  const differences: string[] = [];
  for (const topic of topics) {
    const found: string[] = [];
    if (topic.name === eventsTopic && topic.partitions.length !== settings.partitions) {
      found.push(`${topic.partitions.length} partitions (KAFKA_TOPIC_PARTITIONS=${settings.partitions})`);
    }
    const replicas = Math.min(...topic.partitions.map((p) => p.replicas.length));
    if (replicas !== settings.replicationFactor) found.push(`replication factor ${replicas} (KAFKA_REPLICATION_FACTOR=${settings.replicationFactor})`);
    const minIsr = minIsrOf.get(topic.name);
    if (minIsr !== undefined && !Number.isNaN(minIsr) && minIsr !== settings.minInsyncReplicas) {
      found.push(`min.insync.replicas ${minIsr} (KAFKA_MIN_INSYNC_REPLICAS=${settings.minInsyncReplicas})`);
    }
    if (found.length) differences.push(`${topic.name} exists with ${found.join(", ")}; it is left as it is`);
  }
  return differences;
}
