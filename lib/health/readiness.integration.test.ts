import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { closeKafkaReadinessProbe } from "../messaging/kafka-client";
import { startHeartbeat } from "../worker/heartbeat";
import { checkReadiness } from "./readiness";

describe("readiness against the real PostgreSQL and Kafka broker", () => {
  after(async () => {
    await prisma().$disconnect();
    await closeKafkaReadinessProbe();
  });

  it("is not ready without a worker, and ready once a worker beats", async () => {
    await prisma().workerHeartbeat.deleteMany();
    const without = await checkReadiness();
    assert.equal(without.status, "not_ready");
    assert.equal(without.mode, "kafka");
    assert.deepEqual(
      { database: without.checks.database.ok, migrations: without.checks.migrations.ok, kafka: without.checks.kafka.ok, worker: without.checks.worker.ok },
      { database: true, migrations: true, kafka: true, worker: false },
    );

    const heartbeat = startHeartbeat(prisma(), "kafka", (error) => assert.fail(String(error)));
    await heartbeat.ready;
    try {
      const withWorker = await checkReadiness();
      assert.equal(withWorker.status, "ready", JSON.stringify(withWorker.checks));
    } finally {
      await heartbeat.stop();
    }
  });

  it("records every migration in _prisma_migrations, as `prisma migrate deploy` would", async () => {
    const rows = await prisma().$queryRaw<{ migration_name: string; checksum: string }[]>`SELECT migration_name, checksum FROM _prisma_migrations`;
    assert.ok(rows.some((row) => row.migration_name.endsWith("_init")));
    assert.ok(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum)));
  });
});
