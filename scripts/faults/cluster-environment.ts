/**
 * The fault environment of harness.ts with a three-node Kafka cluster (scripts/kafka/cluster.ts) in place of the
 * single broker: every node both broker and controller, the app's topics with 3 replicas and min.insync.replicas 2,
 * each node killable and restartable on its own data. PostgreSQL, the production app, the stand-in and the worker
 * are as in harness.ts, on the same ports (the two environments never run at once). The cluster's ports shift with
 * the offset like every other: node N on 29092 + offset + 2(N-1), its controller on the port after.
 */
import fs from "node:fs";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { config } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { ensureTopics, quoteEventsDlqTopic, quoteEventsTopic, type TopicSettings } from "../../lib/messaging/topics";
import { activeGeneration, disconnectReadModelClients } from "../../lib/projections/generations";
import { workerStatus, type WorkerStatus } from "../../lib/worker/worker-status";
import { ensureBuild } from "../../bench/support/build";
import { sleep } from "../../bench/support/stats";
import { startWorkerProcess } from "../../bench/support/worker-process";
import pg from "pg";
import { applyMigrations } from "../db/migrations";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded-postgres";
import { startKafkaCluster, waitForTopicsOnEveryNode, type KafkaCluster } from "../kafka/cluster";
import { startStack } from "../lib/stack";
import { repoRoot } from "../lib/paths";
import { FAULT_CLAIM_LEASE_SECONDS, faultPorts, type FaultEnvironment } from "./harness";

export const CLUSTER_NODES = 3;
export const clusterBasePort = (offset: number) => 29092 + offset;
/** The layout the cluster environment gives the app's topics. */
export const CLUSTER_TOPICS: TopicSettings = { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 };

export interface ClusterFaultEnvironment extends FaultEnvironment {
  cluster: KafkaCluster;
}

export const isClusterEnvironment = (env: FaultEnvironment): env is ClusterFaultEnvironment => "cluster" in env && (env as ClusterFaultEnvironment).cluster !== undefined;

export async function startClusterFaultEnvironment(options: { offset: number; distDir: string; build: "auto" | "reuse" | "always" | "never"; log: (line: string) => void }): Promise<ClusterFaultEnvironment> {
  const { offset, log } = options;
  const ports = faultPorts(offset);
  const dataDir = path.join(repoRoot, ".data", `faults-${offset}-cluster`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env = config();
  const databaseUrl = env.DATABASE_URL;
  const previousBrokers = process.env.KAFKA_BROKERS;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${error}`));
    stops.length = 0;
    process.env.KAFKA_BROKERS = previousBrokers;
  };
  try {
    // Built first: three idle JVMs need not wait through a build.
    const build = await ensureBuild(options.distDir, options.build, log);
    let postgres: RunningPostgres | null = await startEmbeddedPostgres({ url: databaseUrl, directory: path.join(dataDir, "postgres") });
    log(`PostgreSQL pid ${postgres.pid} on 127.0.0.1:${ports.postgres}`);
    stops.push(async () => void (await postgres?.stop()));
    await applyMigrations(repoRoot, databaseUrl);

    const started = Date.now();
    const cluster = await startKafkaCluster({ nodes: CLUSTER_NODES, basePort: clusterBasePort(offset), dataDir: path.join(dataDir, "kafka"), replicationFactor: 3, minInsyncReplicas: 2 });
    stops.push(() => cluster.stop());
    const brokers = cluster.brokers;
    log(`Kafka cluster on ${brokers} (pids ${Object.values(cluster.pids()).join(", ")}) up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const kafka = new Kafka({ clientId: "faults", brokers: brokers.split(","), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, CLUSTER_TOPICS);
    await admin.disconnect();
    await waitForTopicsOnEveryNode(cluster, [quoteEventsTopic(), quoteEventsDlqTopic()], 30_000);

    // startStack takes the brokers from the environment; the topic settings go to the app's processes.
    process.env.KAFKA_BROKERS = brokers;
    const topicEnv = { KAFKA_TOPIC_PARTITIONS: String(CLUSTER_TOPICS.partitions), KAFKA_REPLICATION_FACTOR: String(CLUSTER_TOPICS.replicationFactor), KAFKA_MIN_INSYNC_REPLICAS: String(CLUSTER_TOPICS.minInsyncReplicas) };
    const stack = await startStack({
      kafka: true,
      production: true,
      quiet: true,
      mailCatcher: true,
      env: { NODE_ENV: "production", APPLICATION_NUMBER_STORE: path.join(dataDir, "application-numbers.jsonl"), APPLICATION_NUMBER_LATENCY_MS: "0", PROJECTION_SESSION_TIMEOUT_MS: "6000", WORKER_CLAIM_LEASE_SECONDS: String(FAULT_CLAIM_LEASE_SECONDS), ...topicEnv },
    });
    stops.push(() => stack.stop());
    log(`app on ${stack.baseUrl} (next start, ${options.distDir}) in Kafka mode against the cluster`);
    await stack.processes.find((p) => p.name === "worker")?.stop();
    const workerEnv = { ...stack.env, PROJECTION_SESSION_TIMEOUT_MS: "6000" };
    let worker = await startWorkerProcess(workerEnv);
    stops.push(() => worker.stop());

    const db = createPrismaClient(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on("error", () => {});
    stops.push(async () => {
      await disconnectReadModelClients();
      await db.$disconnect();
      await pool.end();
    });

    const status = () => workerStatus(db, databaseUrl, kafka);
    return {
      offset,
      dataDir,
      databaseUrl,
      brokers,
      baseUrl: stack.baseUrl,
      applicationNumberUrl: env.APPLICATION_NUMBER_SERVICE_URL,
      mailCatcherUrl: `http://127.0.0.1:${env.MAIL_CATCHER_HTTP_PORT}`,
      build,
      db,
      pool,
      kafka,
      stack,
      cluster,
      worker: () => worker,
      async startWorker() {
        worker = await startWorkerProcess(workerEnv);
        return worker;
      },
      postgres: {
        async stop() {
          await postgres?.stop();
          postgres = null;
        },
        async start() {
          postgres = await startEmbeddedPostgres({ url: databaseUrl, directory: path.join(dataDir, "postgres") });
        },
        running: () => postgres !== null,
      },
      // The whole cluster as one "broker", for scenarios written against the single one.
      broker: {
        kill: async () => void (await Promise.all(cluster.nodes.map((n) => n.kill()))),
        start: async () => void (await Promise.all(cluster.nodes.filter((n) => !n.running()).map((n) => n.start()))),
        running: () => cluster.nodes.every((n) => n.running()),
        pid: () => cluster.nodes[0]!.pid(),
      },
      status,
      async caughtUp(limitMs, opts = {}) {
        const deadline = Date.now() + limitMs;
        let last: WorkerStatus | null = null;
        let lastError = "";
        for (;;) {
          try {
            last = await status();
            if (last.relayBacklog === 0 && last.projection.totalLag === 0 && (opts.scheduled === false || last.scheduledCommandsPending === 0)) return last;
          } catch (error) {
            lastError = (error as Error).message;
          }
          if (Date.now() > deadline) {
            throw new Error(`not caught up within ${limitMs} ms: ${last ? `relay backlog ${last.relayBacklog}, projection lag ${last.projection.totalLag}, scheduled pending ${last.scheduledCommandsPending}` : lastError}`);
          }
          await sleep(250);
        }
      },
      liveSchema: () => activeGeneration(db),
      deadProcesses: () => [...stack.processes.filter((p) => p.name !== "worker" && (p.child.exitCode !== null || p.child.signalCode !== null)), ...(worker.child.exitCode !== null || worker.child.signalCode !== null ? [{ name: `worker pid ${worker.pid}` }] : [])].map((p) => p.name),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
