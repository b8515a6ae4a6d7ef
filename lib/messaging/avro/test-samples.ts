/** Recorded events for the Avro tests: one (or more) of every event type, with every kind of actor. */
import "server-only";
import type { Actor } from "../../domain/quote/actor";
import type { QuoteEvent, QuoteEventType, RecordedEvent } from "../../domain/quote/events";
import { mapPersonalValues } from "../../domain/quote/personal-data";
import * as fixtures from "../../domain/quote/testing/fixtures";
import { bytesOf, isSealed, sealedOf } from "../../privacy/sealed-value";

const CUSTOMER: Actor = { kind: "customer" };
const AGENT: Actor = { kind: "agent", agentId: "agent-42" };
const WORKER: Actor = { kind: "system", name: "application-number-worker" };

let sequence = 0;
/** Stand-in ciphertext: the codec carries sealed values as opaque bytes, whatever they hold. */
const fakeSeal = (value: unknown) => sealedOf(Buffer.concat([Buffer.of(1), Buffer.from(String(value), "utf8")]));

/** The event as the store keeps it: its personal values sealed. */
export function sealedForTest<E extends { type: string; data: unknown }>(event: E): E {
  return { ...event, data: mapPersonalValues(event.type, event.data, fakeSeal) };
}

function recorded(event: QuoteEvent, actor: Actor, causationId: string | null = null): RecordedEvent {
  sequence += 1;
  return {
    ...sealedForTest(event),
    eventId: `0b6f3c9e-8d1a-4f63-9a57-${String(sequence).padStart(12, "0")}`,
    quoteId: fixtures.QUOTE_ID,
    version: sequence,
    occurredAt: `2025-06-01T10:${String(sequence).padStart(2, "0")}:07.123Z`,
    correlationId: "corr-7c1d",
    causationId,
    actor,
  };
}

/** One event of each type. */
export const sampleEvents: Readonly<Record<QuoteEventType, RecordedEvent>> = {
  QuoteStarted: recorded(fixtures.quoteStarted(), CUSTOMER),
  GeographicDetailsCaptured: recorded(fixtures.geographicDetailsCaptured(fixtures.TORONTO), CUSTOMER, "cmd-geo-1"),
  ContactDetailsCaptured: recorded(fixtures.contactDetailsCaptured(), CUSTOMER),
  FamilyDetailsCaptured: recorded(fixtures.familyDetailsCaptured(), CUSTOMER),
  QuoteSubmitted: recorded(fixtures.quoteSubmitted(), CUSTOMER, "cmd-submit-1"),
  ApplicationNumberAssigned: recorded(fixtures.applicationNumberAssigned(), WORKER, "0b6f3c9e-8d1a-4f63-9a57-000000000005"),
  ApplicationNumberRequestFailed: recorded(fixtures.applicationNumberRequestFailed(), WORKER),
  QuoteApproved: recorded(fixtures.quoteApproved(), AGENT),
  QuoteRejected: recorded(fixtures.quoteRejected(), AGENT),
  QuoteReferred: recorded(fixtures.quoteReferred(), AGENT),
  QuoteCancelled: recorded(fixtures.quoteCancelled(), CUSTOMER),
  QuoteExpired: recorded(fixtures.quoteExpired(), { kind: "system", name: "quote-expiry" }, "cmd-expire-1"),
  QuoteRequoted: recorded(fixtures.quoteRequoted("5f0b3f5e-2f0c-4a59-9d1e-000000000001"), CUSTOMER),
  QuoteReferredAutomatically: recorded(fixtures.quoteReferredAutomatically(), CUSTOMER, "cmd-submit-2"),
  QuoteApprovedAutomatically: recorded(fixtures.quoteApprovedAutomatically(), CUSTOMER, "cmd-submit-3"),
  PersonalDataErased: recorded(fixtures.personalDataErased("Asked on the phone", "agent", "agent-42"), AGENT),
  QuoteNoteAdded: recorded(fixtures.quoteNoteAdded(), AGENT),
  QuoteAssigned: recorded(fixtures.quoteAssigned("agent-7"), AGENT),
};

/** Edge cases: an absent optional field, a null the domain keeps, unicode, empty lists and strings. */
export const edgeCaseEvents: readonly RecordedEvent[] = [
  recorded(fixtures.familyDetailsCaptured({ numberOfDependents: 0, childrenNames: [] }), CUSTOMER),
  recorded(fixtures.familyDetailsCaptured({ numberOfDependents: 3, spouseName: "Zoë Ñúñez 李", childrenNames: ["Ólafur", "😀"] }), AGENT),
  recorded(fixtures.quoteApproved("Within appetite", "agent-7"), { kind: "agent", agentId: "agent-7" }),
  recorded(fixtures.quoteApproved(null), AGENT, "cmd-approve-2"),
  recorded(fixtures.geographicDetailsCaptured({ country: "GB", state: "ENG", city: "London", zipCode: "SW1A 1AA" }), CUSTOMER),
  recorded(fixtures.quoteStarted(""), { kind: "system", name: "" }),
  recorded(fixtures.quoteSubmittedWithoutExpiry(), CUSTOMER),
  recorded(fixtures.quoteReferredAutomatically([]), CUSTOMER),
];

/** The sample events as they were before encryption: personal values in plain text (what old versions held). */
export function plainForTest<E extends { type: string; data: unknown }>(event: E): E {
  return { ...event, data: mapPersonalValues(event.type, event.data, (value) => (isSealed(value) ? bytesOf(value).subarray(1).toString("utf8") : value)) };
}

export const plainSampleEvents = Object.fromEntries(Object.entries(sampleEvents).map(([type, event]) => [type, plainForTest(event)])) as Readonly<Record<QuoteEventType, RecordedEvent>>;
