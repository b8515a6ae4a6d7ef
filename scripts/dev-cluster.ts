// npm run dev:cluster — the app as several instances would run it: a three-node Kafka cluster (127.0.0.1:9092, 9094,
// 9096; data in .data/kafka-cluster), PostgreSQL (embedded unless DATABASE_URL), migrations, the application-number
// stand-in, two workers, and two web servers on the production build (127.0.0.1:3000 and :3001: APP_PORT and the
// port after), every line prefixed by its process. Ctrl-C stops them all.
//
// The production build, because two `next dev` cannot share one build folder (Next.js locks it) and two folders would
// compile everything twice. It is built first when there is none or the sources are newer (`-- --build=reuse` takes
// any existing build, `never` refuses to build); NEXT_DIST_DIR chooses its folder as for `npm run build`.
// KAFKA_PORT moves the cluster (its first client port), KAFKA_DATA_DIR its data; with KAFKA_BROKERS set, those
// brokers are used and no cluster is started.
import path from "node:path";
import { loadConfigOrExit } from "../lib/config";
import { createKafka } from "../lib/messaging/kafka-client";
import { ensureTopics, quoteEventsDlqTopic, quoteEventsTopic } from "../lib/messaging/topics";
import { ensureBuild } from "../bench/support/build";
import { ensureDemoAgent } from "./agents/ensure-demo-agent";
import { startKafkaCluster, waitForTopicsOnEveryNode, type KafkaCluster } from "./kafka/cluster";
import { loadDotEnv } from "./lib/dotenv";
import { dataDir } from "./lib/paths";
import { prefixer } from "./lib/processes";
import { startStack, type RunningStack } from "./lib/stack";

const BUILD_MODES = ["auto", "reuse", "always", "never"] as const;
type BuildMode = (typeof BUILD_MODES)[number];

loadDotEnv();
const external = Boolean(process.env.KAFKA_BROKERS);
// The cluster's layout for the app's topics, unless set: three replicas, two of them in sync for a write.
if (!external) {
  process.env.KAFKA_REPLICATION_FACTOR ||= "3";
  process.env.KAFKA_MIN_INSYNC_REPLICAS ||= "2";
}
const env = loadConfigOrExit();
const buildArgument = process.argv.find((arg) => arg.startsWith("--build="))?.slice("--build=".length) ?? "auto";
if (!BUILD_MODES.includes(buildArgument as BuildMode)) {
  console.error(`--build must be one of ${BUILD_MODES.join(", ")} (got ${buildArgument})`);
  process.exit(2);
}
const webPorts = [env.APP_PORT, env.APP_PORT + 1];
const distDir = process.env.NEXT_DIST_DIR || ".next";

const line = (name: string) => {
  const prefix = prefixer(name);
  return (text: string) => process.stdout.write(`${prefix}${text}\n`);
};
const kafkaLines = new Map<number, (text: string) => void>();
const kafkaLog = (text: string, nodeId: number) => {
  if (!kafkaLines.has(nodeId)) kafkaLines.set(nodeId, line(nodeId === 0 ? "kafka" : `kafka-${nodeId}`));
  kafkaLines.get(nodeId)!(text);
};

let cluster: KafkaCluster | null = null;
let stack: RunningStack | null = null;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  await cluster?.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));
// Whoever read the output has gone (a closed terminal, `| head`, a test that timed out): stop everything rather than
// die of the write error and leave the web servers and workers running.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => void shutdown(1));

try {
  // Built before the JVMs start: three idle brokers need not wait through a build.
  const build = await ensureBuild(distDir, buildArgument as BuildMode, line("build"));
  if (stopping) await new Promise(() => {});

  if (!external) {
    const clusterDir = process.env.KAFKA_DATA_DIR ? path.resolve(process.env.KAFKA_DATA_DIR) : dataDir("kafka-cluster");
    const started = Date.now();
    cluster = await startKafkaCluster({ nodes: 3, basePort: Number(process.env.KAFKA_PORT || 9092), dataDir: clusterDir, log: kafkaLog });
    line("kafka")(`cluster ${cluster.clusterId} on ${cluster.brokers} in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${clusterDir})`);
    const admin = createKafka("dev-cluster", { ...env, KAFKA_BROKERS: cluster.brokers.split(",") })!.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
    } finally {
      await admin.disconnect();
    }
    await waitForTopicsOnEveryNode(cluster, [quoteEventsTopic(), quoteEventsDlqTopic()], 30_000);
    // startStack and the app's processes take the brokers from the environment.
    process.env.KAFKA_BROKERS = cluster.brokers;
  }
  if (stopping) await new Promise(() => {});

  stack = await startStack({ kafka: true, production: true, webPorts, workers: 2 });
  const demoAgent = await ensureDemoAgent(stack.env.DATABASE_URL!);
  console.log(
    `\nReady: ${stack.baseUrls.join(" and ")} (production build in ${build.distDir}, built ${build.builtAt}${build.stale ? ", older than the sources" : ""}), ` +
      `two workers, Kafka ${cluster ? "cluster" : "brokers"} ${stack.env.KAFKA_BROKERS} (${env.KAFKA_REPLICATION_FACTOR} replicas, min.insync.replicas ${env.KAFKA_MIN_INSYNC_REPLICAS}). Ctrl-C stops everything.`,
  );
  if (demoAgent) console.log(`Agents sign in at ${stack.baseUrl}/admin (or the other server) as ${demoAgent.email} / ${demoAgent.password}`);
  console.log("");
} catch (error) {
  console.error(`Could not start: ${(error as Error).message}`);
  await shutdown(1);
}

for (const node of cluster?.nodes ?? []) {
  void node.exited().then((exit) => {
    if (!stopping && exit) line(`kafka-${node.nodeId}`)(`node ${node.nodeId} exited (${exit.signal ?? `code ${exit.code}`}); the others carry on`);
  });
}
const exited = await stack!.firstExit;
if (!stopping) {
  console.error(`${exited.name} exited unexpectedly; stopping everything.`);
  await shutdown(1);
}
