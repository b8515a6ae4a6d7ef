import "server-only";
import type { QuoteDetails, QuoteSummary, QuoteTimelineEntry } from "../generated/prisma/client";
import { quoteStateOf } from "../projections/quote-details-row";
import type { CustomerQuoteView } from "./customer-quote-view";
import type { QuoteDetailsView, QuoteSummaryView, TimelineEntryView } from "./contracts";

/** Read-model rows → the shapes the contracts promise. */
export function detailsView(row: QuoteDetails, stale: boolean): QuoteDetailsView {
  const { quoteId, version, status, geographicDetails, contactDetails, familyDetails, premium, validUntil, expiresAt, underwriting, applicationNumber, decision } = quoteStateOf(row);
  return {
    quoteId: quoteId!,
    version,
    status,
    geographicDetails,
    contactDetails,
    familyDetails,
    premium,
    validUntil,
    expiresAt,
    underwriting,
    applicationNumber,
    applicationNumberStatus: row.applicationNumberStatus as QuoteDetailsView["applicationNumberStatus"],
    applicationNumberFailure: row.applicationNumberFailure,
    decision,
    assignedTo: row.assignedTo,
    personalDataErased: row.personalDataErased,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    stale,
  };
}

export function customerView(row: QuoteDetails, stale: boolean): CustomerQuoteView {
  const details = detailsView(row, stale);
  return {
    quoteId: details.quoteId,
    version: details.version,
    status: details.status,
    geographicDetails: details.geographicDetails,
    contactDetails: details.contactDetails,
    familyDetails: details.familyDetails,
    premium: details.premium,
    validUntil: details.validUntil,
    applicationNumber: details.applicationNumber,
    applicationNumberStatus: details.applicationNumberStatus,
    decision: details.decision ? { outcome: details.decision.outcome, reason: details.decision.reason } : null,
    personalDataErased: details.personalDataErased,
    stale,
  };
}

export function summaryView(row: QuoteSummary): QuoteSummaryView {
  return {
    quoteId: row.quoteId,
    status: row.status as QuoteSummaryView["status"],
    email: row.email,
    names: row.names,
    country: row.country,
    region: row.region,
    city: row.city,
    applicationNumber: row.applicationNumber,
    monthlyPremium: row.monthlyPremium === null ? null : Number(row.monthlyPremium),
    currency: row.currency,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    assignedTo: row.assignedTo,
    referredAt: row.referredAt?.toISOString() ?? null,
  };
}

export function timelineView(row: QuoteTimelineEntry): TimelineEntryView {
  return { eventId: row.eventId, version: row.version, type: row.type, occurredAt: row.occurredAt.toISOString(), actor: row.actor as TimelineEntryView["actor"], summary: row.summary };
}
