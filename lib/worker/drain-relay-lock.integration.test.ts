// The drain (POST /api/worker/drain) publishes only while it holds the relay lock, as a worker's relay does.
import { TEST_DRAIN_SECRET } from "./testing/drain-secret";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, getQuote, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { createLogger } from "../logging/logger";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { RELAY_CONNECTION_PREFIX, RELAY_LEADER_LOCK } from "../messaging/relay-leadership";
import { countUnpublished } from "../messaging/relay-progress";
import { versionsByQuote, watchQuoteEvents } from "../messaging/testing/outbox";
import { disconnectReadModelClients } from "../projections/generations";
import { eventually, testKafka, testKafkaProjector } from "../projections/testing/kafka";
import { serverNodeArgs } from "../../scripts/lib/server-node";
import * as drainRoute from "../../app/api/worker/drain/route";
import { drainWorker, type DrainResult } from "./drain";
import { workerStatus } from "./worker-status";

const kafka = testKafka();
const registry = builtInRegistry();
let projector: Awaited<ReturnType<typeof testKafkaProjector>>;
const children = new Set<ChildProcess>();
before(async () => {
  projector = await testKafkaProjector(kafka);
});
after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await projector.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const drainOverHttp = async (): Promise<DrainResult> => {
  const res = await drainRoute.POST(new Request("http://127.0.0.1/api/worker/drain", { method: "POST", headers: { authorization: `Bearer ${TEST_DRAIN_SECRET}` } }));
  assert.equal(res.status, 200);
  return (await res.json()) as DrainResult;
};
const unpublished = (quoteId: string) => countUnpublished(prisma(), [quoteId]);
const versionSeen = async (quoteId: string, auth: Record<string, string>) => ((await (await getQuote(quoteId, auth)).json()) as { version: number }).version;

/** A relay-only worker process (scripts/worker.ts --only=relay); resolves with its id once it has started. */
function startRelayWorker(): Promise<{ child: ChildProcess; workerId: string }> {
  const child = spawn(process.execPath, serverNodeArgs("scripts/worker.ts", "--only=relay"), { env: { ...process.env, LOG_LEVEL: "info", RELAY_LEADER_RETRY_MS: "200" }, stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes('"worker started"')) resolve({ child, workerId: (JSON.parse(line) as { workerId: string }).workerId });
    });
    child.once("exit", (code, signal) => reject(new Error(`relay worker exited early (${code ?? signal})`)));
  });
}

describe("the drain and the relay lock", () => {
  it("does not publish while another session holds the relay lock, says who holds it, and publishes once it is free", { timeout: 90_000 }, async () => {
    // A leader's session that publishes nothing: whatever reaches the topic meanwhile came from the drain.
    const holderId = `held-${randomUUID().slice(0, 8)}`;
    const holder = new pg.Client({ connectionString: config().DATABASE_URL, application_name: `${RELAY_CONNECTION_PREFIX}${holderId}` });
    await holder.connect();
    const { rows } = await holder.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RELAY_LEADER_LOCK]);
    assert.equal(rows[0]!.locked, true, "no relay held the lock before the test");

    const { quoteId, auth } = await startQuoteOverHttp();
    assert.equal((await capture("contact", quoteId, validDetails.contact, auth)).status, 200);
    const watch = await watchQuoteEvents(registry, [quoteId]);
    try {
      const held = await drainWorker({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, registry, log: createLogger("drain-test") }, 3_000);
      assert.equal(held.published, 0, JSON.stringify(held));
      assert.equal(held.relay, "lock-holder");
      assert.equal(held.relayLeader, holderId);
      assert.ok(held.remainingBacklog >= 2, `the outbox still holds the quote's events (${held.remainingBacklog})`);
      assert.ok(held.seconds >= 2.5, `it waited for the holder to publish, up to its limit (${held.seconds} s)`);
      assert.equal(await unpublished(quoteId), 2);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(watch.received.length, 0, "nothing of the quote reached the topic");

      await holder.end();
      const drained = await drainOverHttp();
      assert.equal(drained.relay, "this-drain", JSON.stringify(drained));
      assert.equal(drained.relayLeader, null);
      assert.ok(drained.published >= 2, JSON.stringify(drained));
      assert.equal(drained.remainingBacklog, 0);
      assert.equal(drained.remainingLag, 0);
      assert.equal(await versionSeen(quoteId, auth), 2, "projected by the time the drain answered");
      assert.equal((await workerStatus(prisma(), config().DATABASE_URL, kafka)).relayLeader, null, "the drain released the lock");
      await eventually(async () => watch.received.length >= 2, 10_000);
      assert.deepEqual(versionsByQuote(watch.received).get(quoteId), [1, 2]);
    } finally {
      await watch.stop();
      await holder.end().catch(() => {});
    }
  });

  it("while a worker's relay leads, leaves the publishing to it, waits until it is projected and names that worker", { timeout: 90_000 }, async () => {
    const worker = await startRelayWorker();
    try {
      await eventually(async () => (await workerStatus(prisma(), config().DATABASE_URL, kafka)).relayLeader === worker.workerId, 20_000);
      const { quoteId, auth } = await startQuoteOverHttp();
      assert.equal((await capture("contact", quoteId, validDetails.contact, auth)).status, 200);
      const watch = await watchQuoteEvents(registry, [quoteId]);
      try {
        const drained = await drainOverHttp();
        assert.equal(drained.relay, "lock-holder", JSON.stringify(drained));
        assert.equal(drained.relayLeader, worker.workerId);
        assert.equal(drained.published, 0);
        assert.equal(drained.remainingBacklog, 0);
        assert.equal(drained.remainingLag, 0);
        assert.equal(await versionSeen(quoteId, auth), 2, "projected by the time the drain answered");
        await eventually(async () => watch.received.length >= 2, 10_000);
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.deepEqual(versionsByQuote(watch.received).get(quoteId), [1, 2], "each event once, in order");
        assert.equal(new Set(watch.received.map((r) => r.producerId)).size, 1, "one producer, the worker's");
      } finally {
        await watch.stop();
      }
    } finally {
      await new Promise((resolve) => (worker.child.once("exit", resolve), worker.child.kill("SIGTERM")));
    }
  });
});
