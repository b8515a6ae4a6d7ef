/**
 * "Start a new quote with these answers": a new quote, on a stream of its own, begun with an expired quote's answers
 * so the customer only reviews and submits again (at today's premium and validity).
 */
import type { DecideResult } from "./decide";
import { quoteNotExpired, quoteNotFound, personalDataErased } from "./errors";
import type { QuoteEvent } from "./events";
import type { QuoteState } from "./state";

/** The events that start `newQuoteId` from `expired`, the state of the quote it replaces. */
export function requote(expired: QuoteState, newQuoteId: string): DecideResult {
  if (expired.status === "none" || expired.quoteId === null) return { ok: false, error: quoteNotFound() };
  if (expired.status !== "expired") return { ok: false, error: quoteNotExpired() };
  if (expired.personalDataErased) return { ok: false, error: { ...personalDataErased(), message: "This quote's personal data was erased, so a new quote can't start with its answers." } };
  const events: QuoteEvent[] = [
    { type: "QuoteStarted", data: { quoteId: newQuoteId } },
    { type: "QuoteRequoted", data: { requotedFrom: expired.quoteId } },
  ];
  if (expired.geographicDetails) events.push({ type: "GeographicDetailsCaptured", data: { details: expired.geographicDetails } });
  if (expired.contactDetails) events.push({ type: "ContactDetailsCaptured", data: { details: expired.contactDetails } });
  if (expired.familyDetails) events.push({ type: "FamilyDetailsCaptured", data: { details: expired.familyDetails } });
  return { ok: true, events };
}
