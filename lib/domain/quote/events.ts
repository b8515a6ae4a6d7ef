/** What happened to a quote: the facts its stream is made of. `data` holds only what the fact needs. */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { Actor, ActorKind } from "./actor";
import type { Premium } from "./premium";
import type { UnderwritingReason, UnderwritingRuleId } from "./underwriting";

interface Event<Type extends string, Data extends Record<string, unknown>> {
  type: Type;
  data: Data;
}

export type QuoteStarted = Event<"QuoteStarted", { quoteId: string }>;
export type GeographicDetailsCaptured = Event<"GeographicDetailsCaptured", { details: GeographicDetails }>;
export type ContactDetailsCaptured = Event<"ContactDetailsCaptured", { details: ContactDetails }>;
export type FamilyDetailsCaptured = Event<"FamilyDetailsCaptured", { details: FamilyDetails }>;
/**
 * `validUntil` is a calendar date in UTC, "YYYY-MM-DD": the last day the premium is offered. `expiresAt` is the exact
 * moment the quote expires (ISO 8601); quotes submitted before it was recorded expire at the end of `validUntil`.
 */
export type QuoteSubmitted = Event<"QuoteSubmitted", { premium: Premium; validUntil: string; expiresAt?: string }>;
export type ApplicationNumberAssigned = Event<"ApplicationNumberAssigned", { applicationNumber: string }>;
export type ApplicationNumberRequestFailed = Event<"ApplicationNumberRequestFailed", { reason: string }>;
export type QuoteApproved = Event<"QuoteApproved", { reason: string | null; agentId: string }>;
export type QuoteRejected = Event<"QuoteRejected", { reason: string; agentId: string }>;
export type QuoteReferred = Event<"QuoteReferred", { reason: string; agentId: string }>;
export type QuoteCancelled = Event<"QuoteCancelled", Record<string, never>>;
/** The premium's validity ended before the quote was approved or rejected. */
export type QuoteExpired = Event<"QuoteExpired", Record<string, never>>;
/** This quote was started again with the answers of an expired one; recorded right after its QuoteStarted. */
export type QuoteRequoted = Event<"QuoteRequoted", { requotedFrom: string }>;
/** The underwriting rules referred the quote at submission; every rule that fired, with its reason. */
export type QuoteReferredAutomatically = Event<"QuoteReferredAutomatically", { reasons: UnderwritingReason[] }>;
/** No underwriting rule fired and straight-through approval is on; the rules that were checked. */
export type QuoteApprovedAutomatically = Event<"QuoteApprovedAutomatically", { rules: UnderwritingRuleId[] }>;
/** The quote's personal data was erased (its data key destroyed with this event); holds no personal data itself. */
export type PersonalDataErased = Event<"PersonalDataErased", { reason: string; erasedBy: ActorKind; agentId: string | null }>;
/** An agent's note on the quote; `note` is personal data (encrypted, erased with the quote's other answers). */
export type QuoteNoteAdded = Event<"QuoteNoteAdded", { note: string; agentId: string }>;
/** The quote is in this agent's work queue from now on; the actor says who assigned it. */
export type QuoteAssigned = Event<"QuoteAssigned", { agentId: string }>;

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
  | QuoteExpired
  | QuoteRequoted
  | QuoteReferredAutomatically
  | QuoteApprovedAutomatically
  | PersonalDataErased
  | QuoteNoteAdded
  | QuoteAssigned;

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
  QuoteExpired: true,
  QuoteRequoted: true,
  QuoteReferredAutomatically: true,
  QuoteApprovedAutomatically: true,
  PersonalDataErased: true,
  QuoteNoteAdded: true,
  QuoteAssigned: true,
};

export const QUOTE_EVENT_TYPES: readonly QuoteEventType[] = Object.freeze(Object.keys(eventTypes) as QuoteEventType[]);

export function isQuoteEventType(value: unknown): value is QuoteEventType {
  return typeof value === "string" && Object.hasOwn(eventTypes, value);
}
