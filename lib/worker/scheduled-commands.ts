import "server-only";
import type { Bus } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import type { ApplicationNumberClient } from "../integrations/application-number-client";
import type { Logger } from "../logging/logger";
import { message } from "../cqrs/message";
import { recordApplicationNumberFailurePayloadSchema } from "../../schemas/quote-commands";
import { DEFAULT_WORKER_CLAIM_LEASE_SECONDS } from "../config/defaults";
import { metrics } from "../observability/metrics";
import { truncateText } from "../text/truncate-text";
import { enqueueNotifications, notificationKey } from "../notifications/outbox";
import { REMIND_QUOTE_EXPIRING } from "../notifications/reactions";

/** Rounds of (client retries + breaker) before the request is recorded as failed (about 2.5 minutes of backoff). */
export const MAX_APPLICATION_NUMBER_ROUNDS = 9;
/** While the breaker is open no call is made; such a round is not counted and waits for the breaker's probe. */
const OPEN_CIRCUIT_WAIT_MS = 5_000;
const roundBackoffMs = (round: number) => Math.min(30_000, 1_000 * 2 ** (round - 1));
/** Claims of one command before it is recorded as failed, whatever keeps it from finishing. */
export const DEFAULT_SCHEDULED_COMMAND_MAX_ATTEMPTS = 30;
/** The longest failure reason RecordApplicationNumberFailure accepts; a longer one would be refused on every try. */
const MAX_FAILURE_REASON_LENGTH = recordApplicationNumberFailurePayloadSchema.shape.reason.maxLength ?? 500;
const MAX_LAST_ERROR_LENGTH = 2_000;


/** ApplyDataRetention refused for these reasons has nothing left to do: the data was erased already, or the quote moved on. */
const NOTHING_TO_ERASE = new Set(["PersonalDataErased", "RetentionNotApplicable", "IdempotencyReplay"]);

/** ExpireQuote refused for these reasons has nothing left to do: the quote was decided, withdrawn or expired first. */
const NOTHING_TO_EXPIRE = new Set(["QuoteAlreadyDecided", "QuoteCancelled", "QuoteExpired", "IdempotencyReplay"]);

interface Claimed {
  id: string;
  type: string;
  stream_id: string;
  correlation_id: string;
  attempts: number;
  last_error: string | null;
  payload: Record<string, unknown>;
}

/**
 * Runs asynchronous commands queued by appends: RequestApplicationNumber, ExpireQuote at a quote's expiry moment,
 * RemindQuoteExpiring (queues the customer's reminder email) a few days before, and ApplyDataRetention when a
 * retention period ends. For the application number, each round calls the external
 * service through the resilient client; success dispatches AssignApplicationNumber, giving up after several rounds
 * dispatches RecordApplicationNumberFailure. Either outcome is an event on the quote's stream.
 */
export function createScheduledCommandProcessor(deps: { db: PrismaClient; commandBus: Bus; client: ApplicationNumberClient; log: Logger; maxRounds?: number; maxAttempts?: number; leaseSeconds?: number }) {
  // A claimed command is hidden from other workers this long; if its worker dies, another takes it after.
  const leaseSeconds = deps.leaseSeconds ?? DEFAULT_WORKER_CLAIM_LEASE_SECONDS;
  const maxRounds = deps.maxRounds ?? MAX_APPLICATION_NUMBER_ROUNDS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_SCHEDULED_COMMAND_MAX_ATTEMPTS;
  // The last round records the failure on the quote; the cap must leave room for that to be retried.
  if (maxAttempts <= maxRounds) throw new RangeError(`maxAttempts (${maxAttempts}) must be greater than maxRounds (${maxRounds})`);

  async function claim(limit: number): Promise<Claimed[]> {
    return deps.db.$queryRaw<Claimed[]>`
      UPDATE scheduled_commands
         SET attempts = attempts + 1, run_after = now() + make_interval(secs => ${leaseSeconds})
       WHERE id IN (SELECT id FROM scheduled_commands
                     WHERE status = 'pending' AND run_after <= now()
                     ORDER BY run_after LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, type, stream_id, correlation_id, attempts, last_error, payload`;
  }

  const finish = (id: string, status: "done" | "failed", lastError: string | null = null) =>
    deps.db.scheduledCommand.update({ where: { id }, data: { status, lastError: lastError === null ? null : truncateText(lastError, MAX_LAST_ERROR_LENGTH), completedAt: new Date() } });

  /** metrics: a run that did not succeed; `final` when the command is marked failed for good. */
  const countFailure = (scheduled: Claimed, final: boolean) => metrics().scheduledFailures.inc({ type: scheduled.type, final: String(final) });

  function giveUp(scheduled: Claimed, lastError: string) {
    countFailure(scheduled, true);
    deps.log.error({ scheduledCommandId: scheduled.id, type: scheduled.type, streamId: scheduled.stream_id, attempts: scheduled.attempts, lastError }, `scheduled command failed for good after ${scheduled.attempts} attempts`);
    return finish(scheduled.id, "failed", lastError);
  }

  async function dispatch(scheduled: Claimed, type: string, payload: Record<string, unknown>) {
    const result = await deps.commandBus.execute(
      message(type, payload, { actor: { kind: "system", name: "application-number-worker" }, correlationId: scheduled.correlation_id, causationId: scheduled.id, idempotencyKey: `${scheduled.id}` }),
    );
    // Already assigned (a redelivery, or an earlier round that succeeded) counts as done.
    if (!result.ok && !(result.error.kind === "domain" && result.error.code === "ApplicationNumberAlreadyAssigned")) {
      throw new Error(`${type} refused: ${result.error.detail}`);
    }
  }

  /**
   * Expires the quote at its expiry moment. A quote decided, withdrawn or already expired meanwhile has nothing to
   * expire: done. One whose expiry is still ahead (a clock behind the database's) is tried again a little later.
   */
  async function expireQuote(scheduled: Claimed) {
    const quoteId = scheduled.stream_id;
    const result = await deps.commandBus.execute<{ version: number }>(
      message("ExpireQuote", { quoteId }, { actor: { kind: "system", name: "quote-expiry" }, correlationId: scheduled.correlation_id, causationId: scheduled.id, idempotencyKey: scheduled.id }),
    );
    if (result.ok) {
      deps.log.info({ quoteId, version: result.value.version }, "quote expired");
      return finish(scheduled.id, "done");
    }
    const { error } = result;
    if (error.kind === "domain" && error.code === "QuoteStillValid") {
      return deps.db.scheduledCommand.update({ where: { id: scheduled.id }, data: { attempts: { decrement: 1 }, runAfter: new Date(Date.now() + 1_000), lastError: error.detail } });
    }
    if ((error.kind === "domain" || error.kind === "conflict") && NOTHING_TO_EXPIRE.has(error.code)) return finish(scheduled.id, "done");
    throw new Error(`ExpireQuote refused: ${error.detail}`);
  }

  /** Erases the quote's personal data when its retention period ends, unless it moved on (a draft submitted since). */
  async function applyDataRetention(scheduled: Claimed) {
    const quoteId = scheduled.stream_id;
    const { period, dueAt } = scheduled.payload;
    const result = await deps.commandBus.execute<{ version: number }>(
      message("ApplyDataRetention", { quoteId, period, dueAt }, { actor: { kind: "system", name: "privacy-retention" }, correlationId: scheduled.correlation_id, causationId: scheduled.id, idempotencyKey: scheduled.id }),
    );
    if (result.ok) {
      deps.log.info({ quoteId, period, version: result.value.version }, "personal data erased: retention period ended");
      return finish(scheduled.id, "done");
    }
    const { error } = result;
    if (error.kind === "domain" && error.code === "RetentionNotDue" && typeof dueAt === "string") {
      return deps.db.scheduledCommand.update({ where: { id: scheduled.id }, data: { attempts: { decrement: 1 }, runAfter: new Date(Math.max(Date.parse(dueAt), Date.now() + 1_000)), lastError: error.detail } });
    }
    if ((error.kind === "domain" || error.kind === "conflict") && NOTHING_TO_ERASE.has(error.code)) return finish(scheduled.id, "done");
    throw new Error(`ApplyDataRetention refused: ${error.detail}`);
  }

  /** Queues the reminder email; whether the quote is still open (not decided, withdrawn or erased) is checked when it is sent. */
  async function remindQuoteExpiring(scheduled: Claimed) {
    await enqueueNotifications(deps.db, [{ quoteId: scheduled.stream_id, kind: "expiring-soon", eventId: null, idempotencyKey: notificationKey("expiring-soon", scheduled.id) }]);
    return finish(scheduled.id, "done");
  }

  async function runOne(scheduled: Claimed) {
    const quoteId = scheduled.stream_id;
    // Claimed again and again without finishing (its worker dying mid-run each time): give up before running it.
    if (scheduled.attempts > maxAttempts) return giveUp(scheduled, scheduled.last_error ?? "claimed too many times without finishing");
    if (scheduled.type === "ExpireQuote") return expireQuote(scheduled);
    if (scheduled.type === "ApplyDataRetention") return applyDataRetention(scheduled);
    if (scheduled.type === REMIND_QUOTE_EXPIRING) return remindQuoteExpiring(scheduled);
    if (scheduled.type !== "RequestApplicationNumber") {
      countFailure(scheduled, true);
      return finish(scheduled.id, "failed", `unknown scheduled command ${scheduled.type}`);
    }
    const outcome = await deps.client.requestNumber(quoteId);
    if (outcome.ok) {
      await dispatch(scheduled, "AssignApplicationNumber", { quoteId, applicationNumber: outcome.applicationNumber });
      deps.log.info({ quoteId, applicationNumber: outcome.applicationNumber, round: scheduled.attempts, attempts: outcome.attempts }, "application number assigned");
      return finish(scheduled.id, "done");
    }
    countFailure(scheduled, !(outcome.retryable && (outcome.attempts === 0 || scheduled.attempts < maxRounds)));
    if (outcome.retryable && outcome.attempts === 0) {
      return deps.db.scheduledCommand.update({
        where: { id: scheduled.id },
        data: { attempts: { decrement: 1 }, runAfter: new Date(Date.now() + OPEN_CIRCUIT_WAIT_MS + Math.floor(Math.random() * 1_000)), lastError: truncateText(outcome.reason, MAX_LAST_ERROR_LENGTH) },
      });
    }
    if (outcome.retryable && scheduled.attempts < maxRounds) {
      const delay = roundBackoffMs(scheduled.attempts);
      deps.log.warn({ quoteId, round: scheduled.attempts, reason: outcome.reason, retryInMs: delay }, "application number request failed; will retry");
      return deps.db.scheduledCommand.update({ where: { id: scheduled.id }, data: { runAfter: new Date(Date.now() + delay), lastError: truncateText(outcome.reason, MAX_LAST_ERROR_LENGTH) } });
    }
    await dispatch(scheduled, "RecordApplicationNumberFailure", { quoteId, reason: truncateText(outcome.reason, MAX_FAILURE_REASON_LENGTH) || "unknown failure" });
    deps.log.error({ quoteId, rounds: scheduled.attempts, reason: outcome.reason }, "application number request gave up");
    return finish(scheduled.id, "failed", outcome.reason);
  }

  return {
    /** Runs the due commands (up to `limit`, concurrently); returns how many it ran. */
    async runDue(limit = 20): Promise<number> {
      const claimed = await claim(limit);
      for (const scheduled of claimed) metrics().scheduledAttempts.inc({ type: scheduled.type });
      await Promise.all(
        claimed.map((scheduled) =>
          runOne(scheduled).catch(async (error) => {
            if (scheduled.attempts >= maxAttempts) return giveUp(scheduled, String(error)).catch(() => {});
            countFailure(scheduled, false);
            // Try again soon rather than after the claim's lease (a write that kept losing a race, a brief outage).
            deps.log.warn({ err: error, scheduledCommandId: scheduled.id, attempts: scheduled.attempts, maxAttempts }, "scheduled command failed; retrying in about a second");
            await deps.db.scheduledCommand
              .update({ where: { id: scheduled.id }, data: { runAfter: new Date(Date.now() + 500 + Math.floor(Math.random() * 500)), lastError: truncateText(String(error), MAX_LAST_ERROR_LENGTH) } })
              .catch(() => {});
          }),
        ),
      );
      return claimed.length;
    },
    pending: () => deps.db.scheduledCommand.count({ where: { status: "pending" } }),
  };
}
