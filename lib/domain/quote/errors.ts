/**
 * Why decide() refused a command. Errors are data: `code` is for programs (HTTP status, UI branch),
 * `message` is a sentence to show the customer or agent as it is.
 */
import type { RetentionPeriod } from "./retention";
import type { DecisionOutcome, QuotePage, QuoteStatus } from "./state";

export type QuoteErrorCode =
  | "QuoteNotFound"
  | "QuoteAlreadyExists"
  | "QuoteNotDraft"
  | "QuoteIncomplete"
  | "QuoteNotSubmitted"
  | "QuoteCancelled"
  | "AgentRequired"
  | "ReasonRequired"
  | "QuoteAlreadyDecided"
  | "ApplicationNumberAlreadyAssigned"
  | "ApplicationNumberPending"
  | "QuoteExpired"
  | "QuoteNotExpired"
  | "QuoteStillValid"
  | "PersonalDataErased"
  | "RetentionNotDue"
  | "RetentionNotApplicable"
  | "NoteRequired";

export interface QuoteDomainError {
  code: QuoteErrorCode;
  message: string;
  /** QuoteIncomplete only: the pages still to fill in, in wizard order. */
  missing?: QuotePage[];
}

const errorCodes: Record<QuoteErrorCode, true> = {
  QuoteNotFound: true,
  QuoteAlreadyExists: true,
  QuoteNotDraft: true,
  QuoteIncomplete: true,
  QuoteNotSubmitted: true,
  QuoteCancelled: true,
  AgentRequired: true,
  ReasonRequired: true,
  QuoteAlreadyDecided: true,
  ApplicationNumberAlreadyAssigned: true,
  ApplicationNumberPending: true,
  QuoteExpired: true,
  QuoteNotExpired: true,
  QuoteStillValid: true,
  PersonalDataErased: true,
  RetentionNotDue: true,
  RetentionNotApplicable: true,
  NoteRequired: true,
};

export const QUOTE_ERROR_CODES: readonly QuoteErrorCode[] = Object.freeze(Object.keys(errorCodes) as QuoteErrorCode[]);

/** What the refused command would have done to the quote, as a past participle: "can't be approved". */
/** "withdrawn" is the customer's word for CancelQuote: the customer withdraws the quote. */
export type QuoteAction = "changed" | "submitted" | "approved" | "rejected" | "referred" | "withdrawn" | "expired";

/** A decision action, in the words of a reason prompt: "a reason for rejecting this quote". */
type DecisionAction = Extract<QuoteAction, "approved" | "rejected" | "referred">;

const GERUND: Record<DecisionAction, string> = { approved: "approving", rejected: "rejecting", referred: "referring" };
/** What only an agent may do to a quote: a decision, a note or an assignment. */
type AgentAction = DecisionAction | "noted" | "assigned";

const VERB: Record<AgentAction, string> = { approved: "approve", rejected: "reject", referred: "refer", noted: "add a note to", assigned: "assign" };

const PAGE_NAME: Record<QuotePage, string> = {
  geographicDetails: "location details",
  contactDetails: "contact details",
  familyDetails: "family details",
};

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function quoteNotFound(): QuoteDomainError {
  return { code: "QuoteNotFound", message: "We couldn't find this quote. Check the link, or start a new quote." };
}

export function quoteAlreadyExists(): QuoteDomainError {
  return { code: "QuoteAlreadyExists", message: "This quote has already been started." };
}

/** A draft-only action (changing a page, submitting) on a quote past the draft stage. */
export function quoteNotDraft(
  status: Exclude<QuoteStatus, "none" | "draft" | "cancelled" | "expired">,
  action: "changed" | "submitted",
): QuoteDomainError {
  const where =
    status === "submitted"
      ? "submitted"
      : `submitted and ${status === "referred" ? "referred for review" : status}`;
  return {
    code: "QuoteNotDraft",
    message:
      action === "submitted"
        ? `This quote has already been ${where}.`
        : `This quote has already been ${where}, so its details can no longer be changed.`,
  };
}

export function quoteIncomplete(missing: QuotePage[]): QuoteDomainError {
  return {
    code: "QuoteIncomplete",
    message: `Add your ${listInWords(missing.map((page) => PAGE_NAME[page]))} before submitting.`,
    missing: [...missing],
  };
}

export function quoteNotSubmitted(action: DecisionAction | "expired"): QuoteDomainError {
  return {
    code: "QuoteNotSubmitted",
    message: `This quote hasn't been submitted yet, so it can't be ${action}.`,
  };
}

/** The customer withdrew the quote (QuoteCancelled): nothing more can happen to it. */
export function quoteCancelled(action: QuoteAction): QuoteDomainError {
  return {
    code: "QuoteCancelled",
    message:
      action === "withdrawn"
        ? "This quote has already been withdrawn."
        : `This quote has been withdrawn by the customer, so it can't be ${action}.`,
  };
}

export function agentRequired(action: AgentAction): QuoteDomainError {
  return {
    code: "AgentRequired",
    message: `Only an agent can ${VERB[action]} a quote. Sign in as an agent to continue.`,
  };
}

export function reasonRequired(action: Exclude<DecisionAction, "approved">): QuoteDomainError {
  return { code: "ReasonRequired", message: `Enter a reason for ${GERUND[action]} this quote.` };
}

/** Approving a quote the underwriting rules referred overrides them: the agent says why. */
export function overrideReasonRequired(): QuoteDomainError {
  return {
    code: "ReasonRequired",
    message: "The underwriting rules referred this quote: enter a reason for approving it anyway.",
  };
}

/** The premium's validity ended (`expiresAt`, ISO 8601): nothing more can happen to the quote but a requote. */
export function quoteExpired(action: QuoteAction, expiresAt: string | null): QuoteDomainError {
  const when = expiresAt ? ` on ${expiresAt.slice(0, 10)}` : "";
  return {
    code: "QuoteExpired",
    message:
      action === "expired"
        ? `This quote has already expired${when}.`
        : `This quote expired${when}, so it can't be ${action}. Start a new quote with these answers instead.`,
  };
}

export function quoteNotExpired(): QuoteDomainError {
  return {
    code: "QuoteNotExpired",
    message: "Only an expired quote can be started again with its answers; this one can still be continued.",
  };
}

/** ExpireQuote before the quote's expiry moment (the scheduled command ran early): nothing to do yet. */
export function quoteStillValid(expiresAt: string | null): QuoteDomainError {
  return { code: "QuoteStillValid", message: `This quote is valid until ${expiresAt ?? "it is submitted"}, so it can't expire yet.` };
}

/** `decision` is the outcome the quote already has; `action` what was attempted. */
export function quoteAlreadyDecided(decision: DecisionOutcome, action: DecisionAction | "withdrawn" | "expired"): QuoteDomainError {
  const already = decision === "referred" ? "referred for review" : decision;
  return {
    code: "QuoteAlreadyDecided",
    message:
      decision === action
        ? `This quote has already been ${already}.`
        : `This quote has already been ${already}, so it can't be ${action}.`,
  };
}

export function applicationNumberAlreadyAssigned(applicationNumber: string): QuoteDomainError {
  return {
    code: "ApplicationNumberAlreadyAssigned",
    message: `This quote already has application number ${applicationNumber}.`,
  };
}

export function applicationNumberPending(): QuoteDomainError {
  return {
    code: "ApplicationNumberPending",
    message: "We are still asking for this quote's application number: there is nothing to try again yet.",
  };
}

/** `erasing`: the refused command was a second erasure; `noting`: a note (which may hold personal data). */
export function personalDataErased(erasing = false, noting = false): QuoteDomainError {
  return {
    code: "PersonalDataErased",
    message: erasing
      ? "This quote's personal data was already erased."
      : noting
        ? "This quote's personal data was erased, so no more notes can be added to it."
        : "This quote's personal data was erased, so its answers can't be changed or submitted.",
  };
}

/** ApplyDataRetention before its deadline (the scheduled command ran early): nothing to do yet. */
export function retentionNotDue(dueAt: string): QuoteDomainError {
  return { code: "RetentionNotDue", message: `This quote's personal data is kept until ${dueAt}.` };
}

/** The quote moved on since the deadline was set (a draft was submitted): that rule no longer erases it. */
export function retentionNotApplicable(period: RetentionPeriod, status: QuoteStatus): QuoteDomainError {
  const rule = period === "draft" ? "an unsubmitted draft" : "a quote that ended";
  return { code: "RetentionNotApplicable", message: `This quote is ${status}, no longer ${rule}, so that retention period does not erase it.` };
}

export function noteRequired(): QuoteDomainError {
  return { code: "NoteRequired", message: "Enter the note's text." };
}
