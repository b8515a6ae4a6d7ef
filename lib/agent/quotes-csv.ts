/**
 * The quote list as CSV (RFC 4180): a header row, then one row per quote; CRLF line ends; a field with a comma, a
 * quote or a line break is quoted, its quotes doubled. Text that a spreadsheet would run as a formula (starting
 * with = + - @, or a tab or carriage return) is prefixed with ' so it stays text. Erased personal values read "erased".
 */
import "server-only";
import { ERASED } from "../domain/quote/personal-data";
import type { QuoteSummaryView } from "../queries/contracts";

export const QUOTE_CSV_COLUMNS = [
  "Quote id",
  "Application number",
  "Status",
  "Email",
  "Names",
  "City",
  "Region",
  "Country",
  "Monthly premium",
  "Currency",
  "Assigned to",
  "Started",
  "Last change",
  "Submitted",
  "Referred",
] as const;

/** Names (spouse's and children's) are stored joined, so an erased quote's names are several ERASED in a row. */
const isErasedValue = (value: string) => value !== "" && value.split(/\s+/).every((part) => part === ERASED);

/** One field as CSV: guarded against formula injection, then quoted when it needs to be. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string") {
    if (isErasedValue(text)) text = "erased";
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function quotesCsv(quotes: readonly QuoteSummaryView[], assigneeLabel: (agentId: string) => string): string {
  const rows = quotes.map((quote) => [
    quote.quoteId,
    quote.applicationNumber,
    quote.status,
    quote.email,
    quote.names,
    quote.city,
    quote.region,
    quote.country,
    quote.monthlyPremium === null ? null : quote.monthlyPremium.toFixed(2),
    quote.currency,
    quote.assignedTo === null ? null : assigneeLabel(quote.assignedTo),
    quote.createdAt,
    quote.updatedAt,
    quote.submittedAt,
    quote.referredAt,
  ]);
  return [QUOTE_CSV_COLUMNS, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
