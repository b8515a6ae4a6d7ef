import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import type { Kafka, Producer, ProducerRecord } from "kafkajs";
import pg from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { createLogger } from "../logging/logger";
import { startWorker } from "../worker/run-worker";
import { builtInRegistry } from "./avro/schema-registry";
import { createKafka } from "./kafka-client";
import { createRelay } from "./relay";
import { countUnpublished } from "./relay-progress";
import { appendConcurrently, committedOutOfPositionOrder, versionsByQuote, watchQuoteEvents } from "./testing/outbox";
import { eventually } from "../testing/eventually";

const registry = builtInRegistry();
after(async () => {
  await prisma().$disconnect();
});


describe("relay: appends without a global lock, committing out of position order", () => {
  it("publishes every event exactly once and each quote's events in version order, woken by the appends' notifications", { timeout: 120_000 }, async () => {
    const QUOTES = 60;
    const VERSIONS = 6;
    const quoteIds = Array.from({ length: QUOTES }, () => randomUUID());
    const watch = await watchQuoteEvents(registry, quoteIds);
    // A poll far longer than the test: only the notifications (and the short looks while rows wait behind the
    // horizon) can get the events out in time.
    const worker = startWorker({ ...config(), WORKER_POLL_INTERVAL_MS: 60_000, RELAY_LEADER_RETRY_MS: 200 }, prisma(), createLogger("relay-ordering-test"), registry, ["relay"]);
    try {
      await worker.ready;
      const commits = await appendConcurrently({ quoteIds, versions: VERSIONS, writers: 12 });
      assert.equal(commits.length, QUOTES * VERSIONS);
      assert.ok(committedOutOfPositionOrder(commits), "some rows committed after rows with higher positions");

      await eventually(async () => (await countUnpublished(prisma(), quoteIds)) === 0, 30_000, "every event marked published");
      await eventually(async () => watch.received.length >= QUOTES * VERSIONS, 30_000, `all ${QUOTES * VERSIONS} events on the topic (have ${watch.received.length})`);
      // Time for a duplicate to show itself, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await worker.stop();
      await watch.stop();
    }

    const ids = watch.received.map((r) => r.eventId);
    assert.equal(ids.length, QUOTES * VERSIONS, "each event once on the topic");
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    const expected = Array.from({ length: VERSIONS }, (_, i) => i + 1);
    for (const [quoteId, versions] of versionsByQuote(watch.received)) assert.deepEqual(versions, expected, `versions of ${quoteId} in order`);
    assert.equal(versionsByQuote(watch.received).size, QUOTES);
  });
});

/** Kafka whose producers' sends number `failing` reach the broker but then throw, as when an acknowledgement is lost. */
function lostAcks(real: Kafka, failing: Set<number>): { kafka: Kafka; sends: () => number } {
  let sends = 0;
  const kafka = {
    // The relay's reconcile reads the topic through these, unchanged.
    admin: real.admin.bind(real),
    consumer: real.consumer.bind(real),
    producer: (...args: Parameters<Kafka["producer"]>) => {
      const producer = real.producer(...args);
      return new Proxy(producer, {
        get: (target, property, receiver) =>
          property === "send"
            ? async (record: ProducerRecord) => {
                const n = ++sends;
                const result = await target.send(record);
                if (failing.has(n)) throw new Error(`acknowledgement of send ${n} lost`);
                return result;
              }
            : Reflect.get(target, property, receiver),
      }) as Producer;
    },
  } as unknown as Kafka;
  return { kafka, sends: () => sends };
}

describe("relay: a failed send", () => {
  it("that Kafka took nonetheless is found on the topic and marked, not sent again: each event once, no quote out of order", { timeout: 120_000 }, async () => {
    const quoteIds = Array.from({ length: 25 }, () => randomUUID());
    const watch = await watchQuoteEvents(registry, quoteIds);
    await appendConcurrently({ quoteIds, versions: 4, writers: 6 });
    const flaky = lostAcks(createKafka("relay-failure-test")!, new Set([2, 5]));
    const relay = createRelay({ db: prisma(), kafka: flaky.kafka, registry, log: createLogger("relay-failure-test") });
    let failures = 0;
    try {
      for (let rounds = 0; rounds < 200; rounds++) {
        try {
          if ((await relay.publishBatch(15)) === 0) break;
        } catch {
          failures++;
        }
      }
      assert.equal(failures, 2);
      assert.equal(await countUnpublished(prisma(), quoteIds), 0);
      await eventually(async () => new Set(watch.received.map((r) => r.eventId)).size === quoteIds.length * 4, 30_000, "every event on the topic");
      // Time for a resend to show itself, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await relay.stop();
      await watch.stop();
    }
    assert.equal(watch.received.length, quoteIds.length * 4, "the batches whose acknowledgement was lost were not sent again");
    for (const [quoteId, versions] of versionsByQuote(watch.received)) assert.deepEqual(versions, [1, 2, 3, 4], `versions of ${quoteId}`);
  });
});

describe("relay: reading from the oldest unpublished row", () => {
  it("misses no row that commits between finding where to start and reading from there", { timeout: 60_000 }, async () => {
    const late = randomUUID();
    const early = randomUUID();
    const insert = (client: pg.Client, quoteId: string) =>
      client.query(
        `INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at)
         VALUES ($1, $2, 1, 'QuoteStarted', $3, $4, NULL, '{"kind":"customer"}', now())`,
        [randomUUID(), quoteId, JSON.stringify({ quoteId }), randomUUID()],
      );
    const slow = new pg.Client({ connectionString: config().DATABASE_URL });
    const fast = new pg.Client({ connectionString: config().DATABASE_URL });
    await Promise.all([slow.connect(), fast.connect()]);
    // The late row takes the older transaction id but commits after the early one.
    await slow.query("BEGIN");
    await insert(slow, late);
    await insert(fast, early);

    // The late row commits right after the relay's first statement, before its read.
    let statements = 0;
    const db = new Proxy(prisma(), {
      get: (target, property, receiver) =>
        property === "$queryRaw"
          ? async (...args: Parameters<PrismaClient["$queryRaw"]>) => {
              const result = await target.$queryRaw(...args);
              if (++statements === 1) await slow.query("COMMIT");
              return result;
            }
          : Reflect.get(target, property, receiver),
    });
    const relay = createRelay({ db, kafka: createKafka("relay-start-test")!, registry, log: createLogger("relay-start-test") });
    try {
      while ((await relay.publishBatch(2_000, { horizonWaitMs: 100 })) > 0);
    } finally {
      await relay.stop();
      await Promise.all([slow.end(), fast.end()]);
    }
    assert.ok(statements >= 2);
    assert.equal(await countUnpublished(prisma(), [late, early]), 0, "both rows published");
  });
});
