// Migrating the history on the test PostgreSQL and Kafka: events written before encryption (plain in the events table and
// on the topic) are encrypted in place, then the topic is copied into a new one with them encrypted; an erased quote
// stays erased, a second run changes nothing, and read models rebuilt from the copy are those of the original.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { Partitioners, type KafkaMessage } from "kafkajs";
import { config } from "../../config";
import { prisma } from "../../db/prisma";
import type { QuoteEvent, RecordedEvent } from "../../domain/quote";
import { ERASED, PERSONAL_EVENT_TYPES } from "../../domain/quote/personal-data";
import { createEventStore, toRecordedEvent, type EventRow } from "../../eventstore/event-store";
import { decodeEvent, decodeRecord, encodeEvent } from "../../messaging/avro/event-codec";
import { builtInRegistry } from "../../messaging/avro/schema-registry";
import { topicLayout } from "../../messaging/copy-topic-layout";
import { readPartitions } from "../../messaging/partition-reader";
import { disconnectReadModelClients, readModelClient } from "../../projections/generations";
import { rebuildReadModels } from "../../projections/rebuild";
import { testKafka } from "../../projections/testing/kafka";
import { repoRoot } from "../../../scripts/lib/paths";
import { serverNodeArgs } from "../../../scripts/lib/server-node";
import { dataKeyring } from "../configured-keyring";
import { openEvent } from "../event-sealing";
import { copyTopic } from "./copy-topic";
import { encryptStoredEvents } from "./encrypt-stored-events";
import { erasePlainValues, plainValueCount } from "./plain-values";

const kafka = testKafka();
const registry = builtInRegistry();
const run = randomUUID().slice(0, 8);
const source = `history-source-${run}`;
const target = `history-target-${run}`;
const keyring = () => dataKeyring(prisma());
const admin = kafka.admin();

before(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: source, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: "retention.ms", value: "-1" }] }], waitForLeaders: true });
});
after(async () => {
  await admin.deleteTopics({ topics: [source, target] }).catch(() => {});
  await admin.disconnect();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

/** A customer with values found nowhere else, so finding one anywhere is this test's leak. */
function uniquePerson() {
  const tag = randomBytes(4).toString("hex");
  return {
    geographic: { country: "US" as const, state: "CA", city: `Historyville${tag}`, zipCode: `9${tag.slice(0, 4)}` },
    contact: { email: `history-${tag}@example.com`, phoneNumber: `+1 415 777 ${tag.slice(0, 4)}` },
    family: { numberOfDependents: 2, spouseName: `Ottilie${tag}`, childrenNames: [`Bartholomew${tag}`, `Clementine${tag}`] },
  };
}
type Person = ReturnType<typeof uniquePerson>;
const secretsOf = (person: Person) => [person.contact.email, person.contact.phoneNumber, person.geographic.city, person.geographic.zipCode, person.family.spouseName, ...person.family.childrenNames];
const answers = (quoteId: string, person: Person): QuoteEvent[] => [
  { type: "QuoteStarted", data: { quoteId } },
  { type: "GeographicDetailsCaptured", data: { details: person.geographic } },
  { type: "ContactDetailsCaptured", data: { details: person.contact } },
  { type: "FamilyDetailsCaptured", data: { details: person.family } },
];
const metadata = { correlationId: `history-${run}`, causationId: null, actor: { kind: "customer" as const } };

/** Events as the store wrote them before encryption existed: plain values, no data key. */
async function insertPlain(quoteId: string, events: QuoteEvent[], fromVersion = 1) {
  for (const [i, event] of events.entries()) {
    await prisma().$executeRaw`
      INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at)
      VALUES (${randomUUID()}::uuid, ${quoteId}::uuid, ${fromVersion + i}, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${metadata.correlationId}, null, '{"kind":"customer"}'::jsonb, now())`;
  }
}

const storedEvents = async (quoteId: string): Promise<RecordedEvent[]> =>
  (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((row) => toRecordedEvent(row as unknown as EventRow));

/** Publishes the quotes' stored events, as the relay did (plain ones with the schema version that takes text). */
async function publish(quoteIds: string[], fromVersion = 1) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (const quoteId of quoteIds) {
    const events = (await storedEvents(quoteId)).filter((event) => event.version >= fromVersion);
    await producer.send({
      topic: source,
      acks: -1,
      messages: events.map((event) => ({ key: quoteId, value: encodeEvent(event, registry), headers: { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01` } })),
    });
  }
  await producer.disconnect();
}

/** Every record of a topic, per partition, in order. */
async function readTopic(topic: string): Promise<Map<number, KafkaMessage[]>> {
  const ends = await admin.fetchTopicOffsets(topic);
  const records = new Map(ends.map((end) => [end.partition, [] as KafkaMessage[]]));
  const reached = new Map(ends.map((end) => [end.partition, 0n]));
  await readPartitions(kafka, {
    topic,
    from: new Map(ends.map((end) => [end.partition, 0n])),
    groupPrefix: "history-test-",
    eachBatch: async (partition, messages) => {
      records.get(partition)!.push(...messages);
      reached.set(partition, BigInt(messages[messages.length - 1]!.offset) + 1n);
    },
    finished: () => ends.every((end) => reached.get(end.partition)! >= BigInt(end.high)),
  });
  return records;
}
const rawBytes = (records: Map<number, KafkaMessage[]>) =>
  Buffer.concat([...records.values()].flat().flatMap((m) => [m.key ?? Buffer.alloc(0), m.value ?? Buffer.alloc(0), ...Object.values(m.headers ?? {}).map((h) => Buffer.from(String(h)))]));
/** `npm run privacy:migrate-history -- <args>` on the source topic, as an operator runs it; its output. */
async function migrateHistoryScript(...args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, serverNodeArgs("scripts/privacy/migrate-history.ts", ...args), {
    cwd: repoRoot,
    env: { ...process.env, KAFKA_EVENTS_TOPIC: source },
  });
  return stdout + stderr;
}
const total = (records: Map<number, KafkaMessage[]>) => [...records.values()].reduce((sum, list) => sum + list.length, 0);

describe("migrating the history: events table, then a copy of the topic", () => {
  const legacy = { quoteId: randomUUID(), person: uniquePerson() };
  const erased = { quoteId: randomUUID(), person: uniquePerson() };
  const encrypted = { quoteId: randomUUID(), person: uniquePerson() };
  const mixed = { quoteId: randomUUID(), person: uniquePerson() };
  const quoteIds = [legacy, erased, encrypted, mixed].map((q) => q.quoteId);
  const allSecrets = [legacy, erased, encrypted, mixed].flatMap((q) => secretsOf(q.person));
  let sourceRecords: Map<number, KafkaMessage[]>;

  it("given plain legacy quotes (one erased), an encrypted one and one half and half, published to the source topic, when --events runs, then no plain personal value is left in the events table and the erased quote's are the erased marker", async () => {
    await insertPlain(legacy.quoteId, answers(legacy.quoteId, legacy.person));
    await insertPlain(erased.quoteId, [...answers(erased.quoteId, erased.person), { type: "PersonalDataErased", data: { reason: "asked before encryption", erasedBy: "customer", agentId: null } }]);
    const store = createEventStore(prisma());
    await store.append(encrypted.quoteId, 0, answers(encrypted.quoteId, encrypted.person), metadata, { createDataKey: true });
    const [started, geographic, contact, family] = answers(mixed.quoteId, mixed.person);
    await insertPlain(mixed.quoteId, [started!, geographic!, contact!]);
    await store.append(mixed.quoteId, 3, [family!], metadata);
    await publish(quoteIds);
    sourceRecords = await readTopic(source);
    assert.equal(total(sourceRecords), 17);
    const sourceBytes = rawBytes(sourceRecords);
    for (const secret of [...secretsOf(legacy.person), ...secretsOf(erased.person)]) assert.ok(sourceBytes.includes(secret), `the source holds ${secret} in plain text, as history did`);
    assert.equal(await prisma().quoteDataKey.count({ where: { quoteId: { in: [legacy.quoteId, erased.quoteId] } } }), 0, "the legacy quotes have no key yet");

    const result = await encryptStoredEvents({ db: prisma(), keyring: keyring(), batchSize: 50 });
    assert.ok(result.quotesEncrypted >= 2 && result.quotesErased >= 1 && result.keysCreated >= 1, JSON.stringify(result));

    const personalRows = await prisma().storedEvent.findMany({ where: { type: { in: [...PERSONAL_EVENT_TYPES] } }, select: { type: true, data: true } });
    assert.deepEqual(personalRows.filter((row) => plainValueCount(row.type, row.data) > 0).length, 0, "no plain personal value in the whole events table");
    const dump = JSON.stringify(await prisma().storedEvent.findMany({ where: { streamId: { in: quoteIds } }, select: { data: true } }));
    for (const secret of allSecrets) assert.ok(!dump.includes(secret), `${secret} is not in the events table`);

    for (const quote of [legacy, encrypted, mixed]) {
      const events = await store.readStream(quote.quoteId);
      assert.deepEqual(events.slice(1).map((event) => event.data), [{ details: quote.person.geographic }, { details: quote.person.contact }, { details: quote.person.family }], "the store reads them back as they were");
    }
    assert.equal(await prisma().quoteDataKey.count({ where: { quoteId: erased.quoteId } }), 0, "no key is made for an erased quote");
    const erasedEvents = await storedEvents(erased.quoteId);
    assert.deepEqual(erasedEvents[2]!.data, { details: { email: ERASED, phoneNumber: ERASED } });
    assert.deepEqual(erasedEvents[3]!.data, { details: { numberOfDependents: 2, spouseName: ERASED, childrenNames: [ERASED, ERASED] } });

    const again = await migrateHistoryScript("--events");
    assert.match(again, /events: done — \d+ personal event\(s\) read; 0 plain value\(s\) in 0 event\(s\) rewritten/, "a second run finds nothing to do");
  });

  it("when --copy runs into a new topic, then it has the source's records, partition by partition in order with their keys and headers, each decoding and decrypting to the original, and none of the personal values in its bytes", async () => {
    const result = await copyTopic({ kafka, db: prisma(), keyring: keyring(), registry, source, target });
    assert.deepEqual(
      [result.targetCreated, result.partitions, result.alreadyCopied, result.copied, result.encrypted, result.erased, result.undecodable],
      [true, 3, 0, 17, 5, 3, 0],
      "5 plain records of the legacy and half-and-half quotes encrypted, 3 of the erased one given the marker",
    );
    const layout = await topicLayout(admin, target);
    assert.deepEqual(layout, await topicLayout(admin, source), "laid out as the source");

    const copied = await readTopic(target);
    const keys = await keyring().keys(quoteIds);
    for (const [partition, records] of sourceRecords) {
      const copies = copied.get(partition)!;
      assert.equal(copies.length, records.length, `partition ${partition} has as many records`);
      for (const [i, original] of records.entries()) {
        const copy = copies[i]!;
        assert.equal(copy.key?.toString(), original.key?.toString());
        assert.deepEqual(copy.headers, original.headers);
        const [before, after] = [decodeEvent(original.value!, registry), decodeEvent(copy.value!, registry)];
        assert.equal(after.eventId, before.eventId, `partition ${partition} keeps the source's order`);
        const opened = openEvent(after, keys.get(after.quoteId) ?? null);
        const expected = openEvent(before, keys.get(before.quoteId) ?? null);
        if (after.quoteId === erased.quoteId) assert.deepEqual(opened.data, erasePlainValues(before.type, before.data), "the erased quote's values read as erased");
        else assert.deepEqual(opened, expected, "decrypts to the original");
        if (plainValueCount(before.type, before.data) > 0 && after.quoteId !== erased.quoteId) {
          const { writerVersion, readerVersion } = decodeRecord(copy.value!, registry);
          assert.equal(writerVersion, readerVersion, "re-encoded with the version whose personal fields are bytes");
        }
      }
    }
    const bytes = rawBytes(copied);
    assert.ok(bytes.includes(legacy.quoteId), "the copy's bytes hold the records (the key is plain)");
    for (const secret of allSecrets) assert.ok(!bytes.includes(secret), `${secret} is not in the new topic`);
  });

  it("when --copy runs again, nothing is copied twice; with --follow --until-caught-up it copies only what reached the source since", async () => {
    const again = await migrateHistoryScript("--copy", "--to", target);
    assert.match(again, new RegExp(`copy: ${source} → ${target}`), "the script copies KAFKA_EVENTS_TOPIC");
    assert.match(again, /17 record\(s\) were there from an earlier run; 0 copied now/);
    for (const secret of allSecrets) assert.ok(!again.includes(secret), "the script prints no personal value");
    assert.equal(total(await readTopic(target)), 17);

    await createEventStore(prisma()).append(encrypted.quoteId, 4, [{ type: "ContactDetailsCaptured", data: { details: { ...encrypted.person.contact, email: `later-${run}@example.com` } } }], metadata);
    await publish([encrypted.quoteId], 5);
    const followed = await copyTopic({ kafka, db: prisma(), keyring: keyring(), registry, source, target, follow: true, untilCaughtUp: true });
    assert.deepEqual([followed.alreadyCopied, followed.copied, followed.asIs], [17, 1, 1]);
    const copied = await readTopic(target);
    assert.equal(total(copied), 18);
    assert.ok(!rawBytes(copied).includes(`later-${run}@example.com`));
  });

  it("when the read models are rebuilt from the new topic, they are those rebuilt from the old one", async () => {
    const rebuild = (topic: string) => rebuildReadModels({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, registry, topic, activate: false });
    const fromOld = await rebuild(source);
    const fromNew = await rebuild(target);
    const details = async (schema: string) =>
      (await readModelClient(schema).quoteDetails.findMany({ where: { quoteId: { in: quoteIds } }, orderBy: { quoteId: "asc" }, omit: { createdAt: true, updatedAt: true } }));
    const [old, copy] = [await details(fromOld.schema), await details(fromNew.schema)];
    assert.equal(copy.length, 4);
    assert.deepEqual(copy, old);
    assert.deepEqual(copy.find((q) => q.quoteId === legacy.quoteId)?.contactDetails, legacy.person.contact, "the customer still sees their answers");
    assert.equal(copy.find((q) => q.quoteId === erased.quoteId)?.personalDataErased, true);
    assert.deepEqual(copy.find((q) => q.quoteId === erased.quoteId)?.contactDetails, { email: ERASED, phoneNumber: ERASED });
  });
});
