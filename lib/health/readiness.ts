import "server-only";
import fs from "node:fs";
import path from "node:path";
import { config, isKafkaMode } from "../config";
import { prisma } from "../db/prisma";
import { isKafkaReachable } from "../messaging/kafka-client";

/** A worker that has not beaten for this long is taken as gone. */
export const WORKER_HEARTBEAT_STALE_MS = 10_000;

export interface Readiness {
  status: "ready" | "not_ready";
  mode: "kafka" | "embedded";
  checks: {
    database: { ok: boolean; detail: string };
    migrations: { ok: boolean; detail: string };
    kafka: { ok: boolean; detail: string };
    worker: { ok: boolean; detail: string };
  };
}

/** What anyone may see: ready or not. The checks' detail (error text, broker addresses) is for operators only. */
export type PublicReadiness = Pick<Readiness, "status">;
export const publicReadiness = (readiness: Readiness): PublicReadiness => ({ status: readiness.status });

function expectedMigrations(): string[] {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

export async function checkReadiness(): Promise<Readiness> {
  const kafkaMode = isKafkaMode();
  const checks: Readiness["checks"] = {
    database: { ok: false, detail: "not checked" },
    migrations: { ok: false, detail: "not checked" },
    kafka: kafkaMode ? { ok: false, detail: "not checked" } : { ok: true, detail: "embedded mode: Kafka not used" },
    worker: { ok: false, detail: "not checked" },
  };
  const kafkaProbe = kafkaMode ? isKafkaReachable() : null;

  try {
    await prisma().$queryRaw`SELECT 1`;
    checks.database = { ok: true, detail: "reachable" };
  } catch (error) {
    checks.database = { ok: false, detail: `unreachable: ${(error as Error).message.split("\n")[0]}` };
  }

  if (checks.database.ok) {
    try {
      const applied = await prisma().$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const appliedNames = new Set(applied.map((row) => row.migration_name));
      const pending = expectedMigrations().filter((name) => !appliedNames.has(name));
      checks.migrations = pending.length
        ? { ok: false, detail: `pending: ${pending.join(", ")}` }
        : { ok: true, detail: `${appliedNames.size} applied` };
    } catch (error) {
      checks.migrations = { ok: false, detail: `cannot read _prisma_migrations: ${(error as Error).message.split("\n")[0]}` };
    }
    try {
      const since = new Date(Date.now() - WORKER_HEARTBEAT_STALE_MS);
      const alive = await prisma().workerHeartbeat.count({ where: { beatAt: { gte: since } } });
      checks.worker = alive ? { ok: true, detail: `${alive} running` } : { ok: false, detail: "no worker heartbeat in the last 10 s" };
    } catch (error) {
      checks.worker = { ok: false, detail: `cannot read heartbeats: ${(error as Error).message.split("\n")[0]}` };
    }
  }

  if (kafkaProbe) {
    checks.kafka = (await kafkaProbe)
      ? { ok: true, detail: `reachable at ${config().KAFKA_BROKERS?.join(",")}` }
      : { ok: false, detail: `unreachable at ${config().KAFKA_BROKERS?.join(",")}` };
  }

  const ready = Object.values(checks).every((check) => check.ok);
  return { status: ready ? "ready" : "not_ready", mode: kafkaMode ? "kafka" : "embedded", checks };
}
