import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, submitQuote, validDetails } from "../http/testing/quote-api-client";
import { createLogger } from "../logging/logger";
import { decodeEvent } from "./avro/event-codec";
import { builtInRegistry } from "./avro/schema-registry";
import { createKafka } from "./kafka-client";
import { createRelay } from "./relay";
import { countUnpublished } from "./relay-progress";
import { quoteEventsTopic } from "./topics";
import type { RecordedEvent } from "../domain/quote";
import { dataKeyring } from "../privacy/configured-keyring";
import { openEvent } from "../privacy/event-sealing";
import { isSealed } from "../privacy/sealed-value";

const kafka = createKafka("relay-test")!;
const registry = builtInRegistry();
const relay = createRelay({ db: prisma(), kafka, registry, log: createLogger("relay-test") });
after(async () => {
  await relay.stop();
  await prisma().$disconnect();
});

async function drainRelay() {
  while ((await relay.publishBatch()) > 0);
}

describe("relay: event store → Avro → the real Kafka broker", () => {
  it("a quote driven through the HTTP API arrives as Avro messages, in order, decoded by a separate consumer into the stored events", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    for (const page of ["geographic", "contact", "family"] as const) await capture(page, quoteId, validDetails[page], auth);
    await capture("contact", quoteId, { ...validDetails.contact, email: "ada.lovelace@example.com" }, auth);
    assert.equal((await submitQuote(quoteId, auth)).status, 200);
    await drainRelay();
    assert.equal(await countUnpublished(prisma(), [quoteId]), 0, "every event marked published");

    const consumer = kafka.consumer({ groupId: `relay-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: quoteEventsTopic(), fromBeginning: true });
    const received: Array<{ event: RecordedEvent; partition: number; schemaMagic: number }> = [];
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          if (message.key?.toString() !== quoteId) return;
          received.push({ event: decodeEvent(message.value!, registry), partition, schemaMagic: message.value![0]! });
          if (received.length === 6) resolve();
        },
      });
    });
    try {
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`received ${received.length} of 6`)), 30_000))]);
    } finally {
      await consumer.disconnect();
    }

    assert.deepEqual(received.map((r) => r.event.type), ["QuoteStarted", "GeographicDetailsCaptured", "ContactDetailsCaptured", "FamilyDetailsCaptured", "ContactDetailsCaptured", "QuoteSubmitted"]);
    assert.deepEqual(received.map((r) => r.event.version), [1, 2, 3, 4, 5, 6]);
    assert.equal(new Set(received.map((r) => r.partition)).size, 1, "one quote → one partition");
    assert.ok(received.every((r) => r.schemaMagic === 0), "Confluent wire format");
    const stored = (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((row) => row.eventId);
    assert.deepEqual(received.map((r) => r.event.eventId), stored);
    // On the wire the email is ciphertext; the consumer reads it with the quote's data key.
    const onTheWire = received[4]!.event;
    assert.ok(onTheWire.type === "ContactDetailsCaptured" && isSealed(onTheWire.data.details.email), "the email is encrypted on Kafka");
    const contact = openEvent(onTheWire, await dataKeyring(prisma()).key(quoteId));
    assert.equal(contact.type === "ContactDetailsCaptured" && contact.data.details.email, "ada.lovelace@example.com");
    assert.deepEqual(received[0]!.event.actor, { kind: "customer" });
  });
});
