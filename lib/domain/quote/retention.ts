/**
 * How long a quote's personal data is kept. A draft nobody submitted is erased a period after it was started; a
 * submitted quote that ended (approved, rejected, withdrawn or expired) a period after it ended. A quote still open
 * (submitted or referred, waiting for an agent) is kept: its period starts when it ends.
 */
import { awaitsDecision, type QuoteState } from "./state";

/** Each period in seconds; null keeps that kind of quote's personal data until someone asks for erasure. */
export interface RetentionSettings {
  draftSeconds: number | null;
  closedSeconds: number | null;
}

const DAY_SECONDS = 24 * 60 * 60;
export const PRIVACY_DRAFT_RETENTION_DAYS = 90;
export const PRIVACY_CLOSED_RETENTION_DAYS = 365;

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = Object.freeze({
  draftSeconds: PRIVACY_DRAFT_RETENTION_DAYS * DAY_SECONDS,
  closedSeconds: PRIVACY_CLOSED_RETENTION_DAYS * DAY_SECONDS,
});

/** Which rule a retention deadline was set by: never submitted, or ended after submission. */
export type RetentionPeriod = "draft" | "closed";

export interface RetentionDeadline {
  period: RetentionPeriod;
  /** ISO 8601: the moment the personal data is erased. */
  dueAt: string;
}

/** A quote is priced and given its validity only at submission. */
export const wasSubmitted = (quote: QuoteState) => quote.validUntil !== null;

/** True when `quote` is what `period`'s rule erases: a never-submitted quote (a draft, or one withdrawn as a draft), or a submitted one that ended. */
export function retentionApplies(period: RetentionPeriod, quote: QuoteState): boolean {
  if (quote.status === "none") return false;
  return period === "draft" ? !wasSubmitted(quote) : wasSubmitted(quote) && !awaitsDecision(quote.status);
}

/**
 * The deadline a change from `before` to `after` at `now` starts: a new quote starts the draft period, a submitted
 * quote's end starts the closed period. Null when the change starts none, or the period keeps data indefinitely.
 */
export function retentionDeadline(before: QuoteState, after: QuoteState, now: Date, settings: RetentionSettings): RetentionDeadline | null {
  const period: RetentionPeriod | null =
    before.status === "none" && after.status === "draft" ? "draft" : !retentionApplies("closed", before) && retentionApplies("closed", after) ? "closed" : null;
  if (period === null) return null;
  const seconds = period === "draft" ? settings.draftSeconds : settings.closedSeconds;
  if (seconds === null) return null;
  return { period, dueAt: new Date(now.getTime() + seconds * 1000).toISOString() };
}
