/**
 * The quote's rules: given what happened so far (state) and what is asked (command), which new events to record,
 * or why the command is refused. Pure: the clock and the actor come in through the context.
 */
import type { Actor } from "./actor";
import type {
  ApplyDataRetention,
  AddQuoteNote,
  ApproveQuote,
  AssignQuote,
  AssignApplicationNumber,
  CancelQuote,
  ExpireQuote,
  EraseQuotePersonalData,
  QuoteCommand,
  RecordApplicationNumberFailure,
  ReferQuote,
  RejectQuote,
  RequestApplicationNumber,
  RetryApplicationNumber,
  StartQuote,
  SubmitQuote,
} from "./commands";
import {
  agentRequired,
  applicationNumberAlreadyAssigned,
  applicationNumberPending,
  overrideReasonRequired,
  quoteAlreadyDecided,
  quoteAlreadyExists,
  quoteCancelled,
  quoteExpired,
  quoteIncomplete,
  quoteNotDraft,
  quoteNotFound,
  quoteNotSubmitted,
  quoteStillValid,
  personalDataErased,
  noteRequired,
  reasonRequired,
  retentionNotApplicable,
  retentionNotDue,
  type QuoteDomainError,
} from "./errors";
import type { QuoteEvent } from "./events";
import { priceQuote } from "./pricing";
import { DEFAULT_QUOTE_SETTINGS, type QuoteSettings } from "./settings";
import { retentionApplies } from "./retention";
import { QUOTE_PAGES, awaitsDecision, type QuoteState } from "./state";
import { underwrite } from "./underwriting";
import { validityOf } from "./validity";

export interface DecideContext {
  now: Date;
  actor: Actor;
  /** Validity and underwriting; the defaults when not given. */
  settings?: QuoteSettings;
}

export type DecideResult = { ok: true; events: QuoteEvent[] } | { ok: false; error: QuoteDomainError };

const accept = (...events: QuoteEvent[]): DecideResult => ({ ok: true, events });
const refuse = (error: QuoteDomainError): DecideResult => ({ ok: false, error });

export function decide(command: QuoteCommand, state: QuoteState, context: DecideContext): DecideResult {
  switch (command.type) {
    case "StartQuote":
      return startQuote(command, state);
    case "CaptureGeographicDetails":
      return whileDraft(state, () => accept({ type: "GeographicDetailsCaptured", data: { details: command.details } }));
    case "CaptureContactDetails":
      return whileDraft(state, () => accept({ type: "ContactDetailsCaptured", data: { details: command.details } }));
    case "CaptureFamilyDetails":
      return whileDraft(state, () => accept({ type: "FamilyDetailsCaptured", data: { details: command.details } }));
    case "SubmitQuote":
      return submitQuote(command, state, context);
    case "RequestApplicationNumber":
      return requestApplicationNumber(command, state);
    case "RetryApplicationNumber":
      return retryApplicationNumber(command, state);
    case "AssignApplicationNumber":
      return assignApplicationNumber(command, state);
    case "RecordApplicationNumberFailure":
      return recordApplicationNumberFailure(command, state);
    case "ApproveQuote":
      return approveQuote(command, state, context);
    case "RejectQuote":
      return rejectQuote(command, state, context);
    case "ReferQuote":
      return referQuote(command, state, context);
    case "CancelQuote":
      return cancelQuote(command, state, context);
    case "ExpireQuote":
      return expireQuote(command, state, context);
    case "EraseQuotePersonalData":
      return erasePersonalData(command, state, context);
    case "ApplyDataRetention":
      return applyDataRetention(command, state, context);
    case "AddQuoteNote":
      return addNote(command, state, context);
    case "AssignQuote":
      return assignQuote(command, state, context);
    default:
      return assertNever(command);
  }
}

function startQuote(command: StartQuote, state: QuoteState): DecideResult {
  if (state.status !== "none") return refuse(quoteAlreadyExists());
  return accept({ type: "QuoteStarted", data: { quoteId: command.quoteId } });
}

/** Pages can be filled in any order and changed as often as the customer likes, until the quote is submitted. */
function whileDraft(state: QuoteState, capture: () => DecideResult): DecideResult {
  if (state.personalDataErased) return refuse(personalDataErased());
  switch (state.status) {
    case "none":
      return refuse(quoteNotFound());
    case "draft":
      return capture();
    case "cancelled":
      return refuse(quoteCancelled("changed"));
    case "expired":
      return refuse(quoteExpired("changed", state.expiresAt));
    default:
      return refuse(quoteNotDraft(state.status, "changed"));
  }
}

function submitQuote(_command: SubmitQuote, state: QuoteState, { now, settings = DEFAULT_QUOTE_SETTINGS }: DecideContext): DecideResult {
  switch (state.status) {
    case "none":
      return refuse(quoteNotFound());
    case "draft":
      if (state.personalDataErased) return refuse(personalDataErased());
      break;
    case "cancelled":
      return refuse(quoteCancelled("submitted"));
    case "expired":
      return refuse(quoteExpired("submitted", state.expiresAt));
    default:
      return refuse(quoteNotDraft(state.status, "submitted"));
  }
  const { geographicDetails, contactDetails, familyDetails } = state;
  if (!geographicDetails || !contactDetails || !familyDetails) {
    return refuse(quoteIncomplete(QUOTE_PAGES.filter((page) => state[page] === null)));
  }
  const premium = priceQuote({ geographic: geographicDetails, family: familyDetails });
  const submitted: QuoteEvent = { type: "QuoteSubmitted", data: { premium, ...validityOf(now, settings.validity) } };
  const underwriting = underwrite({ geographic: geographicDetails, family: familyDetails, premium }, settings.underwriting);
  switch (underwriting.outcome) {
    case "referred":
      return accept(submitted, { type: "QuoteReferredAutomatically", data: { reasons: underwriting.reasons } });
    case "approved":
      return accept(submitted, { type: "QuoteApprovedAutomatically", data: { rules: underwriting.rules } });
    case "agent":
      return accept(submitted);
  }
}

/** A submitted or referred quote whose expiry moment has passed, whether or not QuoteExpired is recorded yet. */
function hasExpired(state: QuoteState, now: Date): boolean {
  if (state.status === "expired") return true;
  return awaitsDecision(state.status) && state.expiresAt !== null && now.getTime() >= Date.parse(state.expiresAt);
}

/** Records nothing: an accepted request is queued by the infrastructure; its outcome is recorded later. */
function requestApplicationNumber(_command: RequestApplicationNumber, state: QuoteState): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.applicationNumber !== null) return refuse(applicationNumberAlreadyAssigned(state.applicationNumber));
  return accept();
}

/** Records nothing, like a request; allowed only while the last request's failure is the latest word. */
function retryApplicationNumber(_command: RetryApplicationNumber, state: QuoteState): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.applicationNumber !== null) return refuse(applicationNumberAlreadyAssigned(state.applicationNumber));
  if (!state.applicationNumberFailed) return refuse(applicationNumberPending());
  return accept();
}

/** Accepted whatever the status: the external service may answer after the quote was decided or cancelled. */
function assignApplicationNumber(command: AssignApplicationNumber, state: QuoteState): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.applicationNumber !== null) return refuse(applicationNumberAlreadyAssigned(state.applicationNumber));
  return accept({ type: "ApplicationNumberAssigned", data: { applicationNumber: command.applicationNumber } });
}

function recordApplicationNumberFailure(command: RecordApplicationNumberFailure, state: QuoteState): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.applicationNumber !== null) return refuse(applicationNumberAlreadyAssigned(state.applicationNumber));
  return accept({ type: "ApplicationNumberRequestFailed", data: { reason: command.reason } });
}

/**
 * Checks shared by approve, reject and refer. The actor is checked first, so someone who is not an agent learns
 * nothing about whether the quote exists.
 */
function checkDecisionAllowed(
  action: "approved" | "rejected" | "referred",
  state: QuoteState,
  { actor, now }: DecideContext,
): { ok: true; agentId: string } | { ok: false; error: QuoteDomainError } {
  if (actor.kind !== "agent") return { ok: false, error: agentRequired(action) };
  if (hasExpired(state, now)) return { ok: false, error: quoteExpired(action, state.expiresAt) };
  switch (state.status) {
    case "none":
      return { ok: false, error: quoteNotFound() };
    case "draft":
      return { ok: false, error: quoteNotSubmitted(action) };
    case "cancelled":
      return { ok: false, error: quoteCancelled(action) };
    case "expired":
      return { ok: false, error: quoteExpired(action, state.expiresAt) };
    case "approved":
    case "rejected":
      return { ok: false, error: quoteAlreadyDecided(state.status, action) };
    case "referred":
      // A referred quote waits for a final decision; referring it again adds nothing.
      if (action === "referred") return { ok: false, error: quoteAlreadyDecided("referred", action) };
      return { ok: true, agentId: actor.agentId };
    case "submitted":
      return { ok: true, agentId: actor.agentId };
  }
}

function approveQuote(command: ApproveQuote, state: QuoteState, context: DecideContext): DecideResult {
  const allowed = checkDecisionAllowed("approved", state, context);
  if (!allowed.ok) return refuse(allowed.error);
  const reason = command.reason?.trim() || null;
  if (reason === null && state.status === "referred" && state.underwriting?.outcome === "referred") return refuse(overrideReasonRequired());
  return accept({ type: "QuoteApproved", data: { reason, agentId: allowed.agentId } });
}

function rejectQuote(command: RejectQuote, state: QuoteState, context: DecideContext): DecideResult {
  const allowed = checkDecisionAllowed("rejected", state, context);
  if (!allowed.ok) return refuse(allowed.error);
  const reason = command.reason.trim();
  if (reason === "") return refuse(reasonRequired("rejected"));
  return accept({ type: "QuoteRejected", data: { reason, agentId: allowed.agentId } });
}

function referQuote(command: ReferQuote, state: QuoteState, context: DecideContext): DecideResult {
  const allowed = checkDecisionAllowed("referred", state, context);
  if (!allowed.ok) return refuse(allowed.error);
  const reason = command.reason.trim();
  if (reason === "") return refuse(reasonRequired("referred"));
  return accept({ type: "QuoteReferred", data: { reason, agentId: allowed.agentId } });
}

/**
 * The customer withdraws the quote: a draft, or a submitted quote no agent has decided yet (a referral is not a
 * decision). Once approved or rejected it stays as decided. Who may ask is the command bus's policy (the quote's
 * access token).
 */
function cancelQuote(_command: CancelQuote, state: QuoteState, { now }: DecideContext): DecideResult {
  if (hasExpired(state, now)) return refuse(quoteExpired("withdrawn", state.expiresAt));
  switch (state.status) {
    case "none":
      return refuse(quoteNotFound());
    case "cancelled":
      return refuse(quoteCancelled("withdrawn"));
    case "expired":
      return refuse(quoteExpired("withdrawn", state.expiresAt));
    case "approved":
    case "rejected":
      return refuse(quoteAlreadyDecided(state.status, "withdrawn"));
    case "draft":
    case "submitted":
    case "referred":
      return accept({ type: "QuoteCancelled", data: {} });
  }
}

/**
 * The platform expires a quote at its expiry moment unless an agent approved or rejected it, or the customer
 * withdrew it, first. A referred quote expires too: the premium it was referred at is no longer offered.
 */
function expireQuote(_command: ExpireQuote, state: QuoteState, { now }: DecideContext): DecideResult {
  switch (state.status) {
    case "none":
      return refuse(quoteNotFound());
    case "draft":
      return refuse(quoteNotSubmitted("expired"));
    case "cancelled":
      return refuse(quoteCancelled("expired"));
    case "expired":
      return refuse(quoteExpired("expired", state.expiresAt));
    case "approved":
    case "rejected":
      return refuse(quoteAlreadyDecided(state.status, "expired"));
    case "submitted":
    case "referred":
      if (!hasExpired(state, now)) return refuse(quoteStillValid(state.expiresAt));
      return accept({ type: "QuoteExpired", data: {} });
  }
}

/**
 * Whatever the quote's status: the person's right to erasure does not wait for a decision. The event records who
 * asked and why, never what was erased.
 */
function erasePersonalData(command: EraseQuotePersonalData, state: QuoteState, { actor }: DecideContext): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.personalDataErased) return refuse(personalDataErased(true));
  const reason = command.reason.trim();
  return accept({ type: "PersonalDataErased", data: { reason, erasedBy: actor.kind, agentId: actor.kind === "agent" ? actor.agentId : null } });
}

/**
 * The platform's own erasure when a retention period ends. It records who erased (the system) and which rule, like
 * a person's erasure; a quote that moved on since the deadline was set (a draft submitted since) is left alone.
 */
function applyDataRetention(command: ApplyDataRetention, state: QuoteState, { now, actor }: DecideContext): DecideResult {
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.personalDataErased) return refuse(personalDataErased(true));
  if (now.getTime() < Date.parse(command.dueAt)) return refuse(retentionNotDue(command.dueAt));
  if (!retentionApplies(command.period, state)) return refuse(retentionNotApplicable(command.period, state.status));
  const reason = command.period === "draft" ? "Retention: not submitted within the period drafts are kept" : "Retention: the period kept after the quote ended has passed";
  return accept({ type: "PersonalDataErased", data: { reason, erasedBy: actor.kind, agentId: null } });
}

/**
 * An agent notes something on a quote, whatever its status: a note is for the agents, not a step of the quote. Not
 * after erasure: the note may hold personal data, and the quote has no data key left to encrypt it with.
 */
function addNote(command: AddQuoteNote, state: QuoteState, { actor }: DecideContext): DecideResult {
  if (actor.kind !== "agent") return refuse(agentRequired("noted"));
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.personalDataErased) return refuse(personalDataErased(false, true));
  const note = command.note.trim();
  if (note === "") return refuse(noteRequired());
  return accept({ type: "QuoteNoteAdded", data: { note, agentId: actor.agentId } });
}

/**
 * Puts the quote in an agent's work queue, whatever its status; taking it from another agent is allowed. Assigning
 * it to the agent who already has it records nothing, so pressing "Assign to me" twice is harmless.
 */
function assignQuote(command: AssignQuote, state: QuoteState, { actor }: DecideContext): DecideResult {
  if (actor.kind !== "agent") return refuse(agentRequired("assigned"));
  if (state.status === "none") return refuse(quoteNotFound());
  if (state.assignedTo === command.agentId) return accept();
  return accept({ type: "QuoteAssigned", data: { agentId: command.agentId } });
}

function assertNever(command: never): never {
  throw new Error(`Unknown quote command: ${JSON.stringify(command)}`);
}
