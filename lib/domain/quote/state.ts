/** A quote as decide() sees it: everything its events established, folded by evolve(). */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { Premium } from "./premium";
import type { UnderwritingReason, UnderwritingRuleId } from "./underwriting";

export type QuoteStatus = "none" | "draft" | "submitted" | "approved" | "rejected" | "referred" | "cancelled" | "expired";

/** Submitted and waiting for an agent (a referral is not a decision): it can still be decided, withdrawn or expire. */
export const awaitsDecision = (status: QuoteStatus): boolean => status === "submitted" || status === "referred";

export type DecisionOutcome = "approved" | "rejected" | "referred";

export interface QuoteDecision {
  outcome: DecisionOutcome;
  reason: string | null;
  agentId: string;
}

/** What the underwriting rules decided at submission, when they decided anything. */
export type UnderwritingResult =
  | { outcome: "referred"; reasons: UnderwritingReason[] }
  | { outcome: "approved"; rules: UnderwritingRuleId[] };

/** The wizard's pages a customer fills in; also the names `QuoteIncomplete.missing` reports. */
export type QuotePage = "geographicDetails" | "contactDetails" | "familyDetails";

export const QUOTE_PAGES: readonly QuotePage[] = Object.freeze([
  "geographicDetails",
  "contactDetails",
  "familyDetails",
]);

/** The customer's answers, one field per wizard page; null until that page is saved. */
export interface QuoteAnswers {
  geographicDetails: GeographicDetails | null;
  contactDetails: ContactDetails | null;
  familyDetails: FamilyDetails | null;
}

export interface QuoteState extends QuoteAnswers {
  /** null until QuoteStarted. */
  quoteId: string | null;
  status: QuoteStatus;
  premium: Premium | null;
  /** "YYYY-MM-DD", set on submit. */
  validUntil: string | null;
  /** ISO 8601, set on submit: the moment the quote expires unless approved or rejected before. */
  expiresAt: string | null;
  /** Set on submit when the underwriting rules referred or approved the quote. */
  underwriting: UnderwritingResult | null;
  applicationNumber: string | null;
  /** The last request for an application number failed (cleared when a number is assigned). */
  applicationNumberFailed: boolean;
  /** The latest agent decision; a referral is replaced by the approval or rejection that follows it. */
  decision: QuoteDecision | null;
  /** The agent whose work queue holds the quote (QuoteAssigned); null until someone takes it. */
  assignedTo: string | null;
  /** The customer's personal values read as ERASED from here on (PersonalDataErased). */
  personalDataErased: boolean;
  /** Number of events folded: the expected version for the next append. */
  version: number;
}

export const initialQuoteState: QuoteState = Object.freeze({
  quoteId: null,
  status: "none",
  geographicDetails: null,
  contactDetails: null,
  familyDetails: null,
  premium: null,
  validUntil: null,
  expiresAt: null,
  underwriting: null,
  applicationNumber: null,
  applicationNumberFailed: false,
  decision: null,
  assignedTo: null,
  personalDataErased: false,
  version: 0,
});
