import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kafka, Message } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { decodeEvent } from "./avro/event-codec";
import { builtInRegistry } from "./avro/schema-registry";
import { sampleEvents } from "./avro/test-samples";
import { createRelay, RELAY_UNMARKED_LIMIT } from "./relay";
import type { ReconcileResult } from "./relay-reconcile";

const registry = builtInRegistry();

interface Row {
  txId: bigint;
  position: bigint;
  published: boolean;
}

const after = (row: Row, txId: bigint, position: bigint) => row.txId > txId || (row.txId === txId && row.position > position);

/**
 * The events table and the relay's progress as the relay's statements see them: every row final (below the horizon),
 * in (tx_id, position) order. A row is published once the progress has passed it, or when a reconcile marked it.
 */
function fakeOutbox(rows: Row[]) {
  const log: string[] = [];
  let progress = { txId: 0n, position: 0n };
  const sorted = () => [...rows].sort((a, b) => (a.txId === b.txId ? Number(a.position - b.position) : Number(a.txId - b.txId)));
  const db = {
    async $queryRaw(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = strings.join("?");
      if (sql.includes("FROM relay_progress")) return [{ tx_id: progress.txId.toString(), position: progress.position }];
      const [txId, position, limit] = values as [string, bigint, number];
      const found = sorted().filter((r) => after(r, BigInt(txId), position)).slice(0, limit);
      log.push(`read after ${txId}/${position}: ${found.map((r) => `${r.position}${r.published ? " (on the topic)" : ""}`).join(",")}`);
      const horizon = { horizon: "1000", waiting: false };
      if (!found.length) return [{ ...horizon, tx_id: null, position: null }];
      const event = sampleEvents.ContactDetailsCaptured;
      return found.map((r) => ({
        ...horizon,
        tx_id: r.txId.toString(),
        position: r.position,
        published: r.published,
        event_id: event.eventId,
        stream_id: event.quoteId,
        version: Number(r.position),
        type: event.type,
        data: event.data,
        correlation_id: event.correlationId,
        causation_id: event.causationId,
        actor: event.actor,
        occurred_at: new Date(event.occurredAt),
      }));
    },
    async $executeRaw(_strings: TemplateStringsArray, ...values: unknown[]) {
      const [txId, position] = values as [string, bigint];
      const to = { txId: BigInt(txId), position };
      if (!after({ ...to, published: false }, progress.txId, progress.position)) return 0;
      const marked = sorted().filter((r) => !r.published && after(r, progress.txId, progress.position) && !after(r, to.txId, to.position));
      for (const r of marked) r.published = true;
      progress = to;
      log.push(`mark ${marked.map((r) => r.position).join(",")}`);
      return 1;
    },
  };
  return { db: db as unknown as PrismaClient, log };
}

/** A Kafka whose sends wait for `ack()`, or fail when told to; records what each send carried. */
function fakeKafka() {
  const sent: number[][] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const kafka = {
    producer: () => ({
      connect: async () => {},
      disconnect: async () => {},
      send: ({ messages }: { messages: Message[] }) =>
        new Promise<void>((resolve, reject) => {
          sent.push(messages.map((m) => decodeEvent(m.value as Buffer, registry).version));
          pending.push({ resolve, reject });
        }),
    }),
  } as unknown as Kafka;
  const next = async () => {
    while (!pending.length) await new Promise((resolve) => setTimeout(resolve, 1));
    return pending.shift()!;
  };
  return { kafka, sent, ack: async () => (await next()).resolve(), fail: async () => (await next()).reject(new Error("broker gone")) };
}

const silent = { warn() {}, info() {}, error() {}, debug() {} } as unknown as Logger;
const rowsOf = (...spec: Array<[number, number]>) => spec.map(([txId, position]) => ({ txId: BigInt(txId), position: BigInt(position), published: false }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
/** A topic that holds none of the unpublished rows. */
const nothingOnTopic = async (): Promise<ReconcileResult> => ({ tail: 0, read: 0, marked: 0, ms: 0 });

/** A reconcile that finds on the topic the rows at `positions()` (and marks them), logging each call. */
function fakeReconcile(rows: Row[], log: string[], positions: () => number[]) {
  const limits: number[] = [];
  const reconcile = async (unmarkedLimit: number): Promise<ReconcileResult> => {
    limits.push(unmarkedLimit);
    const found = rows.filter((r) => !r.published && positions().includes(Number(r.position)));
    for (const r of found) r.published = true;
    log.push(`reconcile: ${found.map((r) => r.position).join(",")}`);
    return { tail: unmarkedLimit, read: found.length, marked: found.length, ms: 0 };
  };
  return { reconcile, limits };
}

describe("relay pipeline", () => {
  it("goes in (tx_id, position) order, reads the next batch while one is sent, and marks a batch only after its acknowledgement", async () => {
    // tx 10 took positions 3 and 4 but committed after tx 7 (positions 1, 2, 5).
    const { db, log } = fakeOutbox(rowsOf([10, 3], [7, 1], [7, 2], [10, 4], [7, 5], [12, 6]));
    const kafka = fakeKafka();
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, reconcile: nothingOnTopic });

    const first = relay.publishBatch(2);
    await tick();
    assert.deepEqual(kafka.sent, [[1, 2]]);
    assert.deepEqual(log, ["read after 0/0: 1,2", "read after 7/2: 5,3"], "the next batch is read while the first is in flight, nothing marked yet");
    await kafka.ack();
    assert.equal(await first, 2);

    const second = relay.publishBatch(2);
    await tick();
    assert.deepEqual(kafka.sent, [[1, 2], [5, 3]]);
    assert.ok(log.includes("mark 1,2"), "the first batch is marked beside the second's send");
    await kafka.ack();
    assert.equal(await second, 2);

    const third = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await third, 2);
    assert.equal(await relay.publishBatch(2), 0);
    assert.deepEqual(kafka.sent, [[1, 2], [5, 3], [4, 6]]);
    assert.deepEqual(log.filter((l) => l.startsWith("mark")), ["mark 1,2", "mark 5,3", "mark 4,6"]);
    await relay.stop();
  });

  it("after a failed send marks nothing of it and starts again from its recorded progress", async () => {
    const rows = rowsOf([5, 1], [5, 2], [6, 3], [6, 4], [7, 5], [7, 6]);
    const { db } = fakeOutbox(rows);
    const kafka = fakeKafka();
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, reconcile: nothingOnTopic });

    const first = relay.publishBatch(2);
    await kafka.ack();
    await first;
    const second = relay.publishBatch(2);
    await kafka.fail();
    await assert.rejects(second, /broker gone/);
    assert.deepEqual(rows.filter((r) => r.published).map((r) => Number(r.position)), [1, 2], "the failed batch stays unpublished");

    const again = relay.publishBatch(2);
    await kafka.ack();
    await again;
    const last = relay.publishBatch(2);
    await kafka.ack();
    await last;
    assert.equal(await relay.publishBatch(2), 0);
    assert.deepEqual(kafka.sent, [[1, 2], [3, 4], [3, 4], [5, 6]], "the failed batch is sent again, then the rest in order");
    assert.ok(rows.every((r) => r.published));
    await relay.stop();
  });

  it("does not send when it may no longer publish, and starts from its recorded progress once it may again", async () => {
    const rows = rowsOf([5, 1], [5, 2], [6, 3]);
    const { db } = fakeOutbox(rows);
    const kafka = fakeKafka();
    let leader = true;
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, canPublish: () => leader, reconcile: nothingOnTopic });
    const first = relay.publishBatch(2);
    await kafka.ack();
    await first;
    leader = false;
    assert.equal(await relay.publishBatch(2), 0);
    assert.deepEqual(kafka.sent, [[1, 2]]);
    leader = true;
    const resumed = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await resumed, 1);
    assert.deepEqual(kafka.sent, [[1, 2], [3]]);
    await relay.stop();
  });

  it("reconciles before its first send: rows whose events the topic already holds are marked, not sent again", async () => {
    // A predecessor sent 1..4 and died before marking them.
    const rows = rowsOf([5, 1], [5, 2], [6, 3], [6, 4], [7, 5], [7, 6]);
    const { db, log } = fakeOutbox(rows);
    const kafka = fakeKafka();
    const topic = fakeReconcile(rows, log, () => [1, 2, 3, 4]);
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, reconcile: topic.reconcile });

    const first = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await first, 2);
    assert.equal(await relay.publishBatch(2), 0);
    assert.deepEqual(kafka.sent, [[5, 6]], "only what the topic did not hold");
    assert.equal(log[0], "reconcile: 1,2,3,4", "the reconcile comes before the first read");
    assert.deepEqual(topic.limits, [RELAY_UNMARKED_LIMIT], "it reads back as far as a relay can leave unmarked");
    assert.ok(rows.every((r) => r.published));
    await relay.stop();
  });

  it("after a failed send reconciles again before sending: what Kafka took despite the failure is not sent twice", async () => {
    const rows = rowsOf([5, 1], [5, 2], [6, 3], [6, 4], [7, 5], [7, 6]);
    const { db, log } = fakeOutbox(rows);
    const kafka = fakeKafka();
    // The send of 3 and 4 fails as the client sees it (an answer lost), yet the broker appended them.
    const onTopic: number[] = [];
    const topic = fakeReconcile(rows, log, () => onTopic);
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, reconcile: topic.reconcile });

    const first = relay.publishBatch(2);
    await kafka.ack();
    await first;
    const second = relay.publishBatch(2);
    onTopic.push(1, 2, 3, 4);
    await kafka.fail();
    await assert.rejects(second, /broker gone/);

    const again = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await again, 2);
    assert.equal(await relay.publishBatch(2), 0);
    assert.deepEqual(kafka.sent, [[1, 2], [3, 4], [5, 6]], "3 and 4 are not sent again");
    assert.deepEqual(log.filter((l) => l.startsWith("reconcile")), ["reconcile: ", "reconcile: 3,4"]);
    assert.ok(rows.every((r) => r.published));
    await relay.stop();
  });

  it("sends nothing while the reconcile fails, and reconciles again on the next round", async () => {
    const rows = rowsOf([5, 1], [5, 2]);
    const { db } = fakeOutbox(rows);
    const kafka = fakeKafka();
    let reachable = false;
    let calls = 0;
    const relay = createRelay({
      db,
      kafka: kafka.kafka,
      registry,
      log: silent,
      reconcile: async () => {
        calls++;
        if (!reachable) throw new Error("could not read back the end of quote-events");
        return nothingOnTopic();
      },
    });
    await assert.rejects(relay.publishBatch(2), /could not read back/);
    assert.deepEqual(kafka.sent, []);
    reachable = true;
    const next = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await next, 2);
    assert.equal(calls, 2);
    assert.equal(await relay.publishBatch(2), 0);
    assert.equal(calls, 2, "no reconcile while nothing failed");
    await relay.stop();
  });

  it("reconcile() forgets the position and reconciles at once; the next batch starts from its recorded progress", async () => {
    const rows = rowsOf([5, 1], [5, 2], [6, 3], [6, 4]);
    const { db, log } = fakeOutbox(rows);
    const kafka = fakeKafka();
    const onTopic: number[] = [];
    const relay = createRelay({ db, kafka: kafka.kafka, registry, log: silent, reconcile: fakeReconcile(rows, log, () => onTopic).reconcile });
    const first = relay.publishBatch(2);
    await kafka.ack();
    await first;
    // Another relay published 3 meanwhile without marking it.
    onTopic.push(3);
    assert.equal((await relay.reconcile()).marked, 1);
    const next = relay.publishBatch(2);
    await kafka.ack();
    assert.equal(await next, 1);
    assert.deepEqual(kafka.sent, [[1, 2], [4]]);
    await relay.stop();
  });
});
