import "server-only";
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
