/**
 * A real Apache Kafka 3.9 cluster of several KRaft nodes on 127.0.0.1, each node both broker and controller (a
 * voter), each a JVM of its own started from the same Maven Central jars as the single broker (broker.ts).
 *
 *   const cluster = await startKafkaCluster({ nodes: 3, basePort: 9092, dataDir: ".data/kafka-cluster" });
 *   // cluster.brokers === "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096"
 *   await cluster.node(2).kill();   // SIGKILL one node ...
 *   await cluster.node(2).start();  // ... and start it again on the same data
 *   await cluster.stop();
 *
 * Node N (1-based) listens on basePort + 2(N-1) for clients and the next port for the controller quorum, and keeps
 * its data in <dataDir>/node-N (same layout as a single broker's dataDir, pid file included). Internal topics get
 * min(3, nodes) replicas and min.insync.replicas one less (at least 1), unless told otherwise.
 */
import { join, resolve } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import {
  assertNodeCanStart,
  DEFAULT_KAFKA_LIBS_DIR,
  ensureKafkaJars,
  formattedClusterId,
  HOST,
  launchKafkaNode,
  prepareKafkaNode,
  randomClusterId,
  sleep,
  waitUntilServing,
  warmUp,
  type BrokerExit,
  type KafkaNodeSpec,
  type LaunchedKafkaNode,
} from "./broker";

const READY_TIMEOUT_MS = 180_000;

export interface StartKafkaClusterOptions {
  /** How many nodes. Default 3. */
  nodes?: number;
  /** Client port of node 1; node N gets basePort + 2(N-1), its controller the port after. Default 9092. */
  basePort?: number;
  /** Node N keeps its config and data in <dataDir>/node-N (created if missing; data survives restarts). */
  dataDir: string;
  /** Replicas of the internal topics (and default.replication.factor). Default min(3, nodes). */
  replicationFactor?: number;
  /** min.insync.replicas and transaction.state.log.min.isr. Default replicationFactor − 1, at least 1. */
  minInsyncReplicas?: number;
  /** Receives every line a node (and mvn, when fetching jars: node 0) prints. */
  log?: (line: string, nodeId: number) => void;
  /** Where the jars live. Default <repo>/.data/kafka/libs, shared with the single broker. */
  libsDir?: string;
  /** How long to wait for the nodes to form the cluster (first start) or for one node to rejoin. Default 180 s (three JVMs starting at once on a busy machine are slow). */
  readyTimeoutMs?: number;
}

export interface KafkaClusterNode {
  nodeId: number;
  /** "127.0.0.1:<client port>". */
  broker: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** Pid of the node's java process; null while it is not running. */
  pid(): number | null;
  running(): boolean;
  /** Resolves when the current process exits (at once when none runs). */
  exited(): Promise<BrokerExit | null>;
  /** SIGTERM (controlled shutdown), SIGKILL after ~20 s. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again on its data; resolves when it serves metadata that lists it. */
  start(): Promise<void>;
}

export interface KafkaCluster {
  /** Bootstrap servers for kafkajs: every node, comma-separated. */
  brokers: string;
  clusterId: string;
  nodes: KafkaClusterNode[];
  node(nodeId: number): KafkaClusterNode;
  /** nodeId → pid (null: not running). */
  pids(): Record<number, number | null>;
  replicationFactor: number;
  minInsyncReplicas: number;
  /** Stops every running node (in parallel). Safe to call twice. */
  stop(): Promise<void>;
}

export const clusterNodePorts = (basePort: number, nodeId: number) => ({ port: basePort + 2 * (nodeId - 1), controllerPort: basePort + 2 * (nodeId - 1) + 1 });

export async function startKafkaCluster(opts: StartKafkaClusterOptions): Promise<KafkaCluster> {
  const count = opts.nodes ?? 3;
  const basePort = opts.basePort ?? 9092;
  const replicationFactor = opts.replicationFactor ?? Math.min(3, count);
  const minInsyncReplicas = opts.minInsyncReplicas ?? Math.max(1, replicationFactor - 1);
  if (!Number.isInteger(count) || count < 1) throw new Error(`A Kafka cluster needs a whole number of nodes, at least 1 (got ${count})`);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > count) {
    throw new Error(`Replication factor ${replicationFactor} is impossible on ${count} node(s): it must be between 1 and ${count}`);
  }
  if (!Number.isInteger(minInsyncReplicas) || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
    throw new Error(`min.insync.replicas ${minInsyncReplicas} must be between 1 and the replication factor (${replicationFactor})`);
  }
  const dataDir = resolve(opts.dataDir);
  const log = opts.log ?? (() => {});
  const readyTimeoutMs = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const voters = ids.map((id) => `${id}@${HOST}:${clusterNodePorts(basePort, id).controllerPort}`).join(",");
  const brokers = ids.map((id) => `${HOST}:${clusterNodePorts(basePort, id).port}`).join(",");
  const portsHint = `Stop it, or use other ports (option basePort; for npm run kafka: KAFKA_PORT).`;

  const libsDir = ensureKafkaJars(opts.libsDir ?? DEFAULT_KAFKA_LIBS_DIR, (line) => log(line, 0));
  const specs: KafkaNodeSpec[] = ids.map((id) => ({
    nodeId: id,
    dataDir: join(dataDir, `node-${id}`),
    ...clusterNodePorts(basePort, id),
    properties: { voters, nodes: count, replicationFactor, minInsyncReplicas },
    libsDir,
    log: (line) => log(line, id),
  }));
  for (const spec of specs) await assertNodeCanStart(spec, portsHint);

  // Every node must carry the same cluster id: that of the nodes already formatted, or a new one.
  const formatted = new Set(specs.map((s) => formattedClusterId(s.dataDir)).filter((id): id is string => id !== null));
  if (formatted.size > 1) {
    throw new Error(
      `The nodes under ${dataDir} belong to different Kafka clusters (${[...formatted].join(", ")}). Remove ${dataDir} to start afresh.`,
    );
  }
  const clusterId = [...formatted][0] ?? randomClusterId();
  for (const spec of specs) prepareKafkaNode(spec, clusterId);

  const current = new Map<number, LaunchedKafkaNode>();
  const label = (id: number) => `Kafka node ${id}`;
  const isRunning = (id: number) => {
    const node = current.get(id);
    return node !== undefined && node.exitInfo() === null;
  };
  const stopNode = async (id: number) => {
    await current.get(id)?.stop();
  };

  const nodes: KafkaClusterNode[] = specs.map((spec) => ({
    nodeId: spec.nodeId,
    broker: `${HOST}:${spec.port}`,
    port: spec.port,
    controllerPort: spec.controllerPort,
    dataDir: spec.dataDir,
    pid: () => (isRunning(spec.nodeId) ? current.get(spec.nodeId)!.pid : null),
    running: () => isRunning(spec.nodeId),
    exited: async () => (await current.get(spec.nodeId)?.exited) ?? null,
    stop: () => stopNode(spec.nodeId),
    async kill(signal = "SIGKILL") {
      const node = current.get(spec.nodeId);
      if (!node || node.exitInfo()) return;
      process.kill(node.pid, signal);
      await node.exited;
    },
    async start() {
      if (isRunning(spec.nodeId)) throw new Error(`${label(spec.nodeId)} is already running (pid ${current.get(spec.nodeId)!.pid})`);
      await assertNodeCanStart(spec, portsHint);
      prepareKafkaNode(spec, clusterId);
      const node = await launchKafkaNode(spec, label(spec.nodeId));
      current.set(spec.nodeId, node);
      await waitUntilServing(
        node,
        `${HOST}:${spec.port}`,
        (info) => info.brokers.some((b) => b.nodeId === spec.nodeId) || `metadata lists no broker ${spec.nodeId} yet`,
        readyTimeoutMs,
        label(spec.nodeId),
      );
    },
  }));

  const stop = async () => {
    await Promise.all(ids.map((id) => stopNode(id)));
  };

  // First start: no node can serve before a majority of the voters is up, so launch them all, then wait.
  try {
    for (const spec of specs) current.set(spec.nodeId, await launchKafkaNode(spec, label(spec.nodeId)));
    await Promise.all(
      specs.map((spec) =>
        waitUntilServing(
          current.get(spec.nodeId)!,
          `${HOST}:${spec.port}`,
          (info) => {
            const missing = ids.filter((id) => !info.brokers.some((b) => b.nodeId === id));
            return missing.length === 0 || `metadata lists no broker ${missing.join(", ")} yet`;
          },
          readyTimeoutMs,
          label(spec.nodeId),
        ),
      ),
    );
    await warmUp(brokers);
  } catch (err) {
    const tails = ids.map((id) => `--- node ${id} ---\n${current.get(id)?.tail().slice(-10).join("\n") ?? "(not started)"}`).join("\n");
    await stop();
    throw new Error(`Kafka cluster on ${brokers} did not come up: ${err instanceof Error ? err.message : String(err)}\nLast lines:\n${tails}`);
  }

  return {
    brokers,
    clusterId,
    nodes,
    node(nodeId) {
      const node = nodes.find((n) => n.nodeId === nodeId);
      if (!node) throw new Error(`no Kafka node ${nodeId} (nodes are 1 to ${count})`);
      return node;
    },
    pids: () => Object.fromEntries(nodes.map((n) => [n.nodeId, n.pid()])),
    replicationFactor,
    minInsyncReplicas,
    stop,
  };
}

export interface PartitionPlacement {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Leader, replicas and in-sync replicas of every partition of `topics`, as the cluster's metadata says. */
export async function partitionPlacement(brokers: string, topics: string[]): Promise<PartitionPlacement[]> {
  const admin = new Kafka({ clientId: "kafka-cluster-probe", brokers: brokers.split(","), logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 5000, retry: { retries: 2 } }).admin();
  await admin.connect();
  try {
    const { topics: found } = await admin.fetchTopicMetadata({ topics });
    return found.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] })));
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The node leading the most partitions of `topic` (the lowest id on a tie), and how many it leads. */
export function busiestLeader(placement: PartitionPlacement[], topic: string): { nodeId: number; partitions: number } {
  const led = new Map<number, number>();
  for (const p of placement) if (p.topic === topic && p.leader >= 0) led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
  const [nodeId, partitions] = [...led].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [-1, 0];
  return { nodeId, partitions };
}

/**
 * Waits until every partition of `topics` has a leader and every replica back in sync (after a node restarted),
 * or throws after `timeoutMs` saying which partitions are behind.
 */
export async function waitForInSyncReplicas(brokers: string, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let behind = "no metadata yet";
  for (;;) {
    try {
      const placement = await partitionPlacement(brokers, topics);
      const lagging = placement.filter((p) => p.leader < 0 || p.isr.length < p.replicas.length);
      if (placement.length > 0 && lagging.length === 0) return;
      behind = lagging.map((p) => `${p.topic}/${p.partition} isr [${p.isr.join(",")}] of [${p.replicas.join(",")}]`).join("; ");
    } catch (err) {
      behind = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`replicas not in sync within ${timeoutMs / 1000} s: ${behind}`);
    await sleep(250);
  }
}

/**
 * Waits until every running node answers metadata for `topics` with a leader for each partition. A topic just
 * created reaches the nodes one by one: a client asking another node meanwhile is told it does not exist.
 */
export async function waitForTopicsOnEveryNode(cluster: KafkaCluster, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const node of cluster.nodes.filter((n) => n.running())) {
    let problem = "";
    for (;;) {
      try {
        const placement = await partitionPlacement(node.broker, topics);
        const ready = topics.every((topic) => placement.some((p) => p.topic === topic) && placement.filter((p) => p.topic === topic).every((p) => p.leader >= 0));
        if (ready) break;
        problem = "some partitions have no leader yet";
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) throw new Error(`node ${node.nodeId} did not know ${topics.join(", ")} within ${timeoutMs / 1000} s: ${problem}`);
      await sleep(200);
    }
  }
}
