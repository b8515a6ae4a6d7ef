/** Applies one event to a quote's state. Total and pure: it never refuses a fact that was recorded. */
import type { QuoteEvent } from "./events";
import { eraseAnswers } from "./personal-data";
import { initialQuoteState, type QuoteState } from "./state";
import { endOfValidity } from "./validity";

export function evolve(state: QuoteState, event: QuoteEvent): QuoteState {
  const next: QuoteState = { ...state, version: state.version + 1 };
  switch (event.type) {
    case "QuoteStarted":
      return { ...next, quoteId: event.data.quoteId, status: "draft" };
    case "GeographicDetailsCaptured":
      return { ...next, geographicDetails: event.data.details };
    case "ContactDetailsCaptured":
      return { ...next, contactDetails: event.data.details };
    case "FamilyDetailsCaptured":
      return { ...next, familyDetails: event.data.details };
    case "QuoteSubmitted":
      return {
        ...next,
        status: "submitted",
        premium: event.data.premium,
        validUntil: event.data.validUntil,
        expiresAt: event.data.expiresAt ?? endOfValidity(event.data.validUntil),
      };
    case "ApplicationNumberAssigned":
      return { ...next, applicationNumber: event.data.applicationNumber, applicationNumberFailed: false };
    case "ApplicationNumberRequestFailed":
      return { ...next, applicationNumberFailed: true };
    case "QuoteApproved":
      return {
        ...next,
        status: "approved",
        decision: { outcome: "approved", reason: event.data.reason, agentId: event.data.agentId },
      };
    case "QuoteRejected":
      return {
        ...next,
        status: "rejected",
        decision: { outcome: "rejected", reason: event.data.reason, agentId: event.data.agentId },
      };
    case "QuoteReferred":
      return {
        ...next,
        status: "referred",
        decision: { outcome: "referred", reason: event.data.reason, agentId: event.data.agentId },
      };
    case "QuoteCancelled":
      return { ...next, status: "cancelled" };
    case "QuoteExpired":
      return { ...next, status: "expired" };
    case "QuoteRequoted":
      return next;
    case "QuoteReferredAutomatically":
      return { ...next, status: "referred", underwriting: { outcome: "referred", reasons: event.data.reasons } };
    case "QuoteApprovedAutomatically":
      return { ...next, status: "approved", underwriting: { outcome: "approved", rules: event.data.rules } };
    case "PersonalDataErased":
      return { ...next, ...eraseAnswers(next), personalDataErased: true };
    case "QuoteNoteAdded":
      return next;
    case "QuoteAssigned":
      return { ...next, assignedTo: event.data.agentId };
    default:
      return assertNever(event);
  }
}

export function foldQuote(events: Iterable<QuoteEvent>): QuoteState {
  let state = initialQuoteState;
  for (const event of events) state = evolve(state, event);
  return state;
}

function assertNever(event: never): never {
  throw new Error(`Unknown quote event: ${JSON.stringify(event)}`);
}
