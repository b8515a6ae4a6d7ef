import "server-only";
import type { Actor, RecordedEvent } from "../domain/quote";
import { formatMoney } from "../domain/quote/money";
import { countryName, regionName } from "../../schemas/quote";
import { ERASED, isErased } from "../domain/quote/personal-data";

/** What the timeline says of an event whose personal values were erased. */
export const ERASED_SUMMARIES = {
  GeographicDetailsCaptured: `Address: ${ERASED}`,
  ContactDetailsCaptured: `Contact details: ${ERASED}`,
  FamilyDetailsCaptured: `Family details: ${ERASED}`,
  QuoteNoteAdded: `Note: ${ERASED}`,
} as const;

const money = (amount: number, currency: string) => formatMoney(amount, currency, { sideBySide: true });

export function describeActor(actor: Actor): string {
  if (actor.kind === "agent") return `Agent ${actor.agentId}`;
  if (actor.kind === "system") return `System (${actor.name})`;
  return "Customer";
}

/** One sentence a person can read for each event of the timeline. */
export function summarizeEvent(event: RecordedEvent): string {
  switch (event.type) {
    case "QuoteStarted":
      return "Quote started";
    case "GeographicDetailsCaptured": {
      const { country, state, city, zipCode } = event.data.details;
      if (isErased(city)) return ERASED_SUMMARIES.GeographicDetailsCaptured;
      return `Address: ${city}, ${regionName(country, state) ?? state}, ${countryName(country)} ${zipCode}`;
    }
    case "ContactDetailsCaptured":
      if (isErased(event.data.details.email)) return ERASED_SUMMARIES.ContactDetailsCaptured;
      return `Contact details: ${event.data.details.email}, ${event.data.details.phoneNumber}`;
    case "FamilyDetailsCaptured": {
      const { numberOfDependents, spouseName, childrenNames } = event.data.details;
      if (childrenNames.some(isErased) || isErased(spouseName)) return ERASED_SUMMARIES.FamilyDetailsCaptured;
      const parts = [`${numberOfDependents} dependent${numberOfDependents === 1 ? "" : "s"}`];
      if (spouseName) parts.push(`spouse ${spouseName}`);
      if (childrenNames.length) parts.push(`children ${childrenNames.join(", ")}`);
      return `Family details: ${parts.join("; ")}`;
    }
    case "QuoteSubmitted":
      return `Submitted: ${money(event.data.premium.monthly, event.data.premium.currency)} a month, valid until ${event.data.validUntil}`;
    case "ApplicationNumberAssigned":
      return `Application number ${event.data.applicationNumber} assigned`;
    case "ApplicationNumberRequestFailed":
      return `Application number request failed: ${event.data.reason}`;
    case "QuoteApproved":
      return event.data.reason ? `Approved: ${event.data.reason}` : "Approved";
    case "QuoteRejected":
      return `Rejected: ${event.data.reason}`;
    case "QuoteReferred":
      return `Referred: ${event.data.reason}`;
    case "QuoteCancelled":
      return "Withdrawn by the customer";
    case "QuoteExpired":
      return "Expired: the premium is no longer offered";
    case "QuoteRequoted":
      return `Started again with the answers of expired quote ${event.data.requotedFrom}`;
    case "QuoteReferredAutomatically":
      return `Referred automatically by the underwriting rules: ${event.data.reasons.map((r) => r.reason).join("; ")}`;
    case "QuoteApprovedAutomatically":
      return `Approved automatically: no underwriting rule referred it (checked ${event.data.rules.join(", ")})`;
    case "PersonalDataErased":
      return event.data.erasedBy === "system"
        ? `Personal data erased by the platform: ${event.data.reason}`
        : `Personal data erased at the ${event.data.erasedBy === "agent" ? `request of agent ${event.data.agentId}` : "customer's request"}: ${event.data.reason}`;
    case "QuoteNoteAdded":
      return isErased(event.data.note) ? ERASED_SUMMARIES.QuoteNoteAdded : `Note: ${event.data.note}`;
    case "QuoteAssigned":
      return event.actor.kind === "agent" && event.actor.agentId === event.data.agentId ? "Assigned to themselves" : `Assigned to agent ${event.data.agentId}`;
  }
}
