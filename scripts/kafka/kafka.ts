/**
 * npm run kafka — a real single-node Kafka 3.9 broker on 127.0.0.1:9092, in the foreground.
 *
 * Data lives in .data/kafka (or $KAFKA_DATA_DIR) and survives restarts. Ctrl-C / SIGTERM stops it cleanly.
 * Stopping it from another shell: `kill $(cat .data/kafka/broker.pid)` (the java pid; this CLI then exits 0).
 * Do not kill the pid of `npm run kafka` itself: npm passes the signal to its `sh -c`, which dies without
 * passing it on, and leaves tsx and the broker running (seen with npm 11).
 * Env: KAFKA_DATA_DIR (data directory), KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default 9093),
 *      KAFKA_QUIET=1 (do not print the broker's log lines).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { ensureTopics, QUOTE_EVENTS_DLQ_TOPIC, QUOTE_EVENTS_TOPIC } from "../../lib/messaging/topics";
import { startKafkaBroker, type KafkaBroker } from "./broker";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dataDir = process.env.KAFKA_DATA_DIR ? resolve(process.env.KAFKA_DATA_DIR) : join(REPO_ROOT, ".data", "kafka");
const port = Number(process.env.KAFKA_PORT ?? 9092);
const controllerPort = Number(process.env.KAFKA_CONTROLLER_PORT ?? 9093);
const quiet = process.env.KAFKA_QUIET === "1";

let broker: KafkaBroker | null = null;
let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`\n${signal}: stopping Kafka ...`);
  try {
    await broker?.stop();
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

async function main(): Promise<void> {
  const started = Date.now();
  broker = await startKafkaBroker({
    dataDir,
    port,
    controllerPort,
    log: quiet ? undefined : (line) => console.log(`[kafka] ${line}`),
  });
  if (shuttingDown) return; // a signal arrived while starting; shutdown() owns the exit now

  const admin = new Kafka({
    clientId: "kafka-cli",
    brokers: [broker.brokers],
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  let partitions: Record<string, number>;
  try {
    ({ partitions } = await ensureTopics(admin));
  } finally {
    await admin.disconnect();
  }

  console.log(
    `Kafka ready on ${broker.brokers} (topics: ${QUOTE_EVENTS_TOPIC} x${partitions[QUOTE_EVENTS_TOPIC]}, ` +
      `${QUOTE_EVENTS_DLQ_TOPIC})`,
  );
  console.log(
    `  started in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dataDir}; broker pid ${broker.pid}. ` +
      `Ctrl-C to stop.`,
  );
  // The broker's stdout pipe keeps the event loop alive: we stay in the foreground until a signal,
  // or until the broker dies on its own.
  const { code, signal } = await broker.exited;
  if (shuttingDown) return;
  // `kill <broker pid>` from outside: the JVM shuts down cleanly and exits 143 (128 + SIGTERM).
  const stoppedFromOutside = code === 0 || code === 130 || code === 143 || signal === "SIGTERM" || signal === "SIGINT";
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  if (stoppedFromOutside) {
    console.log(`Kafka broker (pid ${broker.pid}) was stopped from outside (${how}).`);
    process.exit(0);
  }
  console.error(`Kafka broker (pid ${broker.pid}) exited unexpectedly (${how}).`);
  process.exit(1);
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await broker?.stop().catch(() => {});
  process.exit(1);
});
