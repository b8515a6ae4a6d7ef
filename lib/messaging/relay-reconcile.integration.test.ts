import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import type { PrismaClient } from "../generated/prisma/client";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { createLogger } from "../logging/logger";
import { startWorker } from "../worker/run-worker";
import { builtInRegistry } from "./avro/schema-registry";
import { createKafka } from "./kafka-client";
import { createRelay, RELAY_UNMARKED_LIMIT } from "./relay";
import { countUnpublished } from "./relay-progress";
import { reconcileWithTopic } from "./relay-reconcile";
import { appendConcurrently, versionsByQuote, watchQuoteEvents } from "./testing/outbox";
import { eventually } from "../testing/eventually";

const registry = builtInRegistry();
const kafka = createKafka("relay-reconcile-test")!;
after(async () => {
  await prisma().$disconnect();
});

const unpublished = (quoteIds: string[]) => countUnpublished(prisma(), quoteIds);

/** Publishes whatever earlier tests left unpublished, so that the next batches hold only this test's rows. */
async function drainOutbox() {
  const relay = createRelay({ db: prisma(), kafka, registry, log: createLogger("relay-reconcile-test") });
  try {
    while ((await relay.publishBatch()) > 0);
  } finally {
    await relay.stop();
  }
}

/**
 * The database as a relay that dies before its marks commit sees it: every move of its recorded progress
 * (relay-progress.ts advanceRelayProgress) waits until `die()`, and then fails; everything else goes through.
 */
function marksNeverCommit(db: PrismaClient) {
  let die: (error: Error) => void = () => {};
  const dead = new Promise<never>((_, reject) => (die = reject));
  dead.catch(() => {});
  let held = 0;
  const proxy = new Proxy(db, {
    get: (target, property, receiver) =>
      property === "$executeRaw"
        ? (strings: TemplateStringsArray, ...values: unknown[]) => {
            if (!strings.join("?").includes("UPDATE relay_progress")) return target.$executeRaw(strings, ...values);
            held++;
            return dead;
          }
        : Reflect.get(target, property, receiver),
  });
  return { db: proxy, held: () => held, die: () => die(new Error("the relay's process died before its mark committed")) };
}

describe("relay reconcile: a relay that dies between Kafka's acknowledgement and its mark", () => {
  it("its successor, taking the relay lock, marks what the topic holds and sends only the rest: every event once", { timeout: 120_000 }, async () => {
    await drainOutbox();
    const QUOTES = 40;
    const VERSIONS = 3;
    const BATCH = 50;
    const quoteIds = Array.from({ length: QUOTES }, () => randomUUID());
    const watch = await watchQuoteEvents(registry, quoteIds);
    await appendConcurrently({ quoteIds, versions: VERSIONS, writers: 6 });

    // The first relay: the relay's own producer and batches, but its marks never commit. Its first batch is
    // acknowledged (its mark hangs); its second is sent beside that mark and acknowledged too, then the relay waits on
    // the first mark for good: two batches on the topic, none of them marked, as when the process is SIGKILLed then.
    const dying = marksNeverCommit(prisma());
    const first = createRelay({ db: dying.db, kafka, registry, log: createLogger("relay-reconcile-test-first") });
    const stuck = (async () => {
      assert.equal(await first.publishBatch(BATCH), BATCH);
      await first.publishBatch(BATCH);
    })();
    stuck.catch(() => {});
    let successor: ReturnType<typeof startWorker> | null = null;
    try {
      await eventually(async () => watch.received.length >= 2 * BATCH, 30_000, `the first relay's two batches on the topic (have ${watch.received.length})`);
      assert.equal(dying.held(), 1, "the first batch's mark hangs; the second's never started");
      assert.equal(await unpublished(quoteIds), QUOTES * VERSIONS, "nothing marked: the crash window");
      const sentByFirst = new Set(watch.received.map((r) => r.eventId));
      assert.equal(sentByFirst.size, 2 * BATCH);
      const firstProducer = new Set(watch.received.map((r) => r.producerId));
      assert.equal(firstProducer.size, 1);

      // The successor: a worker's relay, which reconciles when it takes the relay lock.
      const takeoverStarted = Date.now();
      successor = startWorker({ ...config(), RELAY_LEADER_RETRY_MS: 200 }, prisma(), createLogger("relay-reconcile-test-successor"), registry, ["relay"]);
      await successor.ready;
      await eventually(async () => (await unpublished(quoteIds)) === 0, 15_000, "every row marked published by the successor");
      const takeoverMs = Date.now() - takeoverStarted;
      await eventually(async () => new Set(watch.received.map((r) => r.eventId)).size === QUOTES * VERSIONS, 15_000, "every event on the topic");
      // Time for a resend to show itself, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const ids = watch.received.map((r) => r.eventId);
      assert.equal(ids.length, QUOTES * VERSIONS, `each event once on the topic (${ids.length - new Set(ids).size} twice); takeover ${takeoverMs} ms`);
      const bySuccessor = watch.received.filter((r) => !firstProducer.has(r.producerId));
      assert.equal(bySuccessor.length, QUOTES * VERSIONS - 2 * BATCH, "the successor sent only what the first relay had not");
      assert.ok(bySuccessor.every((r) => !sentByFirst.has(r.eventId)));
      for (const [quoteId, versions] of versionsByQuote(watch.received)) assert.deepEqual(versions, [1, 2, 3], `versions of ${quoteId} in order`);
      assert.ok(takeoverMs < 15_000, `takeover ${takeoverMs} ms`);
    } finally {
      dying.die();
      await stuck.catch(() => {});
      await first.stop();
      await successor?.stop();
      await watch.stop();
    }
  });

  it("reads back, in each partition, no more records than it holds of the first unpublished rows; asks Kafka nothing when none is unpublished", { timeout: 60_000 }, async () => {
    await drainOutbox();
    const log = createLogger("relay-reconcile-test-bounds");
    const none = await reconcileWithTopic({ db: prisma(), kafka, registry, log, unmarkedLimit: RELAY_UNMARKED_LIMIT });
    assert.deepEqual({ tail: none.tail, read: none.read, marked: none.marked }, { tail: 0, read: 0, marked: 0 });

    // Three events on the topic unmarked (sent by a relay whose mark never commits), two more not sent at all.
    const quoteIds = [randomUUID()];
    await appendConcurrently({ quoteIds, versions: 5, writers: 1 });
    const dying = marksNeverCommit(prisma());
    const relay = createRelay({ db: dying.db, kafka, registry, log });
    try {
      assert.equal(await relay.publishBatch(3), 3);
      const result = await reconcileWithTopic({ db: prisma(), kafka, registry, log, unmarkedLimit: RELAY_UNMARKED_LIMIT });
      assert.equal(result.tail, 2 + 3, "as many records as there are unpublished rows, all in the quote's partition");
      assert.equal(result.marked, 3);
      assert.ok(result.read >= 3 && result.read <= result.tail, `read the last ${result.tail} records of that partition only (${result.read})`);
      assert.ok(result.ms < 6_000, `${result.ms} ms`);
      const rows = await prisma().storedEvent.findMany({ where: { streamId: quoteIds[0] }, orderBy: { version: "asc" }, select: { version: true, publishedAt: true } });
      assert.deepEqual(rows.map((r) => r.publishedAt !== null), [true, true, true, false, false]);
    } finally {
      dying.die();
      await relay.stop();
      await drainOutbox();
    }
  });
});
