/**
 * npm run kafka — a real single-node Kafka 3.9 broker on 127.0.0.1:9092, in the foreground.
 * npm run kafka -- --sasl — the same; the single broker always has its SASL_SSL listener (port + 2) beside the plaintext one.
 * npm run kafka -- --nodes 3 — a three-node KRaft cluster instead (every node broker and controller): client ports
 * 9092, 9094, 9096 (controllers 9093, 9095, 9097), data in .data/kafka-cluster/node-N, topics with 3 replicas and
 * min.insync.replicas 2 unless KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS say otherwise.
 *
 * Data lives in .data/kafka (or $KAFKA_DATA_DIR) and survives restarts. Ctrl-C / SIGTERM stops it cleanly.
 * Stopping it from another shell: `kill $(cat .data/kafka/broker.pid)` (the java pid; this CLI then exits 0).
 * A cluster node's pid is in .data/kafka-cluster/node-N/broker.pid; the CLI keeps running while any node does.
 * Do not kill the pid of `npm run kafka` itself: npm passes the signal to its `sh -c`, which dies without
 * passing it on, and leaves tsx and the broker running (seen with npm 11).
 * Env: KAFKA_DATA_DIR (data directory), KAFKA_PORT (default 9092; a cluster's first client port),
 *      KAFKA_CONTROLLER_PORT (default 9093; single broker only), KAFKA_SASL_SSL_PORT (default KAFKA_PORT + 2; the
 *      single broker's SASL_SSL listener), KAFKA_QUIET=1 (do not print the broker's log lines),
 *      KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS (the topics, see README).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { configuredTopicSettings, ensureTopics, quoteEventsDlqTopic, quoteEventsTopic } from "../../lib/messaging/topics";
import { startKafkaBroker, type BrokerExit, type KafkaBroker } from "./broker";
import { startKafkaCluster, waitForTopicsOnEveryNode, type KafkaCluster } from "./cluster";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function nodesArgument(argv: string[]): number {
  const index = argv.findIndex((a) => a === "--nodes" || a.startsWith("--nodes="));
  if (index < 0) return 1;
  const raw = argv[index]!.includes("=") ? argv[index]!.slice("--nodes=".length) : argv[index + 1];
  const nodes = Number(raw);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
    console.error(`--nodes must be a whole number from 1 to 9 (got ${raw ?? "nothing"})`);
    process.exit(2);
  }
  return nodes;
}

const nodes = nodesArgument(process.argv.slice(2));
const clustered = nodes > 1;
// The single broker always has its SASL_SSL listener; `--sasl` says so on the command line and refuses a cluster.
if (process.argv.includes("--sasl") && clustered) {
  console.error("--sasl: the SASL_SSL listener is on the single broker only (npm run kafka -- --sasl), not on a cluster of --nodes");
  process.exit(2);
}
const dataDir = process.env.KAFKA_DATA_DIR
  ? resolve(process.env.KAFKA_DATA_DIR)
  : join(REPO_ROOT, ".data", clustered ? "kafka-cluster" : "kafka");
const port = Number(process.env.KAFKA_PORT || 9092);
const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT ?? 9093);
const saslSslPort = process.env.KAFKA_SASL_SSL_PORT ? Number(process.env.KAFKA_SASL_SSL_PORT) : undefined;
const quiet = process.env.KAFKA_QUIET === "1";

// A cluster's topics default to its own layout (3 replicas, 2 in sync), not the single broker's 1 and 1.
const clusterReplicas = Math.min(3, nodes);
const clusterMinIsr = Math.max(1, clusterReplicas - 1);
if (clustered) {
  process.env.KAFKA_REPLICATION_FACTOR ||= String(clusterReplicas);
  process.env.KAFKA_MIN_INSYNC_REPLICAS ||= String(Math.min(clusterMinIsr, Number(process.env.KAFKA_REPLICATION_FACTOR) || clusterMinIsr));
}

let broker: KafkaBroker | null = null;
let cluster: KafkaCluster | null = null;
let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`\n${signal}: stopping Kafka ...`);
  try {
    await broker?.stop();
    await cluster?.stop();
    console.log("Kafka stopped.");
    process.exit(0);
  } catch (err) {
    console.error("Stopping Kafka failed:", err);
    process.exit(1);
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(signal));
}

// `kill <broker pid>` from outside: the JVM shuts down cleanly and exits 143 (128 + SIGTERM).
const stoppedFromOutside = ({ code, signal }: BrokerExit) =>
  code === 0 || code === 130 || code === 143 || signal === "SIGTERM" || signal === "SIGINT";
const describeExit = ({ code, signal }: BrokerExit) => (signal ? `signal ${signal}` : `exit code ${code}`);

async function main(): Promise<void> {
  // The configuration is read at first use, so the cluster's defaults above are in it; a bad value ends here.
  const settings = configuredTopicSettings();
  const started = Date.now();
  let brokers: string;
  if (clustered) {
    cluster = await startKafkaCluster({
      nodes,
      basePort: port,
      dataDir,
      replicationFactor: clusterReplicas,
      minInsyncReplicas: clusterMinIsr,
      log: quiet ? undefined : (line, nodeId) => console.log(`[kafka-${nodeId}] ${line}`),
    });
    brokers = cluster.brokers;
  } else {
    broker = await startKafkaBroker({
      dataDir,
      port,
      controllerPort,
      saslSslPort,
      log: quiet ? undefined : (line) => console.log(`[kafka] ${line}`),
    });
    brokers = broker.brokers;
  }
  if (shuttingDown) return; // a signal arrived while starting; shutdown() owns the exit now

  const admin = new Kafka({
    clientId: "kafka-cli",
    brokers: brokers.split(","),
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  let partitions: Record<string, number>;
  let differences: string[];
  try {
    ({ partitions, differences } = await ensureTopics(admin, settings));
  } finally {
    await admin.disconnect();
  }
  for (const difference of differences) console.warn(`warning: ${difference}`);
  if (cluster) await waitForTopicsOnEveryNode(cluster, [quoteEventsTopic(), quoteEventsDlqTopic()], 30_000);

  const layout = clustered || settings.replicationFactor > 1 ? `, ${settings.replicationFactor} replicas, min.insync.replicas ${settings.minInsyncReplicas}` : "";
  console.log(
    `Kafka ready on ${brokers} (topics: ${quoteEventsTopic()} x${partitions[quoteEventsTopic()]}, ` +
      `${quoteEventsDlqTopic()}${layout})`,
  );
  if (cluster) {
    const pids = cluster.nodes.map((n) => `node ${n.nodeId} pid ${n.pid()} on ${n.broker}`).join(", ");
    console.log(`  started in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dataDir}/node-N; ${pids}. Ctrl-C to stop.`);
    console.log(
      `  the app: KAFKA_BROKERS=${brokers} KAFKA_REPLICATION_FACTOR=${settings.replicationFactor} KAFKA_MIN_INSYNC_REPLICAS=${settings.minInsyncReplicas}`,
    );
    await watchCluster(cluster);
    return;
  }
  const single = broker!;
  console.log(
    `  started in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dataDir}; broker pid ${single.pid}. ` +
      `Ctrl-C to stop.`,
  );
  const secure = single.saslSsl;
  console.log(
    `  SASL_SSL on ${secure.brokers} (${secure.mechanisms.join(", ")}): KAFKA_BROKERS=${secure.brokers} KAFKA_SSL=true ` +
      `KAFKA_SSL_CA_FILE=${secure.caFile} KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=${secure.username}, ` +
      `KAFKA_SASL_PASSWORD from ${join(dirname(secure.caFile), "credentials.json")}`,
  );
  // The broker's stdout pipe keeps the event loop alive: we stay in the foreground until a signal,
  // or until the broker dies on its own.
  const exit = await single.exited;
  if (shuttingDown) return;
  if (stoppedFromOutside(exit)) {
    console.log(`Kafka broker (pid ${single.pid}) was stopped from outside (${describeExit(exit)}).`);
    process.exit(0);
  }
  console.error(`Kafka broker (pid ${single.pid}) exited unexpectedly (${describeExit(exit)}).`);
  process.exit(1);
}

/** Stays in the foreground while any node runs; says when one exits; exits when the last one has. */
async function watchCluster(running: KafkaCluster): Promise<void> {
  const exits = await Promise.all(
    running.nodes.map(async (node) => {
      const pid = node.pid();
      const exit = await node.exited();
      if (!exit || shuttingDown) return exit;
      const left = running.nodes.filter((n) => n.running()).length;
      const how = describeExit(exit);
      if (stoppedFromOutside(exit)) console.log(`Kafka node ${node.nodeId} (pid ${pid}) was stopped from outside (${how}); ${left} of ${nodes} nodes still running.`);
      else console.error(`Kafka node ${node.nodeId} (pid ${pid}) exited unexpectedly (${how}); ${left} of ${nodes} nodes still running.`);
      return exit;
    }),
  );
  if (shuttingDown) return;
  process.exit(exits.every((exit) => exit && stoppedFromOutside(exit)) ? 0 : 1);
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await broker?.stop().catch(() => {});
  await cluster?.stop().catch(() => {});
  process.exit(1);
});
