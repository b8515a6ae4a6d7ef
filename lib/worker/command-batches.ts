import "server-only";
import { bulkDecisionItemCommand, BULK_DECIDE_QUOTES, type BulkDecisionPayload } from "../commands/bulk-decide-quotes";
import type { Bus } from "../cqrs/bus";
import { message } from "../cqrs/message";
import { itemVerdict, type ItemResult } from "../domain/command-batch";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { DEFAULT_WORKER_CLAIM_LEASE_SECONDS } from "../config/defaults";
import { metrics } from "../observability/metrics";
import { truncateText } from "../text/truncate-text";

/** Runs of one item that met the platform's trouble (not the quote's refusal) before it is recorded as failed. */
export const DEFAULT_BATCH_ITEM_MAX_ATTEMPTS = 5;
const MAX_MESSAGE_LENGTH = 1_000;
const retryDelayMs = (attempts: number) => Math.min(30_000, 500 * 2 ** (attempts - 1));

/** Each batch type's item: the command one quote of it runs on the bus. */
const ITEM_COMMANDS: Record<string, (payload: never, quoteId: string) => { type: string; payload: { quoteId: string } }> = {
  [BULK_DECIDE_QUOTES]: (payload: BulkDecisionPayload, quoteId) => bulkDecisionItemCommand(payload, quoteId),
};

interface ClaimedItem {
  batch_id: string;
  position: number;
  quote_id: string;
  attempts: number;
  type: string;
  payload: unknown;
  requested_by: string;
  correlation_id: string;
}

/**
 * Runs the items of command batches (bulk decisions): each is its own command on the bus (ApproveQuote, ReferQuote)
 * as the agent who asked, with an idempotency key of the item's own, so an item run again after its worker died
 * (its lease over) gets the first run's answer and decides nothing twice. A quote that says no (already decided,
 * expired) is recorded as refused with the domain's message; the batch goes on.
 */
export function createCommandBatchProcessor(deps: { db: PrismaClient; commandBus: Bus; log: Logger; leaseSeconds?: number; maxAttempts?: number }) {
  // A claimed item is hidden from other workers this long; if its worker dies, another takes it after.
  const leaseSeconds = deps.leaseSeconds ?? DEFAULT_WORKER_CLAIM_LEASE_SECONDS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_BATCH_ITEM_MAX_ATTEMPTS;

  async function claim(limit: number): Promise<ClaimedItem[]> {
    return deps.db.$queryRaw<ClaimedItem[]>`
      WITH claimed AS (
        UPDATE command_batch_items
           SET attempts = attempts + 1, run_after = now() + make_interval(secs => ${leaseSeconds})
         WHERE (batch_id, position) IN (SELECT batch_id, position FROM command_batch_items
                                         WHERE status = 'pending' AND run_after <= now()
                                         ORDER BY run_after, batch_id, position LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING batch_id, position, quote_id, attempts
      )
      SELECT claimed.batch_id::text AS batch_id, claimed.position, claimed.quote_id::text AS quote_id, claimed.attempts,
             batch.type, batch.payload, batch.requested_by, batch.correlation_id
        FROM claimed JOIN command_batches batch ON batch.id = claimed.batch_id
       ORDER BY claimed.batch_id, claimed.position`;
  }

  /** Records the item's end; only while it is still pending, so a slow run that lost its lease writes nothing twice. */
  const finish = (item: ClaimedItem, data: { status: "done" | "refused" | "failed"; outcome?: string | null; message?: string | null; version?: number | null }) => {
    metrics().commandBatchItems.inc({ type: item.type, status: data.status });
    return deps.db.commandBatchItem.updateMany({
      where: { batchId: item.batch_id, position: item.position, status: "pending" },
      data: { status: data.status, outcome: data.outcome ?? null, message: data.message === undefined || data.message === null ? null : truncateText(data.message, MAX_MESSAGE_LENGTH), version: data.version ?? null, completedAt: new Date() },
    });
  };

  function retryLater(item: ClaimedItem, reason: string) {
    if (item.attempts >= maxAttempts) {
      deps.log.error({ batchId: item.batch_id, quoteId: item.quote_id, attempts: item.attempts, reason }, "command batch item failed for good");
      return finish(item, { status: "failed", outcome: "Failed", message: reason });
    }
    metrics().commandBatchItems.inc({ type: item.type, status: "retried" });
    deps.log.warn({ batchId: item.batch_id, quoteId: item.quote_id, attempts: item.attempts, reason }, "command batch item will be tried again");
    return deps.db.commandBatchItem.updateMany({
      where: { batchId: item.batch_id, position: item.position, status: "pending" },
      data: { runAfter: new Date(Date.now() + retryDelayMs(item.attempts)), message: truncateText(reason, MAX_MESSAGE_LENGTH) },
    });
  }

  async function runOne(item: ClaimedItem) {
    // Claimed again and again without finishing (its worker dying mid-run each time).
    if (item.attempts > maxAttempts) return finish(item, { status: "failed", outcome: "Failed", message: "claimed too many times without finishing" });
    const itemCommand = ITEM_COMMANDS[item.type];
    if (!itemCommand) return finish(item, { status: "failed", outcome: "Failed", message: `unknown command batch type ${item.type}` });
    const { type, payload } = itemCommand(item.payload as never, item.quote_id);
    const result = await deps.commandBus.execute<{ status: string; version: number }>(
      message(type, payload, {
        actor: { kind: "agent", agentId: item.requested_by },
        correlationId: item.correlation_id,
        causationId: item.batch_id,
        idempotencyKey: `command-batch:${item.batch_id}`,
      }),
    );
    const verdict = itemVerdict(result as ItemResult);
    if (verdict.status === "retry") return retryLater(item, verdict.message);
    if (verdict.status === "done") {
      deps.log.info({ batchId: item.batch_id, quoteId: item.quote_id, type, version: verdict.version }, "command batch item done");
      return finish(item, { status: "done", outcome: verdict.outcome, version: verdict.version });
    }
    deps.log.info({ batchId: item.batch_id, quoteId: item.quote_id, type, outcome: verdict.outcome }, "command batch item refused");
    return finish(item, { status: "refused", outcome: verdict.outcome, message: verdict.message });
  }

  return {
    /** Runs the waiting items (up to `limit`, concurrently: each is another quote); returns how many it took. */
    async runDue(limit = 20): Promise<number> {
      const claimed = await claim(limit);
      await Promise.all(claimed.map((item) => runOne(item).catch((error) => retryLater(item, String(error)).catch(() => {}))));
      return claimed.length;
    },
    pending: () => deps.db.commandBatchItem.count({ where: { status: "pending" } }),
  };
}
