/** What happened to a quote: the facts its stream is made of. `data` holds only what the fact needs. */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { Actor, ActorKind } from "./actor";
import type { Premium } from "./premium";

interface Event<Type extends string, Data extends Record<string, unknown>> {
  type: Type;
  data: Data;
}

export type QuoteStarted = Event<"QuoteStarted", { quoteId: string }>;
export type GeographicDetailsCaptured = Event<"GeographicDetailsCaptured", { details: GeographicDetails }>;
export type ContactDetailsCaptured = Event<"ContactDetailsCaptured", { details: ContactDetails }>;
export type FamilyDetailsCaptured = Event<"FamilyDetailsCaptured", { details: FamilyDetails }>;
/** `validUntil` is a calendar date in UTC, "YYYY-MM-DD": the last day the premium is offered. */
export type QuoteSubmitted = Event<"QuoteSubmitted", { premium: Premium; validUntil: string }>;
export type ApplicationNumberAssigned = Event<"ApplicationNumberAssigned", { applicationNumber: string }>;
export type ApplicationNumberRequestFailed = Event<"ApplicationNumberRequestFailed", { reason: string }>;
export type QuoteApproved = Event<"QuoteApproved", { reason: string | null; agentId: string }>;
export type QuoteRejected = Event<"QuoteRejected", { reason: string; agentId: string }>;
export type QuoteReferred = Event<"QuoteReferred", { reason: string; agentId: string }>;
export type QuoteCancelled = Event<"QuoteCancelled", Record<string, never>>;
/** The quote's personal data was erased (its data key destroyed with this event); holds no personal data itself. */
export type PersonalDataErased = Event<"PersonalDataErased", { reason: string; erasedBy: ActorKind; agentId: string | null }>;

export type QuoteEvent =
  | QuoteStarted
  | GeographicDetailsCaptured
  | ContactDetailsCaptured
  | FamilyDetailsCaptured
  | QuoteSubmitted
  | ApplicationNumberAssigned
  | ApplicationNumberRequestFailed
  | QuoteApproved
  | QuoteRejected
  | QuoteReferred
  | QuoteCancelled
  | PersonalDataErased;

export type QuoteEventType = QuoteEvent["type"];

export type QuoteEventOfType<T extends QuoteEventType> = Extract<QuoteEvent, { type: T }>;

/** An event as the store keeps it: the fact plus where, when, why and by whom it was recorded. */
export type RecordedEvent<E extends { type: string; data: unknown } = QuoteEvent> = E & {
  eventId: string;
  quoteId: string;
  /** Position in the quote's stream, starting at 1. */
  version: number;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  /** Shared by everything one user action caused. */
  correlationId: string;
  /** The event or command id that caused this one; null when a person's action started it. */
  causationId: string | null;
  actor: Actor;
};

// A record, so the compiler insists every event type is listed.
const eventTypes: Record<QuoteEventType, true> = {
  QuoteStarted: true,
  GeographicDetailsCaptured: true,
  ContactDetailsCaptured: true,
  FamilyDetailsCaptured: true,
  QuoteSubmitted: true,
  ApplicationNumberAssigned: true,
  ApplicationNumberRequestFailed: true,
  QuoteApproved: true,
  QuoteRejected: true,
  QuoteReferred: true,
  QuoteCancelled: true,
  PersonalDataErased: true,
};

export const QUOTE_EVENT_TYPES: readonly QuoteEventType[] = Object.freeze(Object.keys(eventTypes) as QuoteEventType[]);

export function isQuoteEventType(value: unknown): value is QuoteEventType {
  return typeof value === "string" && Object.hasOwn(eventTypes, value);
}
