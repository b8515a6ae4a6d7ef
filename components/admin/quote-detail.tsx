"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { AdminQuoteView } from "@/lib/agent/queries";
import { countryName, isCountryCode, regionName } from "@/schemas/countries";
import { PremiumBreakdown } from "../premium-breakdown";
import { QuoteDocumentLink } from "../quote-document-link";
import { ApplicationNumber } from "./application-number";
import { Assignment } from "./assignment";
import { DecisionPanel } from "./decision-panel";
import { EraseForm } from "./erase-form";
import { fetchJson, problemText } from "./fetch-json";
import { NoteForm } from "./note-form";
import { dateTime, money } from "./format";
import { quoteQueryKey } from "./query-keys";
import { StatusBadge } from "./status-badge";

export const DETAIL_REFRESH_MS = 5_000;

function NotCaptured() {
  return <p className="muted">Not filled in yet.</p>;
}

/** One quote: its pages, premium, application number, decision and timeline, refreshed in the background. */
export function QuoteDetail({ initial, agentId }: { initial: AdminQuoteView; agentId: string }) {
  const quoteId = initial.quoteId;
  // After a write, ask the read side to wait until it has the new version (read-your-writes).
  const minVersion = useRef<number | undefined>(undefined);
  const { data: quote, error } = useQuery({
    queryKey: quoteQueryKey(quoteId),
    queryFn: () => fetchJson<AdminQuoteView>(`/api/admin/quotes/${quoteId}${minVersion.current ? `?minVersion=${minVersion.current}` : ""}`),
    initialData: initial,
    refetchInterval: DETAIL_REFRESH_MS,
  });
  const queryClient = useQueryClient();
  // A form posted to a server action (a note, an assignment) comes back as a newer page: take its data at once.
  useEffect(() => {
    queryClient.setQueryData<AdminQuoteView>(quoteQueryKey(quoteId), (cached) => (!cached || cached.version < initial.version ? initial : cached));
  }, [queryClient, quoteId, initial]);
  const { geographicDetails: geo, contactDetails: contact, familyDetails: family, premium } = quote;
  const title = quote.applicationNumber ?? `Quote ${quoteId.slice(0, 8)}`;

  return (
    <>
      <p>
        <Link href="/admin/quotes">Back to all quotes</Link>
      </p>
      <h1>
        {title} <StatusBadge status={quote.status} />
      </h1>
      {error && (
        <div className="alert" role="alert">
          <p>Could not refresh this quote: {problemText(error)}</p>
        </div>
      )}

      <div className="quote-grid">
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <dl className="summary-list">
            <dt>Quote id</dt>
            <dd>{quoteId}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={quote.status} />
            </dd>
            <dt>Started</dt>
            <dd>{dateTime(quote.createdAt)}</dd>
            <dt>Last change</dt>
            <dd>{dateTime(quote.updatedAt)}</dd>
            {quote.validUntil && (
              <>
                <dt>Premium valid until</dt>
                <dd>{quote.validUntil}</dd>
              </>
            )}
          </dl>
          <QuoteDocumentLink href={`/api/admin/quotes/${encodeURIComponent(quoteId)}/document`}>Download the quote (PDF)</QuoteDocumentLink>
          <ApplicationNumber quote={quote} onQueued={(version) => (minVersion.current = version)} />
          <Assignment quote={quote} agentId={agentId} />
        </section>

        <DecisionPanel quote={quote} agentId={agentId} onWritten={(version) => (minVersion.current = version)} />
      </div>

      <div className="quote-grid">
        <section aria-labelledby="location-heading">
          <h2 id="location-heading">Location details</h2>
          {geo ? (
            <dl className="summary-list">
              <dt>Country</dt>
              <dd>{isCountryCode(geo.country) ? countryName(geo.country) : geo.country}</dd>
              <dt>State, province or nation</dt>
              <dd>{(isCountryCode(geo.country) && regionName(geo.country, geo.state)) || geo.state}</dd>
              <dt>City</dt>
              <dd>{geo.city}</dd>
              <dt>ZIP or postal code</dt>
              <dd>{geo.zipCode}</dd>
            </dl>
          ) : (
            <NotCaptured />
          )}
        </section>

        <section aria-labelledby="contact-heading">
          <h2 id="contact-heading">Contact details</h2>
          {contact ? (
            <dl className="summary-list">
              <dt>Email</dt>
              <dd>{contact.email}</dd>
              <dt>Phone</dt>
              <dd>{contact.phoneNumber}</dd>
            </dl>
          ) : (
            <NotCaptured />
          )}
        </section>

        <section aria-labelledby="family-heading">
          <h2 id="family-heading">Family details</h2>
          {family ? (
            <dl className="summary-list">
              <dt>Dependents</dt>
              <dd>{family.numberOfDependents}</dd>
              <dt>Spouse</dt>
              <dd>{family.spouseName ?? "None"}</dd>
              <dt>Children</dt>
              <dd>{family.childrenNames.length ? family.childrenNames.join(", ") : "None listed"}</dd>
            </dl>
          ) : (
            <NotCaptured />
          )}
        </section>
      </div>

      <section aria-labelledby="premium-heading">
        <h2 id="premium-heading">Premium</h2>
        {premium ? (
          <div className="table-wrap">
            <PremiumBreakdown premium={premium} caption={`How the monthly premium of ${money(premium.monthly, premium.currency)} is made up`} className="data" sideBySide />
          </div>
        ) : (
          <p className="muted">The premium is worked out when the customer submits the quote.</p>
        )}
      </section>

      <section aria-labelledby="personal-data-heading">
        <h2 id="personal-data-heading">Personal data</h2>
        <EraseForm quote={quote} />
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <NoteForm quote={quote} />
        {quote.timeline.length === 0 ? (
          <p className="muted">No events yet.</p>
        ) : (
          <ol className="timeline" aria-label="Events, oldest first">
            {quote.timeline.map((entry) => (
              <li key={entry.eventId} data-event-type={entry.type}>
                <div className="when">
                  <time dateTime={entry.occurredAt}>{dateTime(entry.occurredAt)}</time> · {entry.actorLabel}
                </div>
                <div>{entry.summary}</div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
