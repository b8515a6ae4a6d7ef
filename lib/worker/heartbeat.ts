import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";

export const HEARTBEAT_INTERVAL_MS = 2_000;
/** A worker that has not beaten for this long is taken as gone. */
export const WORKER_HEARTBEAT_STALE_MS = 10_000;

/** Records that this worker is alive every couple of seconds; GET /api/worker lists the live ones. */
export function startHeartbeat(db: PrismaClient, mode: "kafka" | "embedded", onError: (error: unknown) => void, roles: readonly string[] = []) {
  const workerId = randomUUID();
  const startedAt = new Date();
  const beat = () =>
    db.workerHeartbeat
      .upsert({
        where: { workerId },
        create: { workerId, pid: process.pid, mode, roles: [...roles], startedAt, beatAt: new Date() },
        update: { beatAt: new Date() },
      })
      .catch(onError);
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  const first = beat();
  return {
    workerId,
    ready: first,
    async stop() {
      clearInterval(timer);
      await db.workerHeartbeat.delete({ where: { workerId } }).catch(() => {});
    },
  };
}
