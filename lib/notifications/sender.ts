import "server-only";
import { DEFAULT_WORKER_CLAIM_LEASE_SECONDS } from "../config/defaults";
import { awaitsDecision, foldQuote, type RecordedEvent } from "../domain/quote";
import { isErased } from "../domain/quote/personal-data";
import type { EventStore } from "../eventstore/event-store";
import type { Logger } from "../logging/logger";
import { metrics } from "../observability/metrics";
import { truncateText } from "../text/truncate-text";
import { composeEmail } from "./compose-message";
import { messageIdOf, WAITING_FOR_APPLICATION_NUMBER, type ClaimedNotification, type NotificationOutbox } from "./outbox";
import { emailSubjectOf } from "./reactions";
import { isPermanentSmtpFailure, type MailTransport } from "./smtp-transport";

/** How long "we have your quote" waits for the application number before it goes saying the number will follow. */
const DEFAULT_NUMBER_WAIT_MS = 10 * 60_000;
/** How often a waiting "we have your quote" looks again for its number: soon at first, then less often. */
const NUMBER_CHECK_MIN_MS = 1_000;
const NUMBER_CHECK_MAX_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 20;
const defaultRetryDelayMs = (attempt: number) => Math.min(10 * 60_000, 5_000 * 2 ** (attempt - 1));

export interface NotificationSenderDeps {
  outbox: NotificationOutbox;
  store: Pick<EventStore, "readStream">;
  transport: MailTransport;
  /** MAIL_FROM. */
  from: string;
  /** The app's public origin; emails link to the quote's page there, never with a token. */
  appOrigin: string;
  log: Logger;
  numberWaitMs?: number;
  /** A claimed email is hidden from other senders this long; a sender that dies mid-send leaves it to another after. */
  leaseSeconds?: number;
  retryDelayMs?: (attempt: number) => number;
  maxAttempts?: number;
}

type Outcome = { sent: true } | { skipped: string } | { waiting: true };

/**
 * When an email waiting for the application number looks again: after a quarter of the time it has waited so far
 * (between 1 and 30 s), never past the end of its wait. A number that comes in a second is mailed about a second
 * later; a service that is down for minutes costs a few checks per email, not one a second each.
 */
export function numberCheckDelayMs(waitedMs: number, numberWaitMs: number): number {
  const delay = Math.min(NUMBER_CHECK_MAX_MS, Math.max(NUMBER_CHECK_MIN_MS, waitedMs / 4));
  return Math.max(0, Math.min(delay, numberWaitMs - waitedMs));
}

/**
 * Sends the queued emails. Each is composed now, from the quote's events as the event store reads them: the
 * address decrypted with the quote's data key, read in the same statement as the events. A quote erased by then
 * has no key, so its email is skipped ("erased") and never sent.
 *
 * Exactly once per notification, but for one window: the server accepted the message (SMTP 250) and the worker died
 * before marking it sent. After the lease another sender sends it again, with the same Message-ID (derived from
 * the notification's idempotency key), so the copy is recognisably the same message.
 */
export function createNotificationSender(deps: NotificationSenderDeps) {
  const numberWaitMs = deps.numberWaitMs ?? DEFAULT_NUMBER_WAIT_MS;
  const retryDelayMs = deps.retryDelayMs ?? defaultRetryDelayMs;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  async function deliver(notification: ClaimedNotification): Promise<Outcome> {
    const events: RecordedEvent[] = await deps.store.readStream(notification.quoteId);
    if (!events.length) return { skipped: "no such quote" };
    const state = foldQuote(events);
    const address = state.contactDetails?.email;
    if (state.personalDataErased || (address !== undefined && isErased(address))) return { skipped: "erased" };
    if (!address) return { skipped: "no address" };
    const cause = notification.eventId ? events.find((event) => event.eventId === notification.eventId) : undefined;
    const subject = emailSubjectOf(notification.kind, cause?.type ?? null);
    if (!subject) return { skipped: `nothing to say about ${cause?.type ?? "a missing event"}` };
    if (notification.kind === "expiring-soon" && !awaitsDecision(state.status)) return { skipped: `quote ${state.status}` };
    // "We have your quote" waits for the application number (requested when the quote started; it may come after
    // the submission), unless its request failed or it takes too long: then it says the number will follow.
    const numberPending = state.applicationNumber === null && !state.applicationNumberFailed;
    if (notification.kind === "submitted" && numberPending && Date.now() - notification.createdAt.getTime() < numberWaitMs) return { waiting: true };

    const email = composeEmail(subject, {
      applicationNumber: state.applicationNumber,
      premium: state.premium && { monthly: state.premium.monthly, currency: state.premium.currency },
      validUntil: state.validUntil,
      quoteUrl: `${deps.appOrigin}/quote/${notification.quoteId}`,
    });
    try {
      await deps.transport.send({ from: deps.from, to: address, ...email, messageId: messageIdOf(notification.idempotencyKey, deps.from) });
    } catch (error) {
      // The server's answer may quote the recipient: never let the address reach a log or the outbox.
      throw new SendError(String((error as Error).message ?? error).split(address).join("[recipient]"), isPermanentSmtpFailure(error));
    }
    return { sent: true };
  }

  async function runOne(notification: ClaimedNotification) {
    const context = { notificationId: notification.id.toString(), quoteId: notification.quoteId, kind: notification.kind, attempt: notification.attempts };
    try {
      const outcome = await deliver(notification);
      if ("waiting" in outcome) {
        const delay = numberCheckDelayMs(Date.now() - notification.createdAt.getTime(), numberWaitMs);
        return await deps.outbox.retryLater(notification.id, delay, WAITING_FOR_APPLICATION_NUMBER, { countAttempt: false });
      }
      if ("skipped" in outcome) {
        metrics().notifications.inc({ kind: notification.kind, outcome: "skipped" });
        deps.log.info({ ...context, reason: outcome.skipped }, "email skipped");
        return await deps.outbox.markSkipped(notification.id, outcome.skipped);
      }
      metrics().notifications.inc({ kind: notification.kind, outcome: "sent" });
      deps.log.info(context, "email sent");
      return await deps.outbox.markSent(notification.id);
    } catch (error) {
      metrics().notifications.inc({ kind: notification.kind, outcome: "failed" });
      const reason = truncateText(error instanceof Error ? error.message : String(error), 2_000);
      if ((error instanceof SendError && error.permanent) || notification.attempts >= maxAttempts) {
        deps.log.error({ ...context, reason }, "email failed for good");
        return deps.outbox.markFailed(notification.id, reason);
      }
      const delay = retryDelayMs(notification.attempts);
      deps.log.warn({ ...context, reason, retryInMs: delay }, "email not sent; will retry");
      return deps.outbox.retryLater(notification.id, delay, reason);
    }
  }

  return {
    /** Sends the due emails (up to `limit`, at most one per quote at a time); returns how many it claimed. */
    async runDue(limit = 10): Promise<number> {
      const claimed = await deps.outbox.claim(limit, deps.leaseSeconds ?? DEFAULT_WORKER_CLAIM_LEASE_SECONDS);
      await Promise.all(claimed.map((notification) => runOne(notification).catch((error) => deps.log.warn({ err: error, notificationId: notification.id.toString() }, "could not record an email's outcome; it is sent again after its lease"))));
      return claimed.length;
    },
  };
}

class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
