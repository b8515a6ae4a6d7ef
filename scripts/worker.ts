// npm run worker — the background worker: relay (outbox → Kafka), projector (events → read models), async commands.
import { loadConfigOrExit } from "../lib/config";
import { createPrismaClient } from "../lib/db/prisma";
import { createLogger } from "../lib/logging/logger";
import { startWorker } from "../lib/worker/run-worker";

const env = loadConfigOrExit();
const log = createLogger("worker");
const db = createPrismaClient(env.DATABASE_URL);
const worker = startWorker(env, db, log);
await worker.ready;
log.info({ mode: worker.mode, workerId: worker.workerId }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping");
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
