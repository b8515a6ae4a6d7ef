// npm run kafka:topics — a release step: creates the events topic (KAFKA_EVENTS_TOPIC, quote-events by default) and
// its dead-letter topic (<topic>.dlq) on the brokers of KAFKA_BROKERS
// (with KAFKA_SSL / KAFKA_SASL_* for a managed Kafka) from KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR and
// KAFKA_MIN_INSYNC_REPLICAS, with the retention the app needs (lib/messaging/topics.ts). Topics that already exist are
// left as they are; where they differ from the settings it says how and exits 1, so a release pipeline stops.
// Safe to run again: nothing is created twice.
import { loadConfigOrExit } from "../../lib/config";
import { createKafka } from "../../lib/messaging/kafka-client";
import { explainKafkaAccessFailure } from "../../lib/messaging/kafka-security";
import { configuredTopicSettings, ensureTopics } from "../../lib/messaging/topics";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
const env = loadConfigOrExit();
if (!env.KAFKA_BROKERS?.length) {
  console.error("KAFKA_BROKERS is not set: the brokers to create the topics on (host:port, separated by commas).");
  process.exit(2);
}
const settings = configuredTopicSettings(env);
const admin = createKafka("topics", env)!.admin();
try {
  await admin.connect();
  const result = await ensureTopics(admin, settings);
  const layout = `${settings.replicationFactor} replicas, min.insync.replicas ${settings.minInsyncReplicas}`;
  for (const [topic, partitions] of Object.entries(result.partitions)) {
    console.log(`${topic}: ${result.created.includes(topic) ? "created" : "exists"}, ${partitions} partition(s)${result.created.includes(topic) ? `, ${layout}` : ""}`);
  }
  for (const difference of result.differences) console.error(difference);
  process.exitCode = result.differences.length ? 1 : 0;
} catch (error) {
  console.error(`Could not create the topics on ${env.KAFKA_BROKERS.join(",")}: ${explainKafkaAccessFailure(error, env) ?? (error as Error).message}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
