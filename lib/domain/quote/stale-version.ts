/**
 * What a command sent at an older version means. The sender saw the quote at that version; other events may have
 * landed since (the application number arrived, another page was saved in another tab). The command still stands
 * unless something it was based on changed in between: only then is it a conflict, answered with the latest.
 */
import type { QuoteCommand, QuoteCommandType } from "./commands";
import type { QuoteEvent } from "./events";
import { foldQuote } from "./evolve";
import type { QuoteState } from "./state";

const noBasis = () => null;
const answers = (quote: QuoteState) => [quote.geographicDetails, quote.contactDetails, quote.familyDetails];
/** An agent decides on everything the quote page shows: the answers, the premium, the status and any decision. */
const decisionBasis = (quote: QuoteState) => [answers(quote), quote.premium, quote.status, quote.decision];

// A record, so the compiler insists every command says what it is based on. Status rules (a submitted quote takes no
// more answers) are decide()'s, judged on the latest state; a basis is only what the sender looked at.
const BASIS: Record<QuoteCommandType, (quote: QuoteState) => unknown> = {
  StartQuote: noBasis,
  CaptureGeographicDetails: (quote) => quote.geographicDetails,
  CaptureContactDetails: (quote) => quote.contactDetails,
  CaptureFamilyDetails: (quote) => quote.familyDetails,
  SubmitQuote: answers,
  RequestApplicationNumber: noBasis,
  RetryApplicationNumber: noBasis,
  AssignApplicationNumber: noBasis,
  RecordApplicationNumberFailure: noBasis,
  ApproveQuote: decisionBasis,
  RejectQuote: decisionBasis,
  ReferQuote: decisionBasis,
  CancelQuote: noBasis,
  ExpireQuote: noBasis,
  EraseQuotePersonalData: noBasis,
  ApplyDataRetention: noBasis,
  AddQuoteNote: noBasis,
  // Taking a quote that someone else took since you looked is a conflict, not a silent reassignment.
  AssignQuote: (quote) => quote.assignedTo,
};

/** True when the command, sent by someone who saw the quote at `seenVersion`, must not run on the whole `history`. */
export function changedSinceSeen(command: QuoteCommand, history: readonly QuoteEvent[], seenVersion: number): boolean {
  if (seenVersion > history.length) return true;
  const basis = BASIS[command.type];
  return !sameValue(basis(foldQuote(history.slice(0, seenVersion))), basis(foldQuote(history)));
}

/** Same value, whatever the key order; an absent, null or empty field counts as not answered. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
