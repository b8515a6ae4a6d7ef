/** The quote domain: commands, events, state, rules (decide/evolve) and pricing. Pure: no I/O, no clock. */
export type { Actor, ActorKind, AgentActor } from "./actor";
export { isAgent } from "./actor";

export type {
  ApplyDataRetention,
  AddQuoteNote,
  ApproveQuote,
  AssignQuote,
  AssignApplicationNumber,
  CancelQuote,
  CaptureContactDetails,
  CaptureFamilyDetails,
  CaptureGeographicDetails,
  ExpireQuote,
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
  QuoteApprovedAutomatically,
  QuoteCancelled,
  QuoteEvent,
  QuoteAssigned,
  QuoteExpired,
  QuoteNoteAdded,
  QuoteReferredAutomatically,
  QuoteRequoted,
  QuoteEventOfType,
  QuoteEventType,
  QuoteReferred,
  QuoteRejected,
  QuoteStarted,
  QuoteSubmitted,
  RecordedEvent,
} from "./events";
export { QUOTE_EVENT_TYPES, isQuoteEventType } from "./events";

export type { DecisionOutcome, QuoteAnswers, QuoteDecision, QuotePage, QuoteState, QuoteStatus, UnderwritingResult } from "./state";
export { QUOTE_PAGES, awaitsDecision, initialQuoteState } from "./state";

export type { QuoteAction, QuoteDomainError, QuoteErrorCode } from "./errors";
export {
  QUOTE_ERROR_CODES,
  agentRequired,
  applicationNumberAlreadyAssigned,
  applicationNumberPending,
  quoteAlreadyDecided,
  quoteAlreadyExists,
  quoteCancelled,
  quoteExpired,
  quoteIncomplete,
  quoteNotDraft,
  quoteNotFound,
  quoteNotSubmitted,
  personalDataErased,
  noteRequired,
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
export type { QuoteValidity } from "./validity";
export { DEFAULT_QUOTE_VALIDITY, QUOTE_VALIDITY_DAYS, endOfValidity, validUntil, validityOf } from "./validity";
export type { QuoteSettings } from "./settings";
export { DEFAULT_QUOTE_SETTINGS } from "./settings";
export type { UnderwritingInput, UnderwritingOutcome, UnderwritingReason, UnderwritingRuleId, UnderwritingSettings } from "./underwriting";
export { DEFAULT_UNDERWRITING_SETTINGS, MAX_DEPENDENTS_WITHOUT_REFERRAL, UNDERWRITING_RULES, underwrite } from "./underwriting";
export { requote } from "./requote";
export type { RetentionDeadline, RetentionPeriod, RetentionSettings } from "./retention";
export { DEFAULT_RETENTION_SETTINGS, PRIVACY_CLOSED_RETENTION_DAYS, PRIVACY_DRAFT_RETENTION_DAYS, retentionApplies, retentionDeadline } from "./retention";

export type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
export { changedSinceSeen, sameValue } from "./stale-version";
export { ERASED, PERSONAL_EVENT_TYPES, carriesPersonalData, eraseAnswers, isErased, mapPersonalValues } from "./personal-data";
