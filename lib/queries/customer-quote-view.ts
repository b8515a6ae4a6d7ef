import type { QuoteState } from "../domain/quote";

/** The quote as its customer sees it. */
export interface CustomerQuoteView {
  quoteId: string;
  version: number;
  status: QuoteState["status"];
  geographicDetails: QuoteState["geographicDetails"];
  contactDetails: QuoteState["contactDetails"];
  familyDetails: QuoteState["familyDetails"];
  premium: QuoteState["premium"];
  validUntil: string | null;
  applicationNumber: string | null;
  applicationNumberStatus: "pending" | "assigned" | "failed";
  decision: { outcome: string; reason: string | null } | null;
}

export function customerQuoteView(state: QuoteState): CustomerQuoteView {
  return {
    quoteId: state.quoteId!,
    version: state.version,
    status: state.status,
    geographicDetails: state.geographicDetails,
    contactDetails: state.contactDetails,
    familyDetails: state.familyDetails,
    premium: state.premium,
    validUntil: state.validUntil,
    applicationNumber: state.applicationNumber,
    applicationNumberStatus: state.applicationNumber ? "assigned" : state.applicationNumberFailed ? "failed" : "pending",
    decision: state.decision ? { outcome: state.decision.outcome, reason: state.decision.reason } : null,
  };
}
