/**
 * A real, single-node Apache Kafka 3.9 broker (KRaft: broker + controller in one JVM, no ZooKeeper),
 * started from the Maven Central jars pinned in scripts/kafka/pom.xml. No Docker needed: Java 17 + Maven.
 *
 *   const kafka = await startKafkaBroker({ dataDir: ".data/kafka" });
 *   // ... kafka.brokers === "127.0.0.1:9092"
 *   await kafka.stop();
 *
 * Layout:
 *   <repo>/.data/kafka/libs/        jars (shared by every dataDir; fetched once, see ensureKafkaJars)
 *   <dataDir>/server.properties     rewritten on every start
 *   <dataDir>/log4j.properties      rewritten on every start
 *   <dataDir>/kraft-logs/           log.dirs: topic data + KRaft metadata; formatted only once (meta.properties)
 *   <dataDir>/broker.pid            pid of the running java broker (removed when it exits)
 *   <dataDir>/sasl-ssl/             the SASL_SSL listener's CA, certificate and credentials (broker-security.ts)
 *
 * Beside its PLAINTEXT listener the single broker has a SASL_SSL one (by default on port + 2), as a managed Kafka
 * would: `kafka.saslSsl` says where, which CA to trust and which user and password to sign in with.
 *
 * The broker binds to 127.0.0.1 only. A cluster of several such nodes: startKafkaCluster in cluster.ts, made of the
 * same pieces (prepareKafkaNode, launchKafkaNode, waitUntilServing).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { addScramUsers, BROKER_SASL_MECHANISMS, ensureSaslSslMaterial, recordScramUsers, SASL_SSL_LISTENER, saslSslProperties, scramFormatArguments, type SaslSslMaterial } from "./broker-security";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, "..", "..");
const POM = join(HERE, "pom.xml");

export const DEFAULT_KAFKA_LIBS_DIR = join(REPO_ROOT, ".data", "kafka", "libs");
const LIBS_MARKER = ".complete";

export const HOST = "127.0.0.1";
const NODE_ID = 1;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const LOG_TAIL_LINES = 40;

export interface StartKafkaBrokerOptions {
  /** Where the broker keeps its config and data (created if missing). Data survives restarts. */
  dataDir: string;
  /** Client (PLAINTEXT) port on 127.0.0.1. Default 9092. */
  port?: number;
  /** KRaft controller port on 127.0.0.1. Default 9093. */
  controllerPort?: number;
  /** SASL_SSL client port on 127.0.0.1. Default port + 2. */
  saslSslPort?: number;
  /** Receives every line the broker (and mvn, when fetching jars) prints. */
  log?: (line: string) => void;
  /** Where the jars live. Default <repo>/.data/kafka/libs, shared by every dataDir. */
  libsDir?: string;
  /** How long to wait for the broker to answer a metadata request. Default 60 s. */
  readyTimeoutMs?: number;
}

export interface KafkaBroker {
  /** Bootstrap servers for kafkajs, e.g. "127.0.0.1:9092". */
  brokers: string;
  /** Pid of the java process. */
  pid: number;
  /** The SASL_SSL listener: its bootstrap servers, the CA that signed its certificate, and its one user. */
  saslSsl: {
    brokers: string;
    caFile: string;
    username: string;
    password: string;
    mechanisms: readonly string[];
  };
  /** SIGTERM, wait for a clean exit (up to ~20 s), then SIGKILL. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the java process has exited, for whatever reason. */
  exited: Promise<BrokerExit>;
}

export interface BrokerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Maven's colour codes, should -Dstyle.color=never not be honoured. */
const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Fetches the broker jars into libsDir unless a marker for the current pom.xml is already there. */
export function ensureKafkaJars(libsDir: string = DEFAULT_KAFKA_LIBS_DIR, log: (line: string) => void = () => {}): string {
  const pomHash = createHash("sha256").update(readFileSync(POM)).digest("hex");
  const marker = join(libsDir, LIBS_MARKER);
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === pomHash) return libsDir;

  // Download into a private temp dir, then rename: a half-finished fetch never looks complete,
  // and two processes fetching at once do not corrupt each other.
  const tmp = `${libsDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  log(`fetching Kafka jars with Maven into ${libsDir} ...`);
  const mvn = process.env.MVN ?? "mvn";
  const res = spawnSync(
    mvn,
    [
      "-q",
      "-B",
      "-Dstyle.color=never",
      "-f",
      POM,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${tmp}`,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const out = `${res.stdout ?? ""}${res.stderr ?? ""}`.replace(ANSI_COLOR, "").trim();
  if (out) for (const line of out.split("\n")) log(line);
  if (res.error || res.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    const why = res.error ? res.error.message : `exit code ${res.status}`;
    throw new Error(
      `Fetching the Kafka jars failed (${mvn} dependency:copy-dependencies -f ${POM}: ${why}).` +
        (out ? `\n${out.split("\n").slice(-LOG_TAIL_LINES).join("\n")}` : "") +
        `\nJava 17 and Maven must be installed, and Maven Central reachable.`,
    );
  }
  writeFileSync(join(tmp, LIBS_MARKER), `${pomHash}\n`);
  rmSync(libsDir, { recursive: true, force: true });
  try {
    renameSync(tmp, libsDir);
  } catch (err) {
    // Another process won the race with a complete copy: use theirs.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(marker)) throw err;
  }
  return libsDir;
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (as kafka.tools.StorageTool random-uuid). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id; // Kafka never generates ids starting with '-' (they look like CLI flags).
  }
}

export interface ServerPropertiesOptions {
  nodeId: number;
  port: number;
  controllerPort: number;
  /** controller.quorum.voters, e.g. "1@127.0.0.1:9093". */
  voters: string;
  logDirs: string;
  /** How many nodes the cluster has (1: a single broker). */
  nodes: number;
  /** Replicas of internal topics and the default for new topics. */
  replicationFactor: number;
  /** min.insync.replicas (and transaction.state.log.min.isr). */
  minInsyncReplicas: number;
  /** A SASL_SSL listener on this port as well (clients only: brokers and controllers talk in plaintext). */
  saslSsl?: { port: number; material: SaslSslMaterial };
}

export function serverProperties(opts: ServerPropertiesOptions): string {
  const single = opts.nodes === 1;
  const saslSslListener = opts.saslSsl ? `,${SASL_SSL_LISTENER}://${HOST}:${opts.saslSsl.port}` : "";
  return `# Written by scripts/kafka/${single ? "broker" : "cluster"}.ts on every start; edits are overwritten.
${single ? "# Single-node KRaft: this process is both broker and controller." : `# Node ${opts.nodeId} of a ${opts.nodes}-node KRaft cluster: every node is both broker and controller (a voter).`}
process.roles=broker,controller
node.id=${opts.nodeId}
controller.quorum.voters=${opts.voters}
listeners=PLAINTEXT://${HOST}:${opts.port},CONTROLLER://${HOST}:${opts.controllerPort}${saslSslListener}
advertised.listeners=PLAINTEXT://${HOST}:${opts.port}${saslSslListener}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${opts.saslSsl ? `,${SASL_SSL_LISTENER}:${SASL_SSL_LISTENER}` : ""}
log.dirs=${opts.logDirs}
${opts.saslSsl ? `\n${saslSslProperties(opts.saslSsl.material)}` : ""}
${
  single
    ? "# One node: every internal topic has a single replica."
    : `# Internal topics on ${opts.replicationFactor} nodes; an acks=all write needs ${opts.minInsyncReplicas} in-sync replicas.`
}
offsets.topic.replication.factor=${opts.replicationFactor}
transaction.state.log.replication.factor=${opts.replicationFactor}
transaction.state.log.min.isr=${opts.minInsyncReplicas}
default.replication.factor=${opts.replicationFactor}
min.insync.replicas=${opts.minInsyncReplicas}

# Topics are created explicitly (lib/messaging/topics.ts), with their own retention settings.
auto.create.topics.enable=false
num.partitions=6

# Consumers in a fresh group start at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
`;
}

const LOG4J_PROPERTIES = `# Written by scripts/kafka/broker.ts on every start; edits are overwritten.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.Target=System.out
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n

# Quieter: startup thread chatter, config dumps, per-partition log/segment chatter, request logs, metadata replay.
log4j.logger.kafka.utils.Log4jControllerRegistration$=WARN
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.kafka.network.ConnectionQuotas=WARN
log4j.logger.kafka.server.ClientQuotaManager$ThrottledChannelReaper=WARN
log4j.logger.kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper=WARN
log4j.logger.kafka.server.NodeToControllerRequestThread=WARN
log4j.logger.kafka.server.ControllerRegistrationManager=WARN
log4j.logger.kafka.raft.TimingWheelExpirationService$ExpiredOperationReaper=WARN
log4j.logger.org.apache.kafka.server.util.timer.SystemTimerReaper$Reaper=WARN
log4j.logger.org.apache.kafka.common.metrics=WARN
log4j.logger.org.apache.kafka.queue=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
log4j.logger.kafka.log=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.cluster.Partition=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.kafka.server.ReplicaFetcherManager=WARN
log4j.logger.kafka.server.ReplicaManager=WARN
log4j.logger.org.apache.kafka.controller=WARN
log4j.logger.org.apache.kafka.raft=WARN
log4j.logger.org.apache.kafka.image=WARN
log4j.logger.org.apache.kafka.metadata=WARN
log4j.logger.kafka.coordinator=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
log4j.logger.kafka.authorizer.logger=WARN
`;

/** True if something accepts TCP connections on host:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: HOST, port });
    const finish = (inUse: boolean) => {
      socket.destroy();
      done(inUse);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pid from the pid file if that process is alive and (where /proc tells) a Kafka broker; else null. */
function runningBrokerPid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka") ? pid : null;
  } catch {
    return pid; // no /proc (macOS): trust the pid file
  }
}

/** One metadata round trip with kafkajs; no retries, no kafkajs logging. */
export async function describeCluster(brokers: string, timeoutMs = 3000) {
  const admin = new Kafka({
    clientId: "kafka-broker-probe",
    brokers: brokers.split(","),
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * On a fresh broker the first idempotent producer gets COORDINATOR_LOAD_IN_PROGRESS (the broker is still fetching
 * a producer-id block from the controller) and the first consumer group gets GROUP_COORDINATOR_NOT_AVAILABLE
 * (__consumer_offsets is being created). kafkajs retries both, but logs them at ERROR level. Doing both once here
 * means "ready" is really ready.
 */
export async function warmUp(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: "kafka-broker-warmup",
    brokers: brokers.split(","),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect(); // idempotent: connect() runs InitProducerId
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeGroups(["__kafka-broker-warmup"]); // FindCoordinator creates __consumer_offsets
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One JVM: the pieces startKafkaBroker and startKafkaCluster (cluster.ts) are made of
// ---------------------------------------------------------------------------------------------------------------

/** One KRaft node: where it lives, its ports, its server.properties. */
export interface KafkaNodeSpec {
  nodeId: number;
  /** Absolute. */
  dataDir: string;
  port: number;
  controllerPort: number;
  properties: Omit<ServerPropertiesOptions, "nodeId" | "port" | "controllerPort" | "logDirs">;
  /** A jar folder ensureKafkaJars has filled. */
  libsDir: string;
  log: (line: string) => void;
}

export const nodeLogDirs = (dataDir: string) => join(dataDir, "kraft-logs");
const nodePidFile = (dataDir: string) => join(dataDir, "broker.pid");

/** The cluster id this node's storage was formatted with; null when it is not formatted yet. */
export function formattedClusterId(dataDir: string): string | null {
  const meta = join(nodeLogDirs(dataDir), "meta.properties");
  if (!existsSync(meta)) return null;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, "utf8"))?.[1]?.trim() ?? null;
}

/**
 * Refuses to start next to a running broker on the same data (clear message instead of a lock error) or on a port
 * in use (instead of a BindException). `portsHint` says how to choose other ports.
 */
export async function assertNodeCanStart(spec: Pick<KafkaNodeSpec, "dataDir" | "port" | "controllerPort"> & { saslSslPort?: number }, portsHint: string): Promise<void> {
  const pidFile = nodePidFile(spec.dataDir);
  const running = runningBrokerPid(pidFile);
  if (running !== null) {
    throw new Error(
      `Cannot start Kafka: a broker (pid ${running}, from ${pidFile}) is already running on data directory ${spec.dataDir}. ` +
        `Stop it first (\`kill ${running}\`), or use another data directory.`,
    );
  }
  for (const p of [spec.port, spec.controllerPort, ...(spec.saslSslPort === undefined ? [] : [spec.saslSslPort])]) {
    if (!(await portInUse(p))) continue;
    let what = p === spec.controllerPort ? "another process (perhaps the controller port of another Kafka broker)" : "another process";
    if (p === spec.port) {
      try {
        const info = await describeCluster(`${HOST}:${p}`);
        what = `a running Kafka broker (cluster ${info.clusterId}, node ${info.brokers.map((b) => b.nodeId).join(",")})`;
      } catch {
        /* not Kafka, or not answering */
      }
    }
    throw new Error(`Cannot start Kafka: ${HOST}:${p} is already in use by ${what}. ${portsHint}`);
  }
}

const javaBinary = () => (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java");

/**
 * More JVM options for every Kafka JVM started here, from KAFKA_JVM_OPTIONS (space-separated): the test runner
 * asks for the quick-starting compiler only, since its brokers live for minutes and carry little traffic.
 */
const extraJvmOptions = () => (process.env.KAFKA_JVM_OPTIONS ?? "").split(/\s+/).filter(Boolean);

const jvmCommon = (dataDir: string) => [
  ...extraJvmOptions(),
  "-Djava.awt.headless=true",
  `-Dlog4j.configuration=file:${join(dataDir, "log4j.properties")}`,
  `-Dkafka.logs.dir=${join(dataDir, "logs")}`,
];

/**
 * Writes server.properties and log4j.properties, and formats the storage unless it already is (with `clusterId`,
 * or a random one: every node of a cluster must be formatted with the same).
 */
export function prepareKafkaNode(spec: KafkaNodeSpec, clusterId?: string): void {
  const logDirs = nodeLogDirs(spec.dataDir);
  mkdirSync(logDirs, { recursive: true });
  const serverProps = join(spec.dataDir, "server.properties");
  // Only its owner may read it: a SASL_SSL listener's PLAIN user and password are in it.
  writeFileSync(
    serverProps,
    serverProperties({ ...spec.properties, nodeId: spec.nodeId, port: spec.port, controllerPort: spec.controllerPort, logDirs }),
    { mode: 0o600 },
  );
  chmodSync(serverProps, 0o600);
  writeFileSync(join(spec.dataDir, "log4j.properties"), LOG4J_PROPERTIES);
  if (existsSync(join(logDirs, "meta.properties"))) return;

  const saslSsl = spec.properties.saslSsl;
  const id = clusterId ?? randomClusterId();
  spec.log(`formatting KRaft storage in ${logDirs} (cluster id ${id})`);
  const java = javaBinary();
  const fmt = spawnSync(
    java,
    [...jvmCommon(spec.dataDir), "-Xmx256m", "-cp", `${spec.libsDir}/*`, "kafka.tools.StorageTool", "format", "-t", id, "-c", serverProps, ...(saslSsl ? scramFormatArguments(saslSsl.material) : [])],
    { encoding: "utf8" },
  );
  const out = `${fmt.stdout ?? ""}${fmt.stderr ?? ""}`.trim();
  const shown = saslSsl ? out.replaceAll(saslSsl.material.password, "***") : out;
  if (shown) for (const line of shown.split("\n")) spec.log(line);
  if (fmt.error || fmt.status !== 0) {
    throw new Error(`kafka.tools.StorageTool format failed (${fmt.error ? fmt.error.message : `exit code ${fmt.status}`}):\n${shown}`);
  }
  if (saslSsl) recordScramUsers(saslSsl.material);
}

/** A launched JVM: not yet necessarily serving (see waitUntilServing). */
export interface LaunchedKafkaNode {
  pid: number;
  exited: Promise<BrokerExit>;
  /** How it exited; null while it runs. */
  exitInfo(): BrokerExit | null;
  /** Its last log lines. */
  tail(): string[];
  /** SIGTERM, wait for a clean exit (up to ~20 s), then SIGKILL. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the JVM of a prepared node and writes its pid file (removed when it exits). */
export async function launchKafkaNode(spec: KafkaNodeSpec, label = "Kafka broker"): Promise<LaunchedKafkaNode> {
  const { dataDir, log } = spec;
  const pidFile = nodePidFile(dataDir);
  const java = javaBinary();
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    log(line);
  };
  const child: ChildProcess = spawn(
    java,
    [
      "-Xmx512m",
      "-Xms512m",
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-XX:InitiatingHeapOccupancyPercent=35",
      "-XX:+ExplicitGCInvokesConcurrent",
      ...jvmCommon(dataDir),
      "-cp",
      `${spec.libsDir}/*`,
      "kafka.Kafka",
      join(dataDir, "server.properties"),
    ],
    { cwd: dataDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", onLine);

  let exitInfo: BrokerExit | null = null;
  // If this process exits without calling stop(), do not leave an orphan broker behind.
  const killOnExit = () => {
    if (!exitInfo) child.kill("SIGTERM");
  };
  process.on("exit", killOnExit);
  // "close", not "exit": it comes after the output pipes are drained, so `tail` holds the last words.
  const exited = new Promise<BrokerExit>((res) => {
    child.once("close", (code, signal) => {
      exitInfo = { code, signal };
      process.off("exit", killOnExit);
      rmSync(pidFile, { force: true });
      res(exitInfo);
    });
  });
  const spawnError = new Promise<Error>((res) => child.once("error", res));

  const pid = child.pid;
  if (pid === undefined) {
    process.off("exit", killOnExit);
    throw new Error(`Could not launch ${java}: ${(await spawnError).message}`);
  }
  writeFileSync(pidFile, `${pid}\n`);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS, true))),
        ]);
        clearTimeout(timer);
        if (timedOut && !exitInfo) {
          log(`${label} (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
          child.kill("SIGKILL");
          await exited;
        }
      }
      await exited; // its handler removes the pid file
    })();
    return stopping;
  };

  return { pid, exited, exitInfo: () => exitInfo, tail: () => [...tail], stop };
}

/**
 * Waits until a kafkajs admin on `brokers` gets metadata in which `ready` finds what it needs (it returns true, or
 * what is still missing). Throws if the JVM exits meanwhile; stops it and throws after `timeoutMs`.
 */
export async function waitUntilServing(
  node: LaunchedKafkaNode,
  brokers: string,
  ready: (info: Awaited<ReturnType<typeof describeCluster>>) => true | string,
  timeoutMs: number,
  label = "Kafka broker",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    const exitInfo = node.exitInfo();
    if (exitInfo) {
      const { code, signal } = exitInfo;
      throw new Error(
        `${label} exited during startup (${signal ? `signal ${signal}` : `exit code ${code}`}). ` +
          `Last broker log lines:\n${node.tail().join("\n")}`,
      );
    }
    try {
      const verdict = ready(await describeCluster(brokers));
      if (verdict === true) return;
      lastError = verdict;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(
        `${label} on ${brokers} was not ready within ${timeoutMs / 1000} s (last error: ${lastError}). ` +
          `Last broker log lines:\n${node.tail().join("\n")}`,
      );
    }
    await sleep(250);
  }
}

export async function startKafkaBroker(opts: StartKafkaBrokerOptions): Promise<KafkaBroker> {
  const port = opts.port ?? 9092;
  const controllerPort = opts.controllerPort ?? 9093;
  const saslSslPort = opts.saslSslPort ?? port + 2;
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir);
  const brokers = `${HOST}:${port}`;

  // 1. Refuse to start next to a running broker (clear message instead of a BindException or lock error).
  await assertNodeCanStart(
    { dataDir, port, controllerPort, saslSslPort },
    `Stop it, or use other ports (options port/controllerPort/saslSslPort; for npm run kafka: KAFKA_PORT/KAFKA_CONTROLLER_PORT/KAFKA_SASL_SSL_PORT).`,
  );

  // 2. Jars, TLS material, config, storage format.
  const libsDir = ensureKafkaJars(opts.libsDir ?? DEFAULT_KAFKA_LIBS_DIR, log);
  mkdirSync(dataDir, { recursive: true });
  const material = ensureSaslSslMaterial(dataDir, log);
  const spec: KafkaNodeSpec = {
    nodeId: NODE_ID,
    dataDir,
    port,
    controllerPort,
    properties: { voters: `${NODE_ID}@${HOST}:${controllerPort}`, nodes: 1, replicationFactor: 1, minInsyncReplicas: 1, saslSsl: { port: saslSslPort, material } },
    libsDir,
    log,
  };
  prepareKafkaNode(spec);

  // 3. Launch.
  const node = await launchKafkaNode(spec);

  // 4. Ready when a kafkajs admin gets metadata listing this broker.
  await waitUntilServing(
    node,
    brokers,
    (info) => info.brokers.some((b) => b.nodeId === NODE_ID) || `metadata lists no broker ${NODE_ID} yet`,
    opts.readyTimeoutMs ?? READY_TIMEOUT_MS,
  );
  try {
    await warmUp(brokers);
  } catch (err) {
    await node.stop();
    throw new Error(
      `Kafka broker on ${brokers} answered metadata requests but its coordinators did not come up ` +
        `(${err instanceof Error ? err.message : String(err)}). Last broker log lines:\n${node.tail().join("\n")}`,
    );
  }

  if (!existsSync(material.scramMarker)) {
    try {
      addScramUsers(material, brokers, javaBinary(), `${libsDir}/*`, log);
    } catch (err) {
      await node.stop();
      throw err;
    }
  }

  const saslSsl = { brokers: `${HOST}:${saslSslPort}`, caFile: material.caFile, username: material.username, password: material.password, mechanisms: BROKER_SASL_MECHANISMS };
  return { brokers, pid: node.pid, stop: node.stop, exited: node.exited, saslSsl };
}
