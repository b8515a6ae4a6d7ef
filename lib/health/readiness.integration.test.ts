import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { closeKafkaReadinessProbe } from "../messaging/kafka-client";
import { withLatestMigrationPending } from "./testing/pending-migration";
import { checkReadiness } from "./readiness";

describe("readiness against the real PostgreSQL and Kafka broker", () => {
  after(async () => {
    await prisma().$disconnect();
    await closeKafkaReadinessProbe();
  });

  it("is ready with no worker running: the web tier checks only what it needs itself", async () => {
    await prisma().workerHeartbeat.deleteMany();
    const readiness = await checkReadiness();
    assert.equal(readiness.status, "ready", JSON.stringify(readiness.checks));
    assert.equal(readiness.mode, "kafka");
    assert.deepEqual(Object.keys(readiness.checks).sort(), ["database", "kafka", "migrations"]);
  });

  it("is not ready while a migration is pending, and ready again once it is applied", async () => {
    const pending = await withLatestMigrationPending(() => checkReadiness());
    assert.equal(pending.result.status, "not_ready");
    assert.deepEqual(
      { database: pending.result.checks.database.ok, migrations: pending.result.checks.migrations.ok, kafka: pending.result.checks.kafka.ok },
      { database: true, migrations: false, kafka: true },
    );
    assert.equal(pending.result.checks.migrations.detail, `pending: ${pending.migration}`);
    assert.equal((await checkReadiness()).status, "ready");
  });

  it("records every migration in _prisma_migrations, as `prisma migrate deploy` would", async () => {
    const rows = await prisma().$queryRaw<{ migration_name: string; checksum: string }[]>`SELECT migration_name, checksum FROM _prisma_migrations`;
    assert.ok(rows.some((row) => row.migration_name.endsWith("_init")));
    assert.ok(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum)));
  });
});
