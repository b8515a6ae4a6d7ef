import "server-only";
import type { QuoteState } from "../domain/quote";

/** A quote_details row as the database returns it: JSON columns untyped, enums as text. */
export interface QuoteDetailsRow {
  quoteId: string;
  version: number;
  status: string;
  geographicDetails: unknown;
  contactDetails: unknown;
  familyDetails: unknown;
  premium: unknown;
  validUntil: string | null;
  expiresAt: string | null;
  underwriting: unknown;
  applicationNumber: string | null;
  applicationNumberStatus: string;
  applicationNumberFailure: string | null;
  decision: unknown;
  assignedTo: string | null;
  personalDataErased: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The row's quote, typed: what the projection folds the next event onto and what the queries show. The projection
 * alone writes these columns, from a QuoteState, so reading them back as one is sound.
 */
export function quoteStateOf(row: QuoteDetailsRow): QuoteState {
  return {
    quoteId: row.quoteId,
    status: row.status as QuoteState["status"],
    geographicDetails: row.geographicDetails as QuoteState["geographicDetails"],
    contactDetails: row.contactDetails as QuoteState["contactDetails"],
    familyDetails: row.familyDetails as QuoteState["familyDetails"],
    premium: row.premium as QuoteState["premium"],
    validUntil: row.validUntil,
    expiresAt: row.expiresAt,
    underwriting: row.underwriting as QuoteState["underwriting"],
    applicationNumber: row.applicationNumber,
    applicationNumberFailed: row.applicationNumberStatus === "failed",
    decision: row.decision as QuoteState["decision"],
    assignedTo: row.assignedTo,
    personalDataErased: row.personalDataErased,
    version: row.version,
  };
}
