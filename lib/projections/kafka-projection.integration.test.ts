import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AssignerProtocol, Partitioners } from "kafkajs";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { encodeEventWith } from "../messaging/avro/event-codec";
import { builtInRegistry, SchemaRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsDlqTopic, quoteEventsTopic } from "../messaging/topics";
import { toRecordedEvent } from "../eventstore/event-store";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "./generations";
import { replayDeadLetters } from "./replay-dead-letters";
import { eventually, testKafka, testKafkaProjector, testRelay } from "./testing/kafka";

const kafka = testKafka();
const relay = testRelay(kafka);
let projector: Awaited<ReturnType<typeof testKafkaProjector>>;
before(async () => {
  projector = await testKafkaProjector(kafka);
});
after(async () => {
  await projector.stop();
  await relay.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const liveDb = async () => readModelClient(await activeGeneration(prisma()));

describe("Kafka-mode projection", () => {
  it("read-your-writes: right after a page submit, the quote query returns the new values", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const res = await capture("contact", quoteId, validDetails.contact, auth);
    const { version } = (await res.json()) as { version: number };
    await relay.drain();
    const withVersion = await fetchView(quoteId, auth, version);
    assert.equal(withVersion.stale, false);
    assert.equal(withVersion.version, version);
    assert.deepEqual(withVersion.contactDetails, validDetails.contact);
  });

  it("a poison message goes to the DLQ while the rest is projected; its quote's later events wait; replay applies them after the fix", async () => {
    // Quote X: its events are produced by hand so that its second one is written with a schema id this reader
    // does not know yet (a newer producer's schema): a message that cannot be decoded.
    const x = await startQuoteOverHttp();
    await capture("geographic", x.quoteId, validDetails.geographic, x.auth);
    await capture("contact", x.quoteId, validDetails.contact, x.auth);
    await capture("family", x.quoteId, validDetails.family, x.auth);
    const rows = await prisma().storedEvent.findMany({ where: { streamId: x.quoteId }, orderBy: { version: "asc" } });
    await prisma().storedEvent.updateMany({ where: { streamId: x.quoteId }, data: { publishedAt: new Date() } });
    const registry = builtInRegistry();
    const latestGeo = registry.latest("GeographicDetailsCaptured");
    const newer = { ...latestGeo, id: 9_999, version: latestGeo.version + 1 };
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: quoteEventsTopic(),
      acks: -1,
      messages: rows.map((row) => {
        const event = toRecordedEvent(row);
        const writer = event.type === "GeographicDetailsCaptured" ? newer : registry.latest(event.type);
        return { key: x.quoteId, value: encodeEventWith(event, writer) };
      }),
    });
    await producer.disconnect();

    // Quote Y goes through the ordinary relay meanwhile.
    const y = await startQuoteOverHttp();
    await capture("contact", y.quoteId, validDetails.contact, y.auth);
    await relay.drain();

    const live = await liveDb();
    await eventually(async () => (await live.quoteDetails.findUnique({ where: { quoteId: y.quoteId } }))?.version === 2);
    const letters = await eventually(async () => {
      const found = await live.projectionDeadLetter.findMany({ where: { quoteId: x.quoteId }, orderBy: { id: "asc" } });
      return found.length === 3 ? found : null;
    });
    assert.deepEqual(letters.map((l) => l.state), ["parked", "held", "held"]);
    assert.match(letters[0]!.error, /9999|schema/i);
    assert.equal((await live.quoteDetails.findUnique({ where: { quoteId: x.quoteId } }))?.version, 1, "X stays at its last good event");

    const dlq = await readDlq(x.quoteId);
    assert.equal(dlq.headers["original-topic"], quoteEventsTopic());
    assert.match(dlq.headers["original-offset"]!, /^\d+$/);
    assert.match(dlq.headers["original-partition"]!, /^\d+$/);
    assert.ok(dlq.headers.error);

    // The fix: deploy a registry that knows the newer schema, then replay.
    const fixed = new SchemaRegistry([...registry.entries(), newer]);
    const schema = await activeGeneration(prisma());
    const replay = await replayDeadLetters(live, schema, fixed);
    assert.deepEqual(replay.stillFailing.filter((f) => f.quoteId === x.quoteId), []);
    const details = await live.quoteDetails.findUnique({ where: { quoteId: x.quoteId } });
    assert.equal(details?.version, 4);
    assert.deepEqual(details?.familyDetails, validDetails.family);
    assert.equal(await live.projectionDeadLetter.count({ where: { quoteId: x.quoteId } }), 0);
    assert.equal(await live.quoteTimelineEntry.count({ where: { quoteId: x.quoteId } }), 4, "each event once on the timeline");
  });
});

async function fetchView(quoteId: string, auth: Record<string, string>, minVersion: number) {
  const { GET } = await import("../../app/api/quotes/[quoteId]/route");
  const res = await GET(new Request(`http://127.0.0.1/api/quotes/${quoteId}?minVersion=${minVersion}`, { headers: auth }), { params: Promise.resolve({ quoteId }) });
  return (await res.json()) as { stale: boolean; version: number; contactDetails: unknown };
}

async function readDlq(quoteId: string) {
  const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: quoteEventsDlqTopic(), fromBeginning: true });
  try {
    return await new Promise<{ headers: Record<string, string> }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no DLQ message")), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== quoteId) return;
          clearTimeout(timer);
          resolve({ headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

describe("two projectors in one consumer group", () => {
  it("split the partitions, and a rebalance when one stops applies nothing twice", async () => {
    const group = `split-test-${randomUUID()}`;
    const { startKafkaProjector } = await import("./kafka-projector");
    const { config } = await import("../config");
    const { createLogger } = await import("../logging/logger");
    const start = async (name: string) => {
      const applied: number[] = [];
      const p = await startKafkaProjector({ kafka, db: prisma(), databaseUrl: config().DATABASE_URL, registry: builtInRegistry(), log: createLogger(name), groupId: group, sessionTimeoutMs: 6_000, onBatch: (o) => applied.push(o.applied) });
      return { ...p, applied };
    };
    const a = await start("projector-a");
    const b = await start("projector-b");
    try {
      const admin = kafka.admin();
      await admin.connect();
      const assignment = await eventually(async () => {
        const { groups } = await admin.describeGroups([group]);
        const members = groups[0]?.members ?? [];
        return members.length === 2 && groups[0]!.state === "Stable" ? members : null;
      });
      await admin.disconnect();
      assert.equal(assignment.length, 2, "both members joined");
      const partitions = assignment.map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[quoteEventsTopic()] ?? []);
      assert.ok(partitions.every((p) => p.length > 0), `each member has partitions: ${JSON.stringify(partitions)}`);
      assert.deepEqual([...partitions[0]!, ...partitions[1]!].sort(), [0, 1, 2, 3, 4, 5], "together they hold every partition, once");

      const drive = async (n: number) => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          const { quoteId, auth } = await startQuoteOverHttp();
          await capture("contact", quoteId, validDetails.contact, auth);
          ids.push(quoteId);
        }
        await relay.drain();
        return ids;
      };
      const first = await drive(30);
      const live = await liveDb();
      await eventually(async () => (await live.quoteDetails.count({ where: { quoteId: { in: first }, version: 2 } })) === first.length);

      await b.stop();
      const second = await drive(30);
      await eventually(async () => (await live.quoteDetails.count({ where: { quoteId: { in: second }, version: 2 } })) === second.length, 60_000);

      const all = [...first, ...second];
      const timeline = await live.quoteTimelineEntry.count({ where: { quoteId: { in: all } } });
      assert.equal(timeline, all.length * 2, "every event exactly once");
    } finally {
      await a.stop();
      await b.stop().catch(() => {});
    }
  });
});
