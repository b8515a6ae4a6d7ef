/** The quote domain: commands, events, state, rules (decide/evolve) and pricing. Pure: no I/O, no clock. */
export type { Actor, ActorKind, AgentActor } from "./actor";
export { isAgent } from "./actor";

export type {
  ApproveQuote,
  AssignApplicationNumber,
  CancelQuote,
  CaptureContactDetails,
  CaptureFamilyDetails,
  CaptureGeographicDetails,
  EraseQuotePersonalData,
  QuoteCommand,
  QuoteCommandOfType,
  QuoteCommandType,
  RecordApplicationNumberFailure,
  ReferQuote,
  RejectQuote,
  RequestApplicationNumber,
  RetryApplicationNumber,
  StartQuote,
  SubmitQuote,
} from "./commands";
export { QUOTE_COMMAND_TYPES, isQuoteCommandType } from "./commands";

export type {
  ApplicationNumberAssigned,
  ApplicationNumberRequestFailed,
  ContactDetailsCaptured,
  FamilyDetailsCaptured,
  GeographicDetailsCaptured,
  PersonalDataErased,
  QuoteApproved,
  QuoteCancelled,
  QuoteEvent,
  QuoteEventOfType,
  QuoteEventType,
  QuoteReferred,
  QuoteRejected,
  QuoteStarted,
  QuoteSubmitted,
  RecordedEvent,
} from "./events";
export { QUOTE_EVENT_TYPES, isQuoteEventType } from "./events";

export type { DecisionOutcome, QuoteAnswers, QuoteDecision, QuotePage, QuoteState, QuoteStatus } from "./state";
export { QUOTE_PAGES, initialQuoteState } from "./state";

export type { QuoteAction, QuoteDomainError, QuoteErrorCode } from "./errors";
export {
  QUOTE_ERROR_CODES,
  agentRequired,
  applicationNumberAlreadyAssigned,
  applicationNumberPending,
  quoteAlreadyDecided,
  quoteAlreadyExists,
  quoteCancelled,
  quoteIncomplete,
  quoteNotDraft,
  quoteNotFound,
  quoteNotSubmitted,
  personalDataErased,
  reasonRequired,
} from "./errors";

export type { DecideContext, DecideResult } from "./decide";
export { decide } from "./decide";
export { evolve, foldQuote } from "./evolve";

export type { Currency, Premium, PremiumLine, PremiumLineKind } from "./premium";
export type { PricingInput } from "./pricing";
export { applyFactor, priceQuote } from "./pricing";
export type { CountryRates, RateTable } from "./rates";
export { RATES } from "./rates";
export { QUOTE_VALIDITY_DAYS, validUntil } from "./validity";

export type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
export { changedSinceSeen, sameValue } from "./stale-version";
export { ERASED, PERSONAL_EVENT_TYPES, carriesPersonalData, eraseAnswers, isErased, mapPersonalValues } from "./personal-data";
