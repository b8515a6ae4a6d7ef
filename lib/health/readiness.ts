import "server-only";
import fs from "node:fs";
import path from "node:path";
import { config, isKafkaMode } from "../config";
import { prisma } from "../db/prisma";
import { isKafkaReachable } from "../messaging/kafka-client";

export interface Readiness {
  status: "ready" | "not_ready";
  mode: "kafka" | "embedded";
  checks: {
    database: { ok: boolean; detail: string };
    migrations: { ok: boolean; detail: string };
    kafka: { ok: boolean; detail: string };
  };
}

/** What anyone may see: ready or not. The checks' detail (error text, broker addresses) is for operators only. */
export type PublicReadiness = Pick<Readiness, "status">;
export const publicReadiness = (readiness: Readiness): PublicReadiness => ({ status: readiness.status });

function expectedMigrations(): string[] {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/**
 * Whether this web process can serve: the database reachable and migrated, and Kafka reachable in Kafka mode. The
 * worker is not a check: it runs apart (and may be restarting or scaled to none for a while) without stopping the
 * web tier from taking commands, whose events wait in the outbox; its health is GET /api/worker's.
 */
export async function checkReadiness(): Promise<Readiness> {
  const kafkaMode = isKafkaMode();
  const checks: Readiness["checks"] = {
    database: { ok: false, detail: "not checked" },
    migrations: { ok: false, detail: "not checked" },
    kafka: kafkaMode ? { ok: false, detail: "not checked" } : { ok: true, detail: "embedded mode: Kafka not used" },
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
  }

  if (kafkaProbe) {
    checks.kafka = (await kafkaProbe)
      ? { ok: true, detail: `reachable at ${config().KAFKA_BROKERS?.join(",")}` }
      : { ok: false, detail: `unreachable at ${config().KAFKA_BROKERS?.join(",")}` };
  }

  const ready = Object.values(checks).every((check) => check.ok);
  return { status: ready ? "ready" : "not_ready", mode: kafkaMode ? "kafka" : "embedded", checks };
}
