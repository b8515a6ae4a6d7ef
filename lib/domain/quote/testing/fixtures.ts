/** Sample details and event histories for domain tests. */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../../schemas/quote";
import type { QuoteEvent } from "../events";
import { priceQuote } from "../pricing";
import type { UnderwritingReason, UnderwritingRuleId } from "../underwriting";

export const QUOTE_ID = "quote-0001";

export const SAN_FRANCISCO: GeographicDetails = { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" };
export const TORONTO: GeographicDetails = { country: "CA", state: "ON", city: "Toronto", zipCode: "M5V 2T6" };
export const CONTACT: ContactDetails = { email: "ada@example.com", phoneNumber: "+1 (415) 555-0100" };
export const FAMILY_OF_FOUR: FamilyDetails = {
  numberOfDependents: 2,
  spouseName: "Grace",
  childrenNames: ["Alan", "Barbara"],
};

export const quoteStarted = (quoteId = QUOTE_ID): QuoteEvent => ({ type: "QuoteStarted", data: { quoteId } });
export const geographicDetailsCaptured = (details = SAN_FRANCISCO): QuoteEvent => ({
  type: "GeographicDetailsCaptured",
  data: { details },
});
export const contactDetailsCaptured = (details = CONTACT): QuoteEvent => ({
  type: "ContactDetailsCaptured",
  data: { details },
});
export const familyDetailsCaptured = (details = FAMILY_OF_FOUR): QuoteEvent => ({
  type: "FamilyDetailsCaptured",
  data: { details },
});
export const quoteSubmitted = (validUntil = "2026-12-26", expiresAt = "2026-12-27T00:00:00.000Z"): QuoteEvent => ({
  type: "QuoteSubmitted",
  data: { premium: priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR }), validUntil, expiresAt },
});
/** As recorded before QuoteSubmitted carried `expiresAt`. */
export const quoteSubmittedWithoutExpiry = (validUntil = "2026-12-26"): QuoteEvent => ({
  type: "QuoteSubmitted",
  data: { premium: priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR }), validUntil },
});
export const applicationNumberAssigned = (applicationNumber = "APP-123456"): QuoteEvent => ({
  type: "ApplicationNumberAssigned",
  data: { applicationNumber },
});
export const applicationNumberRequestFailed = (reason = "Service unavailable"): QuoteEvent => ({
  type: "ApplicationNumberRequestFailed",
  data: { reason },
});
export const quoteApproved = (reason: string | null = null, agentId = "agent-42"): QuoteEvent => ({
  type: "QuoteApproved",
  data: { reason, agentId },
});
export const quoteRejected = (reason = "Outside our appetite", agentId = "agent-42"): QuoteEvent => ({
  type: "QuoteRejected",
  data: { reason, agentId },
});
export const quoteReferred = (reason = "Needs an underwriter", agentId = "agent-42"): QuoteEvent => ({
  type: "QuoteReferred",
  data: { reason, agentId },
});
export const quoteCancelled = (): QuoteEvent => ({ type: "QuoteCancelled", data: {} });
export const quoteExpired = (): QuoteEvent => ({ type: "QuoteExpired", data: {} });
export const quoteRequoted = (requotedFrom = "quote-0000"): QuoteEvent => ({ type: "QuoteRequoted", data: { requotedFrom } });
export const quoteReferredAutomatically = (
  reasons: UnderwritingReason[] = [{ rule: "many-dependents", reason: "7 dependents: more than 6 need an underwriter's review" }],
): QuoteEvent => ({ type: "QuoteReferredAutomatically", data: { reasons } });
export const quoteApprovedAutomatically = (
  rules: UnderwritingRuleId[] = ["many-dependents", "referral-region", "premium-over-limit"],
): QuoteEvent => ({ type: "QuoteApprovedAutomatically", data: { rules } });

/** Histories at each stage of a quote's life. */
export const aDraft = (): QuoteEvent[] => [quoteStarted()];
export const aCompleteDraft = (): QuoteEvent[] => [
  quoteStarted(),
  geographicDetailsCaptured(),
  contactDetailsCaptured(),
  familyDetailsCaptured(),
];
export const aSubmittedQuote = (): QuoteEvent[] => [...aCompleteDraft(), quoteSubmitted()];
export const aReferredQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteReferred()];
export const anApprovedQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteApproved()];
export const aRejectedQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteRejected()];
export const aCancelledDraft = (): QuoteEvent[] => [...aDraft(), quoteCancelled()];
export const anExpiredQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteExpired()];
export const anAutomaticallyReferredQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteReferredAutomatically()];
export const aWithdrawnSubmittedQuote = (): QuoteEvent[] => [...aSubmittedQuote(), quoteCancelled()];

export const personalDataErased = (reason = "The customer asked", erasedBy: "customer" | "agent" | "system" = "customer", agentId: string | null = null): QuoteEvent => ({
  type: "PersonalDataErased",
  data: { reason, erasedBy, agentId },
});
export const quoteNoteAdded = (note = "Called the customer: they will send the children's birth dates", agentId = "agent-42"): QuoteEvent => ({
  type: "QuoteNoteAdded",
  data: { note, agentId },
});
export const quoteAssigned = (agentId = "agent-42"): QuoteEvent => ({ type: "QuoteAssigned", data: { agentId } });
