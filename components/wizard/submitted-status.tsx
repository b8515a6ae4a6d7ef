"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { toast } from "../toasts/toast";
import { formatMoney } from "@/lib/domain/quote/money";
import { formatDate } from "../format";
import { APPLICATION_NUMBER_PLACEHOLDER } from "./application-number";
import { PageHeading } from "./page-heading";
import { RequoteQuote } from "./requote-quote";
import type { CachedQuote } from "./quote-cache";
import { useQuote } from "./use-quote";

const HEADINGS: Record<string, string> = {
  submitted: "Quote submitted",
  approved: "Quote approved",
  rejected: "Quote not approved",
  referred: "Quote referred for review",
  cancelled: "Quote withdrawn",
  expired: "Quote expired",
};

const STATUS_TEXT: Record<string, { label: string; explanation: string }> = {
  submitted: { label: "Submitted", explanation: "An agent will review your quote. This page updates by itself when they decide." },
  approved: { label: "Approved", explanation: "Your quote has been approved. We'll email you about the next steps." },
  rejected: { label: "Rejected", explanation: "We're sorry: we can't offer you cover on this quote." },
  referred: { label: "Referred", explanation: "An agent has referred your quote for a closer look. This page updates by itself when it is decided." },
  cancelled: { label: "Withdrawn", explanation: "You withdrew this quote, so it can no longer be changed or submitted, and no agent will review it." },
  expired: {
    label: "Expired",
    explanation: "This quote's premium is no longer offered, so it can't be approved now. You can start a new quote with the same answers and check the premium again.",
  },
  draft: { label: "Not submitted", explanation: "This quote hasn't been submitted yet." },
};

/** The outcome page: status and application number, refreshed (by the shell's polling) when an agent decides. */
export function SubmittedStatus({ initialQuote }: { initialQuote: CachedQuote }) {
  const quote = useQuote(initialQuote);
  const status = STATUS_TEXT[quote.status] ?? STATUS_TEXT.submitted!;

  const previous = useRef(quote.status);
  useEffect(() => {
    if (previous.current === quote.status) return;
    previous.current = quote.status;
    const text = STATUS_TEXT[quote.status];
    // A withdrawal is the customer's own doing: its own toast has said so.
    if (text && quote.status !== "submitted" && quote.status !== "cancelled") toast.info(`Your quote is now: ${text.label.toLowerCase()}`, { description: text.explanation });
  }, [quote.status]);

  return (
    <>
      <PageHeading>{HEADINGS[quote.status] ?? "Your quote"}</PageHeading>
      <div className="panel" role="status" aria-live="polite">
        <dl className="summary-list summary-list--compact">
          <div className="summary-row">
            <dt className="summary-key">Status</dt>
            <dd className="summary-value">
              <strong className={`status-tag status-tag--${quote.status}`}>{status.label}</strong>
            </dd>
          </div>
          <div className="summary-row">
            <dt className="summary-key">Application number</dt>
            <dd className="summary-value">{quote.applicationNumber ?? (quote.applicationNumberStatus === "failed" ? "Not issued yet" : APPLICATION_NUMBER_PLACEHOLDER)}</dd>
          </div>
          {quote.decision?.reason ? (
            <div className="summary-row">
              <dt className="summary-key">Reason</dt>
              <dd className="summary-value">{quote.decision.reason}</dd>
            </div>
          ) : null}
        </dl>
        <p>{status.explanation}</p>
        {quote.personalDataErased ? (
          <p data-testid="personal-data-erased">
            <strong>Your personal data was deleted.</strong> The details you gave us for this quote can no longer be read by anyone; its status, premium and
            application number stay.
          </p>
        ) : null}
        {quote.status === "cancelled" || (quote.status === "draft" && quote.personalDataErased) ? (
          <p>
            <Link href="/">Start a new quote</Link>
          </p>
        ) : null}
        {quote.status === "expired" && !quote.personalDataErased ? <RequoteQuote quoteId={quote.quoteId} /> : null}
      </div>
      {quote.premium ? (
        <section aria-labelledby="submitted-premium">
          <h2 id="submitted-premium">Your premium</h2>
          <p className="premium-total">
            <strong>{formatMoney(quote.premium.monthly, quote.premium.currency)}</strong> a month ({formatMoney(quote.premium.annual, quote.premium.currency)} a year)
            {quote.validUntil ? <>, valid until {formatDate(quote.validUntil)}</> : null}.
          </p>
        </section>
      ) : null}
    </>
  );
}
