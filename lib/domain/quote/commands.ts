/** What customers, agents and the system ask of a quote. Every command names its quote. */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { RetentionPeriod } from "./retention";

export interface StartQuote {
  type: "StartQuote";
  quoteId: string;
}

export interface CaptureGeographicDetails {
  type: "CaptureGeographicDetails";
  quoteId: string;
  details: GeographicDetails;
}

export interface CaptureContactDetails {
  type: "CaptureContactDetails";
  quoteId: string;
  details: ContactDetails;
}

export interface CaptureFamilyDetails {
  type: "CaptureFamilyDetails";
  quoteId: string;
  details: FamilyDetails;
}

export interface SubmitQuote {
  type: "SubmitQuote";
  quoteId: string;
}

/**
 * Asks the external service for an application number. Deciding it records nothing: it only says whether the
 * request is allowed, so the infrastructure can queue it; the outcome comes back as AssignApplicationNumber or
 * RecordApplicationNumberFailure.
 */
export interface RequestApplicationNumber {
  type: "RequestApplicationNumber";
  quoteId: string;
}

/**
 * The customer's "Try again" after the last request for an application number failed. Like RequestApplicationNumber
 * it records nothing; it is allowed only after a failure, so one failure allows one new request.
 */
export interface RetryApplicationNumber {
  type: "RetryApplicationNumber";
  quoteId: string;
}

export interface AssignApplicationNumber {
  type: "AssignApplicationNumber";
  quoteId: string;
  applicationNumber: string;
}

export interface RecordApplicationNumberFailure {
  type: "RecordApplicationNumberFailure";
  quoteId: string;
  reason: string;
}

export interface ApproveQuote {
  type: "ApproveQuote";
  quoteId: string;
  reason?: string | undefined;
}

export interface RejectQuote {
  type: "RejectQuote";
  quoteId: string;
  reason: string;
}

export interface ReferQuote {
  type: "ReferQuote";
  quoteId: string;
  reason: string;
}

export interface CancelQuote {
  type: "CancelQuote";
  quoteId: string;
}

/** The platform's, at the quote's expiry moment (a scheduled command written when the quote was submitted). */
export interface ExpireQuote {
  type: "ExpireQuote";
  quoteId: string;
}

/** The customer or an agent erases the quote's personal data; the quote's status, premium and numbers stay. */
export interface EraseQuotePersonalData {
  type: "EraseQuotePersonalData";
  quoteId: string;
  reason: string;
}

/** The platform erases the personal data of a quote its retention rule (`period`) no longer keeps, at `dueAt`. */
export interface ApplyDataRetention {
  type: "ApplyDataRetention";
  quoteId: string;
  period: RetentionPeriod;
  dueAt: string;
}

/** An agent writes a note on the quote, for the agents who handle it next. The text may hold personal data. */
export interface AddQuoteNote {
  type: "AddQuoteNote";
  quoteId: string;
  note: string;
}

/** An agent takes the quote into their work queue (`agentId` is themselves) or hands it to another agent. */
export interface AssignQuote {
  type: "AssignQuote";
  quoteId: string;
  agentId: string;
}

export type QuoteCommand =
  | StartQuote
  | CaptureGeographicDetails
  | CaptureContactDetails
  | CaptureFamilyDetails
  | SubmitQuote
  | RequestApplicationNumber
  | RetryApplicationNumber
  | AssignApplicationNumber
  | RecordApplicationNumberFailure
  | ApproveQuote
  | RejectQuote
  | ReferQuote
  | CancelQuote
  | ExpireQuote
  | EraseQuotePersonalData
  | ApplyDataRetention
  | AddQuoteNote
  | AssignQuote;

export type QuoteCommandType = QuoteCommand["type"];

export type QuoteCommandOfType<T extends QuoteCommandType> = Extract<QuoteCommand, { type: T }>;

// A record, so the compiler insists every command type is listed.
const commandTypes: Record<QuoteCommandType, true> = {
  StartQuote: true,
  CaptureGeographicDetails: true,
  CaptureContactDetails: true,
  CaptureFamilyDetails: true,
  SubmitQuote: true,
  RequestApplicationNumber: true,
  RetryApplicationNumber: true,
  AssignApplicationNumber: true,
  RecordApplicationNumberFailure: true,
  ApproveQuote: true,
  RejectQuote: true,
  ReferQuote: true,
  CancelQuote: true,
  ExpireQuote: true,
  EraseQuotePersonalData: true,
  ApplyDataRetention: true,
  AddQuoteNote: true,
  AssignQuote: true,
};

export const QUOTE_COMMAND_TYPES: readonly QuoteCommandType[] = Object.freeze(
  Object.keys(commandTypes) as QuoteCommandType[],
);

export function isQuoteCommandType(value: unknown): value is QuoteCommandType {
  return typeof value === "string" && Object.hasOwn(commandTypes, value);
}
