/** What each query takes and returns: the contract between the query side and its callers (pages, API, tests). */
import "server-only";
import type { Actor, Premium, QuoteStatus, UnderwritingResult } from "../domain/quote";
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../schemas/quote";
import type { BatchItemStatus, BatchProgress } from "../domain/command-batch";
export type { CustomerQuoteView } from "./customer-quote-view";

/** Read-your-writes: pass the version you just wrote; the query waits (about 2 s at most) for the read model. */
export interface FreshnessParams {
  minVersion?: number;
}
/** `stale: true` when the read model had not reached `minVersion` in time: the data shown is older than the write. */
export interface Freshness {
  stale: boolean;
}

/** `referredAt`: when the quote was referred (by an agent or the rules); quotes never referred go last. */
export type QuoteSortField = "updatedAt" | "createdAt" | "monthlyPremium" | "status" | "referredAt";

export interface ListQuotesParams {
  status?: QuoteStatus;
  /** Matches names, email and application number (case-insensitive, partial). */
  search?: string;
  /** Only the quotes assigned to this agent (their id). */
  assignedTo?: string;
  sort?: QuoteSortField;
  order?: "asc" | "desc";
  /** 1-based. */
  page?: number;
  /** 1–100, default 20. */
  pageSize?: number;
}

export interface QuoteSummaryView {
  quoteId: string;
  status: QuoteStatus;
  email: string | null;
  names: string;
  country: string | null;
  region: string | null;
  city: string | null;
  applicationNumber: string | null;
  monthlyPremium: number | null;
  currency: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** The agent whose work queue holds the quote (their id). */
  assignedTo: string | null;
  referredAt: string | null;
}

export interface ListQuotesResult {
  items: QuoteSummaryView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface QuoteDetailsView extends Freshness {
  quoteId: string;
  version: number;
  status: QuoteStatus;
  geographicDetails: GeographicDetails | null;
  contactDetails: ContactDetails | null;
  familyDetails: FamilyDetails | null;
  premium: Premium | null;
  validUntil: string | null;
  /** ISO 8601: when the submitted quote expires unless decided first. */
  expiresAt: string | null;
  /** What the underwriting rules decided at submission: referred with every reason, or approved; null when they left it to an agent. */
  underwriting: UnderwritingResult | null;
  applicationNumber: string | null;
  applicationNumberStatus: "pending" | "assigned" | "failed";
  applicationNumberFailure: string | null;
  decision: { outcome: "approved" | "rejected" | "referred"; reason: string | null; agentId: string } | null;
  /** The agent whose work queue holds the quote (their id). */
  assignedTo: string | null;
  /** Its personal fields were erased and read [erased]. */
  personalDataErased: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntryView {
  eventId: string;
  version: number;
  type: string;
  occurredAt: string;
  actor: Actor;
  summary: string;
}

export interface QuoteTimelineResult {
  quoteId: string;
  entries: TimelineEntryView[];
}

/** The list's filters and order without its pages: every matching quote, up to `limit`. */
export type ExportQuotesParams = Omit<ListQuotesParams, "page" | "pageSize">;

export interface ExportQuotesResult {
  items: QuoteSummaryView[];
  /** More quotes matched than an export holds. */
  truncated: boolean;
  limit: number;
}

/** The wizard's steps, then what became of submitted quotes: expired, and expired quotes started again (requoted). */
export const FUNNEL_STEPS = ["started", "geographic", "contact", "family", "submitted", "expired", "requoted"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface GetFunnelParams {
  /** Inclusive dates, YYYY-MM-DD (UTC). */
  from: string;
  to: string;
}

export interface FunnelResult {
  from: string;
  to: string;
  days: Array<{ day: string; counts: Record<FunnelStep, number> }>;
  totals: Record<FunnelStep, number>;
}

/**
 * The queries on the query bus (`services().queryBus.execute(message(type, payload, metadata))`):
 *   GetQuoteForCustomer {quoteId} & FreshnessParams → CustomerQuoteView                  (customer with the quote's token)
 *   ExportPersonalData {quoteId} → PersonalDataExport                                   (customer with the quote's token)
 *   ListQuotes ListQuotesParams → ListQuotesResult                                      (agents)
 *   ExportQuotes ExportQuotesParams → ExportQuotesResult                                (agents)
 *   GetQuoteDetails {quoteId} & FreshnessParams → QuoteDetailsView                      (agents)
 *   GetQuoteTimeline {quoteId} → QuoteTimelineResult                                    (agents)
 *   GetFunnel GetFunnelParams → FunnelResult                                            (agents)
 */
/** An asynchronous command on many quotes (a bulk decision): its progress and each quote's outcome. */
export interface CommandBatchView extends BatchProgress {
  id: string;
  type: string;
  /** The decision the batch makes on every quote, and its reason. */
  decision: string;
  reason: string | null;
  /** The agent the quotes are decided as (their id). */
  requestedBy: string;
  createdAt: string;
  items: CommandBatchItemView[];
}

export interface CommandBatchItemView {
  quoteId: string;
  applicationNumber: string | null;
  status: BatchItemStatus;
  /** Done: the quote's status after it (approved, referred); refused: the domain's code (QuoteAlreadyDecided, …). */
  outcome: string | null;
  /** Why it was refused or failed, in words. */
  message: string | null;
  /** The quote's version after the decision. */
  version: number | null;
}

export type QueryType = "GetQuoteForCustomer" | "ExportPersonalData" | "ListQuotes" | "ExportQuotes" | "GetQuoteDetails" | "GetQuoteTimeline" | "GetFunnel";
