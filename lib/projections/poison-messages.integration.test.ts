import { TEST_DRAIN_SECRET } from "../worker/testing/drain-secret";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Kafka, logLevel, Partitioners, type Message } from "kafkajs";
import pino from "pino";
import { config } from "../config";
import { prisma } from "../db/prisma";
import type { RecordedEvent } from "../domain/quote";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { encodeEvent } from "../messaging/avro/event-codec";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsTopic } from "../messaging/topics";
import * as statusRoute from "../../app/api/worker/route";
import type { WorkerStatus } from "../worker/worker-status";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "./generations";
import { startKafkaProjector, type KafkaProjector } from "./kafka-projector";
import { eventually, testRelay } from "./testing/kafka";

/** What an operator would read: the projector's log lines, and kafkajs's own error lines. */
const projectorLog: Array<{ msg: string; quoteId?: string; reason?: string }> = [];
const kafkajsErrors: string[] = [];
const kafka = new Kafka({
  clientId: `poison-test-${randomUUID().slice(0, 8)}`,
  brokers: config().KAFKA_BROKERS!,
  logLevel: logLevel.ERROR,
  logCreator: () => ({ level, log }) => {
    if (level <= logLevel.ERROR) kafkajsErrors.push(log.message);
  },
});
const relay = testRelay(kafka);
const registry = builtInRegistry();
const groupId = `poison-test-${randomUUID()}`;
let projector: KafkaProjector;
let crashes = 0;

before(async () => {
  const log = pino({ level: "info" }, { write: (line: string) => void projectorLog.push(JSON.parse(line)) });
  projector = await startKafkaProjector({ kafka, db: prisma(), databaseUrl: config().DATABASE_URL, registry, log, groupId, sessionTimeoutMs: 6_000 });
  projector.consumer.on(projector.consumer.events.CRASH, () => crashes++);
});
after(async () => {
  await projector.stop();
  await relay.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const liveDb = async () => readModelClient(await activeGeneration(prisma()));

/** The partition the relay's partitioner puts a key on, from the topic's real metadata. */
async function partitionOf(keys: string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const { topics } = await admin.fetchTopicMetadata({ topics: [quoteEventsTopic()] });
  await admin.disconnect();
  const partitioner = Partitioners.DefaultPartitioner();
  return new Map(keys.map((key) => [key, partitioner({ topic: quoteEventsTopic(), partitionMetadata: topics[0]!.partitions, message: { key, value: null } })]));
}

function recorded(quoteId: string, version: number, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  const base = { eventId: randomUUID(), quoteId, version, occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, actor: { kind: "customer" as const } };
  const event = version === 1 ? { ...base, type: "QuoteStarted" as const, data: { quoteId } } : { ...base, type: "ContactDetailsCaptured" as const, data: { details: validDetails.contact } };
  return { ...event, ...overrides } as RecordedEvent;
}
// Plain answers, as events stored before encryption are published: with the newest schema that takes text.
const encode = (event: RecordedEvent) => encodeEvent(event, registry);

async function groupLag(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(quoteEventsTopic()), admin.fetchOffsets({ groupId, topics: [quoteEventsTopic()] })]);
    const at = new Map(committed!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
    return ends.reduce((sum, end) => sum + Number(BigInt(end.high) - ((at.get(end.partition) ?? -1n) < 0n ? 0n : at.get(end.partition)!)), 0);
  } finally {
    await admin.disconnect();
  }
}

async function status(): Promise<WorkerStatus> {
  const res = await statusRoute.GET(new Request("http://127.0.0.1/api/worker", { headers: { authorization: `Bearer ${TEST_DRAIN_SECRET}` } }));
  return (await res.json()) as WorkerStatus;
}

describe("bad messages on quote-events", () => {
  it("each is parked with its reason and passed; every valid quote on the same partitions is projected; lag returns to zero", { timeout: 120_000 }, async () => {
    // Valid traffic first: quotes started over HTTP, so every partition they land on has a valid quote to watch.
    const valid = await Promise.all(Array.from({ length: 12 }, () => startQuoteOverHttp()));
    const gapQuote = await startQuoteOverHttp();
    await relay.drain();
    const partitions = await partitionOf(valid.map((q) => q.quoteId));
    const used = [...new Set(partitions.values())];
    const on = (i: number) => used[i % used.length]!;

    const fresh = () => randomUUID();
    const good = encode(recorded(fresh(), 1));
    const sideQuote = fresh();
    const mismatched = fresh();
    const refusedQuote = fresh();
    const refusedTime = fresh();
    const unknownSchema = Buffer.from(good);
    unknownSchema.writeUInt32BE(9_999, 1);
    const wrongMagic = Buffer.from(good);
    wrongMagic[0] = 7;
    const bad: Array<Message & { partition: number; why: RegExp }> = [
      { key: "poison-1", value: randomBytes(7), partition: on(0), why: /not a quote id/ },
      { key: null, value: good, partition: on(1), why: /no key/ },
      { key: fresh(), value: Buffer.alloc(0), partition: on(2), why: /EventDecodeError/ },
      { key: fresh(), value: good.subarray(0, good.length - 9), partition: on(3), why: /EventDecodeError/ },
      { key: fresh(), value: wrongMagic, partition: on(4), why: /magic/i },
      { key: fresh(), value: unknownSchema, partition: on(5), why: /Unknown schema id 9999/ },
      ...(() => {
        const ghost = fresh();
        return [{ key: ghost, value: encode(recorded(ghost, 2)), partition: on(6), why: /version 2 does not follow 0/ }];
      })(),
      { key: gapQuote.quoteId, value: encode(recorded(gapQuote.quoteId, 3)), partition: (await partitionOf([gapQuote.quoteId])).get(gapQuote.quoteId)!, why: /version 3 does not follow 1/ },
      { key: mismatched, value: encode(recorded(fresh(), 1)), partition: on(7), why: /is for quote .* but arrived under key/ },
      { key: refusedQuote, value: encode(recorded(refusedQuote, 1, { eventId: "not-a-uuid" })), partition: on(8), why: /refused.*uuid/ },
      { key: refusedTime, value: encode(recorded(refusedTime, 1, { occurredAt: "when the cows come home" })), partition: on(9), why: /refused/ },
    ];
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // The refused values travel in one send with a valid quote's two events on the same partition: one batch.
    await producer.send({
      topic: quoteEventsTopic(),
      acks: -1,
      messages: [
        ...bad.map(({ key, value, partition }) => ({ key, value, partition })),
        { key: sideQuote, value: encode(recorded(sideQuote, 1)), partition: on(8) },
        { key: sideQuote, value: encode(recorded(sideQuote, 2)), partition: on(8) },
      ],
    });
    await producer.disconnect();

    // More valid traffic behind the bad messages, on the same partitions; the gap quote's next event waits.
    await Promise.all(valid.map((q) => capture("contact", q.quoteId, validDetails.contact, q.auth)));
    await capture("contact", gapQuote.quoteId, validDetails.contact, gapQuote.auth);
    await relay.drain();

    const live = await liveDb();
    const ids = valid.map((q) => q.quoteId);
    const started = Date.now();
    await eventually(async () => (await live.quoteDetails.count({ where: { quoteId: { in: [...ids, sideQuote] }, version: 2 } })) === ids.length + 1, 20_000);
    console.log(`poison test: every valid quote projected ${Date.now() - started} ms after the last write`);

    const keys = bad.map((b) => (b.key === null ? "" : String(b.key)));
    const letters = await eventually(async () => {
      const found = await live.projectionDeadLetter.findMany({ where: { quoteId: { in: keys }, state: "parked" }, orderBy: { id: "asc" } });
      return found.length >= bad.length ? found : null;
    }, 20_000);
    for (const message of bad) {
      const key = message.key === null ? "" : String(message.key);
      const letter = letters.find((l) => l.quoteId === key && l.source === `kafka:${quoteEventsTopic()}:${message.partition}`);
      assert.ok(letter, `parked: ${key || "(no key)"}`);
      assert.match(letter.error, message.why, `reason for ${key || "(no key)"}`);
    }
    // The gap quote's next event may be on a partition the projector reaches after the others.
    const gapLetters = await eventually(async () => {
      const found = await live.projectionDeadLetter.findMany({ where: { quoteId: gapQuote.quoteId }, orderBy: { id: "asc" } });
      return found.length >= 2 ? found : null;
    }, 20_000, "the gap quote's two dead letters");
    assert.deepEqual(gapLetters.map((l) => l.state), ["parked", "held"], "the gap quote's next event waits behind the gap");
    assert.equal((await live.quoteDetails.findUnique({ where: { quoteId: gapQuote.quoteId } }))?.version, 1);
    assert.equal(await live.quoteDetails.count({ where: { quoteId: { in: [refusedQuote, refusedTime] } } }), 0, "nothing of a refused event is kept");

    await eventually(async () => (await groupLag()) === 0, 20_000);
    const seen = await eventually(async () => {
      const s = await status();
      return s.projection.totalLag === 0 ? s : null;
    }, 20_000);
    assert.ok(seen.deadLetters.parked >= bad.length);
    assert.ok(seen.deadLetters.held >= 1);
    for (const key of keys) assert.ok(seen.deadLetters.recent.some((p) => p.quoteId === key && p.reason), `GET /api/worker lists ${key || "(no key)"}`);

    // Time for a retry loop to show itself, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const parkedLines = projectorLog.filter((line) => line.msg === "message parked in the dead-letter queue");
    for (const key of keys) assert.equal(parkedLines.filter((line) => line.quoteId === key).length, 1, `one log line for ${key || "(no key)"}`);
    assert.equal(parkedLines.length, bad.length, "one line per parked message");
    assert.deepEqual(kafkajsErrors.filter((line) => /eachBatch|crash/i.test(line)), [], "kafkajs never saw an error of the projector");
    assert.equal(crashes, 0);
    assert.equal(projectorLog.filter((line) => line.msg === "projection batch failed; retrying").length, 0, "no failure was retried");
  });
});
