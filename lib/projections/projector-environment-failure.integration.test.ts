import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import pino from "pino";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { activeGeneration, disconnectReadModelClients, GENERATION_SWITCH_LOCK, readModelClient } from "./generations";
import { startKafkaProjector, type KafkaProjector } from "./kafka-projector";
import { eventually, testKafka, testRelay } from "./testing/kafka";

const kafka = testKafka();
const relay = testRelay(kafka);
const projectorLog: Array<{ msg: string; fault?: string }> = [];
let projector: KafkaProjector;
let crashes = 0;
before(async () => {
  const log = pino({ level: "info" }, { write: (line: string) => void projectorLog.push(JSON.parse(line)) });
  projector = await startKafkaProjector({ kafka, db: prisma(), databaseUrl: config().DATABASE_URL, registry: builtInRegistry(), log, groupId: `env-failure-test-${randomUUID()}`, sessionTimeoutMs: 6_000 });
  projector.consumer.on(projector.consumer.events.CRASH, () => crashes++);
});
after(async () => {
  await projector.stop();
  await relay.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

describe("a failure of the database, not of the message", () => {
  it("is retried with backoff inside the batch, never parked, and the quote is projected once the database is back", { timeout: 90_000 }, async () => {
    const live = readModelClient(await activeGeneration(prisma()));
    const admin = new pg.Client({ connectionString: config().DATABASE_URL });
    await admin.connect();
    try {
      // Hold the generation-switch lock so the projector's next batch waits on it inside its transaction.
      await admin.query("BEGIN");
      await admin.query("SELECT pg_advisory_xact_lock($1)", [GENERATION_SWITCH_LOCK]);
      const { quoteId, auth } = await startQuoteOverHttp();
      await capture("contact", quoteId, validDetails.contact, auth);
      await relay.drain();

      // Then cut the projector's connection, as a database restart would.
      await eventually(async () => {
        const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock_shared%'");
        return rowCount! > 0;
      }, 30_000);
      await eventually(async () => projectorLog.some((line) => line.msg === "projection batch failed; retrying"), 15_000);
      await admin.query("COMMIT");

      await eventually(async () => (await live.quoteDetails.findUnique({ where: { quoteId } }))?.version === 2, 30_000);
      assert.equal(await live.projectionDeadLetter.count({ where: { quoteId } }), 0, "nothing parked");
      const retries = projectorLog.filter((line) => line.msg === "projection batch failed; retrying");
      assert.ok(retries.length >= 1 && retries.every((line) => line.fault === "environment"), JSON.stringify(retries));
      assert.equal(projectorLog.filter((line) => line.msg === "message parked in the dead-letter queue").length, 0);
      assert.equal(crashes, 0, "the consumer never crashed");
    } finally {
      await admin.query("ROLLBACK").catch(() => {});
      await admin.end();
    }
  });
});
