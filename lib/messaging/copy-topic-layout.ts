import "server-only";
import type { Admin } from "kafkajs";

// kafkajs's ConfigResourceTypes.TOPIC and ConfigSource.TOPIC_CONFIG: its CommonJS named exports do not reach an ES import.
const TOPIC_RESOURCE = 2;
const SET_ON_THE_TOPIC = 1;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface TopicLayout {
  partitions: number;
  replicationFactor: number;
  /** The settings made on the topic itself (retention, min.insync.replicas, ...), not the broker's defaults. */
  configEntries: Array<{ name: string; value: string }>;
}

/** How `topic` is laid out on the brokers. */
export async function topicLayout(admin: Admin, topic: string): Promise<TopicLayout> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = topics[0]?.partitions ?? [];
  if (partitions.length === 0) throw new Error(`Topic ${topic} does not exist`);
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic }] });
  const configEntries = (resources[0]?.configEntries ?? [])
    .filter((entry) => !entry.isDefault && entry.configSource === SET_ON_THE_TOPIC && !entry.isSensitive)
    .map((entry) => ({ name: entry.configName, value: entry.configValue }));
  return { partitions: partitions.length, replicationFactor: Math.min(...partitions.map((p) => p.replicas.length)), configEntries };
}

const offsetsListed = (admin: Admin, topic: string) =>
  admin.fetchTopicOffsets(topic).then(
    () => true,
    (error: { retriable?: boolean }) => {
      if (error.retriable) return false;
      throw error;
    },
  );

/**
 * Creates `target` laid out as `source` when it is missing, and waits until each of its partitions has a leader that
 * answers for it. An existing target must have as many partitions as the source: a copy keeps each record in its
 * partition.
 */
export async function ensureTopicLike(admin: Admin, source: string, target: string, timeoutMs = 30_000): Promise<{ created: boolean; layout: TopicLayout }> {
  const layout = await topicLayout(admin, source);
  const existing = new Set(await admin.listTopics());
  if (existing.has(target)) {
    const { partitions } = await topicLayout(admin, target);
    if (partitions !== layout.partitions) throw new Error(`${target} has ${partitions} partition(s) and ${source} ${layout.partitions}: a copy needs as many, each record staying in its partition`);
    return { created: false, layout };
  }
  await admin.createTopics({
    topics: [{ topic: target, numPartitions: layout.partitions, replicationFactor: layout.replicationFactor, configEntries: layout.configEntries }],
    waitForLeaders: false,
    timeout: timeoutMs,
  });
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const { topics } = await admin.fetchTopicMetadata({ topics: [target] }).catch(() => ({ topics: [] as Array<{ partitions: Array<{ leader: number }> }> }));
    const partitions = topics[0]?.partitions ?? [];
    // A leader in the metadata may not serve its partition yet: the topic is ready once its offsets can be listed.
    if (partitions.length === layout.partitions && partitions.every((p) => p.leader >= 0) && (await offsetsListed(admin, target))) return { created: true, layout };
    if (Date.now() > deadline) throw new Error(`${target} has no leader for every partition within ${timeoutMs / 1000} s`);
  }
}
