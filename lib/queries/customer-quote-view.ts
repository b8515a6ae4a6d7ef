import "server-only";
import type { QuoteState } from "../domain/quote";
import type { Freshness } from "./contracts";

/** The quote as its customer sees it: what the pages render, what GET /api/quotes/{id} answers, what the browser caches. */
export interface CustomerQuoteView extends Freshness {
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
  /** The customer's (or an agent's) erasure destroyed its personal data: those answers read "[erased]". */
  personalDataErased: boolean;
}
