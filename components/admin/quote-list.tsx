"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Form from "next/form";
import Link from "next/link";
import { useActionState, useState, type FormEvent } from "react";
import { bulkDecideAction, bulkDecideWithForm, type BulkDecisionFormState } from "@/app/(agent)/admin/bulk-decision-actions";
import type { AppError } from "@/lib/cqrs/app-error";
import type { ListQuotesResult, QuoteSortField } from "@/lib/queries/contracts";
import { LISTABLE_STATUSES, MAX_SEARCH_LENGTH, REFERRED_QUEUE, quoteListSearchString, type QuoteListQuery } from "@/schemas/admin";
import { fetchJson, problemText } from "./fetch-json";
import { dateTime, money, STATUS_LABEL } from "./format";
import { StatusBadge } from "./status-badge";
import { toast } from "../toasts/toast";
import { BulkDecisionBar, bulkProblemText } from "./bulk-decision-bar";
import { LiveCommandProgress } from "./live-command-progress";

/** How often the list asks for new submissions while the page is open. */
export const LIST_REFRESH_MS = 5_000;

const SORTABLE: Array<{ field: QuoteSortField; label: string; numeric?: boolean }> = [
  { field: "status", label: "Status" },
  { field: "monthlyPremium", label: "Monthly premium", numeric: true },
  { field: "createdAt", label: "Started" },
  { field: "updatedAt", label: "Last change" },
  { field: "referredAt", label: "Referred" },
];

const NOTHING_POSTED: BulkDecisionFormState = { reason: "", error: null };
const reasonErrorOf = (error: AppError | null) => (error?.kind === "validation" ? error.errors.find((e) => e.path === "reason")?.message : undefined);

const href = (query: Partial<QuoteListQuery>) => `/admin/quotes${quoteListSearchString(query)}`;

function SortHeader({ query, field, label, numeric }: { query: QuoteListQuery; field: QuoteSortField; label: string; numeric?: boolean }) {
  const active = query.sort === field;
  const nextOrder = active && query.order === "desc" ? "asc" : "desc";
  return (
    <th scope="col" className={numeric ? "number" : undefined} aria-sort={active ? (query.order === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={href({ ...query, sort: field, order: nextOrder, page: 1 })}>
        {label}
        <span className="visually-hidden">{active ? `, sorted ${query.order === "asc" ? "ascending" : "descending"}` : ", sortable"}</span>
        {active ? (query.order === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

/**
 * The quote table. Filters, search, sort and page live in the URL (so a view can be bookmarked or shared); the
 * rows refresh in the background so new submissions appear without a reload.
 */
export function QuoteList({ query, initial, initialProblem, formKey }: { query: QuoteListQuery; initial: ListQuotesResult | null; initialProblem: string | null; formKey: string }) {
  const search = quoteListSearchString(query);
  const { data, error, isFetching } = useQuery({
    queryKey: ["admin-quotes", search],
    queryFn: () => fetchJson<ListQuotesResult>(`/api/admin/quotes${search}`),
    initialData: initial ?? undefined,
    refetchInterval: LIST_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const problem = error ? problemText(error) : data ? null : initialProblem;
  const filtered = Boolean(query.status || query.search || query.assigned);
  const inReferredQueue = query.status === REFERRED_QUEUE.status && query.sort === REFERRED_QUEUE.sort && query.order === REFERRED_QUEUE.order;
  // The export takes the same filters and order; its pages are the whole list.
  const exportHref = `/api/admin/quotes.csv${quoteListSearchString({ ...query, page: 1, pageSize: undefined })}`;

  // The bulk decision: before JavaScript the form posts to the server action (which opens the command's progress
  // page); with it, the command is sent here and followed under the list.
  const [posted, postForm] = useActionState(bulkDecideWithForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const [bulkProblem, setBulkProblem] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const [tracking, setTracking] = useState<string | null>(null);

  async function decideSelected(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setScripted(true);
    const form = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = submitter?.value === "refer" ? "refer" : "approve";
    const fields = new FormData(form);
    const quoteIds = fields.getAll("quoteId").map(String);
    const reason = String(fields.get("reason") ?? "");
    setBulkProblem(null);
    setReasonError(undefined);
    if (quoteIds.length === 0) return setBulkProblem("Select the quotes to decide first.");
    if (decision === "refer" && !reason.trim()) {
      setReasonError("Enter a reason for referring these quotes");
      form.querySelector<HTMLInputElement>("#bulk-reason")?.focus();
      return;
    }
    setSending(true);
    try {
      const result = await bulkDecideAction({ decision, quoteIds, reason });
      if (!result.ok) {
        const fieldError = reasonErrorOf(result.error);
        if (fieldError) setReasonError(fieldError);
        else setBulkProblem(bulkProblemText(result.error));
        toast.error(bulkProblemText(result.error));
        return;
      }
      toast.success(`${decision === "approve" ? "Approving" : "Referring"} ${result.value.total} quote${result.value.total === 1 ? "" : "s"}…`);
      setTracking(result.value.commandId);
      form.reset();
    } catch {
      setBulkProblem("The decision could not be sent. Check your connection and try again.");
      toast.error("The decision could not be sent.");
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <Form action="/admin/quotes" className="filters" role="search" aria-label="Filter quotes" key={search}>
        <div className="field search">
          <label htmlFor="search">Search</label>
          <span className="hint" id="search-hint">
            Name, email or application number
          </span>
          <input id="search" name="search" type="search" defaultValue={query.search ?? ""} maxLength={MAX_SEARCH_LENGTH} aria-describedby="search-hint" />
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={query.status ?? ""}>
            <option value="">All statuses</option>
            {LISTABLE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="field checkbox">
          <label>
            <input type="checkbox" name="assigned" value="me" defaultChecked={query.assigned === "me"} /> Assigned to me
          </label>
        </div>
        {query.sort !== "updatedAt" && <input type="hidden" name="sort" value={query.sort} />}
        {query.order !== "desc" && <input type="hidden" name="order" value={query.order} />}
        <button type="submit" className="button">
          Apply filters
        </button>
        {filtered && <Link href={href({ sort: query.sort, order: query.order })}>Clear filters</Link>}
      </Form>
      <p className="list-links">
        {inReferredQueue ? (
          <strong>Referred queue: the longest waiting first</strong>
        ) : (
          <Link href={href({ ...REFERRED_QUEUE, ...(query.assigned ? { assigned: query.assigned } : {}) })}>Referred queue</Link>
        )}
        {" · "}
        <a href={exportHref} download>
          Export CSV
        </a>
      </p>

      {problem && (
        <div className="alert" role="alert">
          <p>{problem}</p>
          {error && "status" in error && error.status === 401 && <Link href={`/admin/sign-in?next=${encodeURIComponent(href(query))}`}>Sign in</Link>}
        </div>
      )}

      {tracking && <LiveCommandProgress key={tracking} commandId={tracking} onDismiss={() => setTracking(null)} />}

      {data && (
        <form action={postForm} onSubmit={decideSelected} noValidate aria-label="Decide several quotes">
          <input type="hidden" name="idempotencyKey" value={formKey} />
          {data.items.length > 0 && (
            <BulkDecisionBar
              reason={posted.reason}
              reasonError={scripted ? reasonError : reasonErrorOf(posted.error)}
              problem={scripted ? bulkProblem : posted.error && !reasonErrorOf(posted.error) ? bulkProblemText(posted.error) : null}
              pending={sending}
            />
          )}
        <div className="table-wrap">
          <table className="data">
            <caption>
              {data.total === 0 ? (filtered ? "No quotes match these filters" : "No quotes yet") : `${data.total} quote${data.total === 1 ? "" : "s"}${filtered ? " match" : ""}, page ${data.page} of ${pages}`}
              <span className="refresh-note" aria-hidden="true">
                {" "}
                · refreshes every {LIST_REFRESH_MS / 1000} s{isFetching ? " …" : ""}
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
                <th scope="col">Quote</th>
                <th scope="col">Customer</th>
                <th scope="col">Location</th>
                {SORTABLE.map((column) => (
                  <SortHeader key={column.field} query={query} {...column} />
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((quote) => (
                <tr key={quote.quoteId}>
                  <td>
                    <input type="checkbox" name="quoteId" value={quote.quoteId} aria-label={`Select ${quote.applicationNumber ?? `quote ${quote.quoteId.slice(0, 8)}`}`} />
                  </td>
                  <td>
                    <Link href={`/admin/quotes/${quote.quoteId}`}>{quote.applicationNumber ?? `Quote ${quote.quoteId.slice(0, 8)}`}</Link>
                    {!quote.applicationNumber && <div className="muted">No application number yet</div>}
                  </td>
                  <td>
                    {quote.email ?? <span className="muted">No email yet</span>}
                    {quote.names && <div className="muted">{quote.names}</div>}
                  </td>
                  <td>{[quote.city, quote.region, quote.country].filter(Boolean).join(", ") || <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={quote.status} />
                  </td>
                  <td className="number">{money(quote.monthlyPremium, quote.currency)}</td>
                  <td>{dateTime(quote.createdAt)}</td>
                  <td>{dateTime(quote.updatedAt)}</td>
                  <td>{quote.referredAt ? dateTime(quote.referredAt) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        </form>
      )}

      {data && pages > 1 && (
        <nav className="pagination" aria-label="Pages of quotes">
          <ul>
            <li>{data.page > 1 ? <Link href={href({ ...query, page: data.page - 1 })}>Previous page</Link> : <span className="muted">Previous page</span>}</li>
            <li>{data.page < pages ? <Link href={href({ ...query, page: data.page + 1 })}>Next page</Link> : <span className="muted">Next page</span>}</li>
          </ul>
          <span>
            Page {data.page} of {pages}
          </span>
        </nav>
      )}
    </>
  );
}
