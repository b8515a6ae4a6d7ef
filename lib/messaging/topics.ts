/**
 * Kafka topics of the quoting platform, and their idempotent creation.
 * Pure kafkajs: safe to import from scripts, the worker and tests alike.
 *
 * Topics are created explicitly because the broker runs with auto.create.topics.enable=false, and because
 * kafkajs cannot subscribe to a topic that does not exist yet under KRaft (tulios/kafkajs#1563).
 */
import "server-only";
import type { Admin, ITopicConfig } from "kafkajs";

/** Every quote event, keyed by quote id; kept forever (the event log is the source of truth). */
export const QUOTE_EVENTS_TOPIC = "quote-events";
/** Events a consumer gave up on; one partition, kept forever. */
export const QUOTE_EVENTS_DLQ_TOPIC = "quote-events.dlq";

export const DEFAULT_QUOTE_EVENTS_PARTITIONS = 6;

export interface EnsureTopicsResult {
  /** Topics this call created (empty when they all existed). */
  created: string[];
  /** Partition count of every ensured topic, as the broker reports it. */
  partitions: Record<string, number>;
}

export function topicConfigs(partitions = DEFAULT_QUOTE_EVENTS_PARTITIONS): ITopicConfig[] {
  return [
    {
      topic: QUOTE_EVENTS_TOPIC,
      numPartitions: partitions,
      replicationFactor: 1,
      configEntries: [
        { name: "retention.ms", value: "-1" },
        { name: "retention.bytes", value: "-1" },
      ],
    },
    {
      topic: QUOTE_EVENTS_DLQ_TOPIC,
      numPartitions: 1,
      replicationFactor: 1,
      configEntries: [{ name: "retention.ms", value: "-1" }],
    },
  ];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Creates quote-events and quote-events.dlq if they are missing (existing topics are left as they are,
 * including their partition count), then waits until every partition of both has a leader.
 * The admin must be connected.
 */
export async function ensureTopics(
  admin: Admin,
  partitions = DEFAULT_QUOTE_EVENTS_PARTITIONS,
  timeoutMs = 30_000,
): Promise<EnsureTopicsResult> {
  const wanted = topicConfigs(partitions);
  const names = wanted.map((t) => t.topic);

  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    // Returns false (no throw) when another process created them in the meantime: still fine.
    await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: timeoutMs });
  }

  const deadline = Date.now() + timeoutMs;
  let lastProblem = "";
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (topics.length === names.length && leaderless.length === 0) {
        return {
          created: missing.map((t) => t.topic),
          partitions: Object.fromEntries(topics.map((t) => [t.name, t.partitions.length])),
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
