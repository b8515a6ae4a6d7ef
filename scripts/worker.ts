// npm run worker — the background worker: relay (outbox → Kafka), projector (events → read models), async commands.
import { isKafkaMode, loadConfigOrExit } from "../lib/config";
import { createPrismaClient } from "../lib/db/prisma";
import { createLogger } from "../lib/logging/logger";
import { startHeartbeat } from "../lib/worker/heartbeat";

const env = loadConfigOrExit();
const log = createLogger("worker");
const db = createPrismaClient(env.DATABASE_URL);
const mode = isKafkaMode(env) ? "kafka" : "embedded";

const heartbeat = startHeartbeat(db, mode, (error) => log.warn({ err: error }, "heartbeat failed"));
await heartbeat.ready;
log.info({ mode, workerId: heartbeat.workerId }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping");
  await heartbeat.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
