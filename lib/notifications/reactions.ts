import "server-only";
/**
 * Which events send the customer an email, and when the reminder before expiry goes. Pure: the reactor and the
 * scheduled reminder apply these rules; the sender reads them again to know what an email is about.
 */
import type { EmailSubject, NotificationKind } from "./compose-message";

const KIND_BY_EVENT_TYPE: Partial<Record<string, NotificationKind>> = {
  QuoteSubmitted: "submitted",
  QuoteApproved: "decided",
  QuoteRejected: "decided",
  QuoteReferred: "decided",
  QuoteApprovedAutomatically: "decided",
  QuoteReferredAutomatically: "decided",
  QuoteCancelled: "withdrawn",
};

/** The email an event of this type sends, or null for none. */
export const notificationKindOf = (eventType: string): NotificationKind | null => KIND_BY_EVENT_TYPE[eventType] ?? null;

/** What an email caused by an event of this type is about (for a decision, which one and whether a rule made it). */
export function emailSubjectOf(kind: NotificationKind, eventType: string | null): EmailSubject | null {
  if (kind !== "decided") return { kind };
  switch (eventType) {
    case "QuoteApproved":
      return { kind, outcome: "approved", automatic: false };
    case "QuoteApprovedAutomatically":
      return { kind, outcome: "approved", automatic: true };
    case "QuoteRejected":
      return { kind, outcome: "rejected", automatic: false };
    case "QuoteReferred":
      return { kind, outcome: "referred", automatic: false };
    case "QuoteReferredAutomatically":
      return { kind, outcome: "referred", automatic: true };
    default:
      return null;
  }
}

/** The scheduled command, written at submission, that queues the reminder email when its time comes. */
export const REMIND_QUOTE_EXPIRING = "RemindQuoteExpiring";

export const EXPIRY_REMINDER_LEAD_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * When to remind the customer that the quote ends: three days before its expiry moment. A quote offered for three
 * days or less is reminded halfway through its validity instead, so every quote gets one reminder while the
 * customer can still act (a one-day quote: after twelve hours).
 */
export function expiryReminderTime(submittedAt: Date, expiresAt: Date): Date {
  const threeDaysBefore = expiresAt.getTime() - EXPIRY_REMINDER_LEAD_MS;
  if (threeDaysBefore > submittedAt.getTime()) return new Date(threeDaysBefore);
  return new Date(submittedAt.getTime() + Math.max(0, expiresAt.getTime() - submittedAt.getTime()) / 2);
}
