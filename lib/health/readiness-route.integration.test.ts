// GET /api/ready, called in-process: strangers learn ready or not, operators (the worker secret, an agent) the detail.
import { TEST_DRAIN_SECRET } from "../worker/testing/drain-secret";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { GET } from "../../app/api/ready/route";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { closeKafkaReadinessProbe } from "../messaging/kafka-client";
import { newUser, signIn } from "../auth/testing/agents";
import { withLatestMigrationPending } from "./testing/pending-migration";

after(async () => {
  await prisma().$disconnect();
  await closeKafkaReadinessProbe();
});

const ready = (headers: Record<string, string> = {}) => GET(new Request("http://127.0.0.1:3000/api/ready", { headers }));
type Detailed = { status: string; mode: string; checks: Record<string, { ok: boolean; detail: string }> };

async function assertStatusOnly(res: Response, status: number, body: { status: string }) {
  assert.equal(res.status, status);
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), body, "nothing but the status");
  const brokers = config().KAFKA_BROKERS ?? [];
  assert.ok(brokers.length > 0, "the suite runs in Kafka mode");
  for (const broker of brokers) assert.ok(!text.includes(broker), `no broker address (${broker})`);
  assert.doesNotMatch(text, /heartbeat|reachable|migrat|applied|kafka|embedded/i, "no check's detail");
}

describe("GET /api/ready", () => {
  it("tells a caller without credentials only whether the app is ready, also when a check fails", async () => {
    const viewer = await newUser("viewer");
    const viewerCookie = await signIn(viewer.email);
    await withLatestMigrationPending(async () => {
      await assertStatusOnly(await ready(), 503, { status: "not_ready" });
      await assertStatusOnly(await ready({ authorization: `Bearer ${"x".repeat(TEST_DRAIN_SECRET.length)}` }), 503, { status: "not_ready" });
      await assertStatusOnly(await ready({ cookie: "better-auth.session_token=forged.value" }), 503, { status: "not_ready" });
      await assertStatusOnly(await ready({ cookie: viewerCookie }), 503, { status: "not_ready" });
    });
    await assertStatusOnly(await ready(), 200, { status: "ready" });
  });

  it("answers ready with no worker running: the worker's health is GET /api/worker's", async () => {
    await prisma().workerHeartbeat.deleteMany();
    await assertStatusOnly(await ready(), 200, { status: "ready" });
  });

  it("shows each check's detail to a caller with the worker secret, and to a signed-in agent", async () => {
    const pending = await withLatestMigrationPending(async () => {
      const res = await ready({ authorization: `Bearer ${TEST_DRAIN_SECRET}` });
      return { status: res.status, body: (await res.json()) as Detailed };
    });
    assert.equal(pending.result.status, 503);
    const detailed = pending.result.body;
    assert.equal(detailed.status, "not_ready");
    assert.equal(detailed.mode, "kafka");
    assert.deepEqual(detailed.checks.migrations, { ok: false, detail: `pending: ${pending.migration}` });
    assert.equal(detailed.checks.kafka!.detail, `reachable at ${config().KAFKA_BROKERS!.join(",")}`);
    assert.equal(detailed.checks.database!.ok, true);

    const agent = await newUser();
    const asAgent = (await (await ready({ cookie: await signIn(agent.email) })).json()) as Detailed;
    assert.equal(asAgent.status, "ready");
    assert.deepEqual(Object.keys(asAgent.checks).sort(), ["database", "kafka", "migrations"]);
  });
});
