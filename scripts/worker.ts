// npm run worker — the background worker: relay (outbox → Kafka), projector (events → read models), async commands.
//   npm run worker -- --only=projector   runs some roles only (e.g. more projectors in the consumer group).
import { loadConfigOrExit } from "../lib/config";
import { createPrismaClient } from "../lib/db/prisma";
import { createLogger } from "../lib/logging/logger";
import { startWorker, WORKER_ROLES, type WorkerRole } from "../lib/worker/run-worker";
import { loadDotEnv } from "./lib/dotenv";

loadDotEnv();
const env = loadConfigOrExit();
const log = createLogger("worker");
const db = createPrismaClient(env.DATABASE_URL);
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
const unknown = only?.filter((role) => !WORKER_ROLES.includes(role as WorkerRole)) ?? [];
if (unknown.length) {
  console.error(`--only: unknown role(s) ${unknown.join(", ")}; roles are ${WORKER_ROLES.join(", ")}`);
  process.exit(1);
}
const worker = startWorker(env, db, log, (only as WorkerRole[] | undefined) ?? WORKER_ROLES);
await worker.ready;
log.info({ mode: worker.mode, workerId: worker.workerId, roles: only ?? WORKER_ROLES }, "worker started");

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
