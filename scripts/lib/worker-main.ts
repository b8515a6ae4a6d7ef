import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { createLogger } from "../../lib/logging/logger";
import { configuredSchemaRegistry } from "../../lib/messaging/avro/configured-registry";
import { startWorker, WORKER_ROLES, type WorkerRole } from "../../lib/worker/run-worker";
import { startWorkerTracing } from "./worker-tracing";

/** The roles `--only=relay,projector` names (every role without it); exits 1 on an unknown one. */
export function workerRolesFromArgs(argv: string[]): readonly WorkerRole[] {
  const only = argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
  const unknown = only?.filter((role) => !WORKER_ROLES.includes(role as WorkerRole)) ?? [];
  if (unknown.length) {
    console.error(`--only: unknown role(s) ${unknown.join(", ")}; roles are ${WORKER_ROLES.join(", ")}`);
    process.exit(1);
  }
  return (only as WorkerRole[] | undefined) ?? WORKER_ROLES;
}

/** Runs the worker's `roles` in this process until SIGTERM or SIGINT, which stop it cleanly. */
export async function runWorkerProcess(roles: readonly WorkerRole[]): Promise<void> {
  const env = loadConfigOrExit();
  const tracing = await startWorkerTracing(env);
  const log = createLogger("worker");
  const db = createPrismaClient(env.DATABASE_URL);
  let registry;
  try {
    registry = await configuredSchemaRegistry(env);
  } catch (error) {
    log.fatal({ err: error }, "cannot use the schema registry");
    process.exit(1);
  }
  if (env.SCHEMA_REGISTRY_URL) log.info({ schemaRegistry: env.SCHEMA_REGISTRY_URL, schemas: registry.entries().length }, "schemas registered in the schema registry");
  const worker = startWorker(env, db, log, registry, roles);
  await worker.ready;
  log.info({ mode: worker.mode, workerId: worker.workerId, roles }, "worker started");

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping");
    await worker.stop();
    await db.$disconnect();
    await tracing?.shutdown().catch(() => {});
    process.exit(0);
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
