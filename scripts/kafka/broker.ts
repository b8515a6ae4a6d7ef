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
 *
 * The broker binds to 127.0.0.1 only.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel, Partitioners } from "kafkajs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, "..", "..");
const POM = join(HERE, "pom.xml");

export const DEFAULT_KAFKA_LIBS_DIR = join(REPO_ROOT, ".data", "kafka", "libs");
const LIBS_MARKER = ".complete";

const HOST = "127.0.0.1";
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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id; // Kafka never generates ids starting with '-' (they look like CLI flags).
  }
}

function serverProperties(opts: { port: number; controllerPort: number; logDirs: string }): string {
  return `# Written by scripts/kafka/broker.ts on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=${NODE_ID}
controller.quorum.voters=${NODE_ID}@${HOST}:${opts.controllerPort}
listeners=PLAINTEXT://${HOST}:${opts.port},CONTROLLER://${HOST}:${opts.controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${opts.port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${opts.logDirs}

# One node: every internal topic has a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1

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
async function describeCluster(brokers: string, timeoutMs = 3000) {
  const admin = new Kafka({
    clientId: "kafka-broker-probe",
    brokers: [brokers],
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
async function warmUp(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: "kafka-broker-warmup",
    brokers: [brokers],
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

export async function startKafkaBroker(opts: StartKafkaBrokerOptions): Promise<KafkaBroker> {
  const port = opts.port ?? 9092;
  const controllerPort = opts.controllerPort ?? 9093;
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir);
  const logDirs = join(dataDir, "kraft-logs");
  const pidFile = join(dataDir, "broker.pid");
  const brokers = `${HOST}:${port}`;

  // 1. Refuse to start next to a running broker (clear message instead of a BindException or lock error).
  const running = runningBrokerPid(pidFile);
  if (running !== null) {
    throw new Error(
      `Cannot start Kafka: a broker (pid ${running}, from ${pidFile}) is already running on data directory ${dataDir}. ` +
        `Stop it first (\`kill ${running}\`), or use another data directory.`,
    );
  }
  for (const p of [port, controllerPort]) {
    if (!(await portInUse(p))) continue;
    let what = p === controllerPort ? "another process (perhaps the controller port of another Kafka broker)" : "another process";
    if (p === port) {
      try {
        const info = await describeCluster(`${HOST}:${p}`);
        what = `a running Kafka broker (cluster ${info.clusterId}, node ${info.brokers.map((b) => b.nodeId).join(",")})`;
      } catch {
        /* not Kafka, or not answering */
      }
    }
    throw new Error(
      `Cannot start Kafka: ${HOST}:${p} is already in use by ${what}. ` +
        `Stop it, or use other ports (options port/controllerPort; for npm run kafka: KAFKA_PORT/KAFKA_CONTROLLER_PORT).`,
    );
  }

  // 2. Jars, config, storage format.
  const libsDir = ensureKafkaJars(opts.libsDir ?? DEFAULT_KAFKA_LIBS_DIR, log);
  mkdirSync(logDirs, { recursive: true });
  const serverProps = join(dataDir, "server.properties");
  const log4jProps = join(dataDir, "log4j.properties");
  writeFileSync(serverProps, serverProperties({ port, controllerPort, logDirs }));
  writeFileSync(log4jProps, LOG4J_PROPERTIES);

  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const classpath = `${libsDir}/*`;
  const jvmCommon = [
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4jProps}`,
    `-Dkafka.logs.dir=${join(dataDir, "logs")}`,
  ];

  if (!existsSync(join(logDirs, "meta.properties"))) {
    const clusterId = randomClusterId();
    log(`formatting KRaft storage in ${logDirs} (cluster id ${clusterId})`);
    const fmt = spawnSync(
      java,
      [...jvmCommon, "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProps],
      { encoding: "utf8" },
    );
    const out = `${fmt.stdout ?? ""}${fmt.stderr ?? ""}`.trim();
    if (out) for (const line of out.split("\n")) log(line);
    if (fmt.error || fmt.status !== 0) {
      throw new Error(
        `kafka.tools.StorageTool format failed (${fmt.error ? fmt.error.message : `exit code ${fmt.status}`}):\n${out}`,
      );
    }
  }

  // 3. Launch.
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
      ...jvmCommon,
      "-cp",
      classpath,
      "kafka.Kafka",
      serverProps,
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
          log(`Kafka broker (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
          child.kill("SIGKILL");
          await exited;
        }
      }
      await exited; // its handler removes the pid file
    })();
    return stopping;
  };

  // 4. Ready when a kafkajs admin gets metadata listing this broker.
  const readyTimeoutMs = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + readyTimeoutMs;
  let lastError = "";
  for (;;) {
    if (exitInfo) {
      const { code, signal } = exitInfo as BrokerExit;
      throw new Error(
        `Kafka broker exited during startup (${signal ? `signal ${signal}` : `exit code ${code}`}). ` +
          `Last broker log lines:\n${tail.join("\n")}`,
      );
    }
    try {
      const info = await describeCluster(brokers);
      if (info.brokers.some((b) => b.nodeId === NODE_ID)) break;
      lastError = `metadata lists no broker ${NODE_ID} yet`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Kafka broker on ${brokers} was not ready within ${readyTimeoutMs / 1000} s (last error: ${lastError}). ` +
          `Last broker log lines:\n${tail.join("\n")}`,
      );
    }
    await sleep(250);
  }
  try {
    await warmUp(brokers);
  } catch (err) {
    await stop();
    throw new Error(
      `Kafka broker on ${brokers} answered metadata requests but its coordinators did not come up ` +
        `(${err instanceof Error ? err.message : String(err)}). Last broker log lines:\n${tail.join("\n")}`,
    );
  }

  return { brokers, pid, stop, exited };
}
