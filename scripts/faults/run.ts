// npm run test:faults            — the fault tests, against real PostgreSQL, Kafka and the production app.
// npm run test:faults -- --quick — the bounded version (smaller counts; reuses an existing build in .next-faults).
//   --only=kafka,worker,relay-failover,postgres,app-number,email,broker-failover   some scenarios only;  --build / --no-build   as for npm run bench.
//   broker-failover runs last, against a three-node Kafka cluster instead of the single broker
//   (scripts/faults/cluster-environment.ts: nodes on 29092 + offset, +2, +4 — 29132/29134/29136 by default —
//   controllers on the port after each; data in .data/faults-40-cluster).
// Everything on ports and data of its own: FAULTS_PORT_OFFSET (default TEST_PORT_OFFSET + 40: PostgreSQL 54379,
// Kafka 19132, app 3140, stand-in 4150, mail catcher SMTP 4155 / HTTP 4156; data in .data/faults-40), build folder
// FAULTS_DIST_DIR (default .next-faults).
// Each scenario prints what it did and its counts; the run exits non-zero unless every scenario has lost = 0,
// duplicated = 0 and meets its own conditions. Ends with one line "faults: N passed, M failed".
import path from "node:path";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const offset = Number(process.env.FAULTS_PORT_OFFSET ?? Number(process.env.TEST_PORT_OFFSET ?? 0) + 40);
const distDir = process.env.FAULTS_DIST_DIR ?? ".next-faults";

// The configuration is read once per process at first use: point every variable at this run's own servers first.
for (const name of ["TEST_DATABASE_URL", "TEST_KAFKA_BROKERS", "DATABASE_URL", "KAFKA_BROKERS", "APP_PORT", "APPLICATION_NUMBER_SERVICE_URL", "APPLICATION_NUMBER_SERVICE_PORT", "PROJECTION_GROUP", "WORKER_POLL_INTERVAL_MS", "KAFKA_TOPIC_PARTITIONS", "KAFKA_REPLICATION_FACTOR", "KAFKA_MIN_INSYNC_REPLICAS", "SMTP_URL", "MAIL_CATCHER_LATENCY_MS", "MAIL_CATCHER_FAILURE_RATE"]) delete process.env[name];
Object.assign(process.env, {
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: "warn",
  DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${54339 + offset}/quotes_faults`,
  KAFKA_BROKERS: `127.0.0.1:${19092 + offset}`,
  APP_PORT: String(3100 + offset),
  APPLICATION_NUMBER_SERVICE_PORT: String(4110 + offset),
  APPLICATION_NUMBER_SERVICE_URL: `http://127.0.0.1:${4110 + offset}`,
  APPLICATION_NUMBER_STORE: path.resolve(".data", `faults-${offset}`, "application-numbers.jsonl"),
  // The environment's mail catcher (startStack's mailCatcher): the worker's SMTP_URL points at it.
  MAIL_CATCHER_SMTP_PORT: String(4115 + offset),
  MAIL_CATCHER_HTTP_PORT: String(4116 + offset),
  // Every quote here starts from 127.0.0.1, far more than the per-address limit a customer gets.
  QUOTE_START_RATE_LIMIT: "1000000",
});

const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const { runFaultTests } = await import("./suite");
const { passed, failed } = await runFaultTests({
  quick,
  offset,
  distDir,
  build: argv.includes("--build") ? "always" : argv.includes("--no-build") ? "never" : quick ? "reuse" : "auto",
  only: only ?? null,
});
console.log(`faults: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
