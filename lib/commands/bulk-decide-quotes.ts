import "server-only";
import { randomUUID } from "node:crypto";
import { agentOnly } from "../access/policies";
import { fail, ok } from "../cqrs/app-error";
import type { CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { bulkDecisionBodySchema, type BulkDecision, type BulkDecisionBody } from "../../schemas/bulk-decisions";

export const BULK_DECIDE_QUOTES = "BulkDecideQuotes";

/** What the batch's every item shares; the quote is the item's. */
export interface BulkDecisionPayload {
  decision: BulkDecision;
  reason?: string;
}

export interface CommandAccepted {
  /** The batch's id: GET /api/admin/commands/{commandId} follows it. */
  commandId: string;
  total: number;
}

const ITEM_COMMAND_TYPE: Record<BulkDecision, "ApproveQuote" | "ReferQuote"> = { approve: "ApproveQuote", refer: "ReferQuote" };

/** The command one item of a bulk decision runs: the same ApproveQuote or ReferQuote a single decision sends. */
export function bulkDecisionItemCommand(payload: BulkDecisionPayload, quoteId: string): { type: string; payload: { quoteId: string; reason?: string } } {
  return { type: ITEM_COMMAND_TYPE[payload.decision], payload: { quoteId, ...(payload.reason === undefined ? {} : { reason: payload.reason }) } };
}

/**
 * An agent's decision on several quotes, accepted asynchronously: the handler only writes the batch and one pending
 * item per quote, in one statement, and answers its id. The worker (lib/worker/command-batches.ts) decides each
 * quote later through this bus, as the agent. A repeat with the same Idempotency-Key (by the same agent) answers
 * the first batch; the same key with another request is refused.
 */
export function bulkDecideQuotesCommand(deps: { db: PrismaClient }): CommandDefinition<BulkDecisionBody, CommandAccepted> {
  return {
    type: BULK_DECIDE_QUOTES,
    schema: bulkDecisionBodySchema,
    authorize: agentOnly,
    handle: async (command) => {
      const { actor, correlationId, idempotency } = command.metadata;
      if (actor.kind !== "agent") return fail({ kind: "unauthorized", detail: "Sign in as an agent to do this." });
      const { decision, reason, quoteIds } = command.payload;
      const payload: BulkDecisionPayload = { decision, ...(reason === undefined ? {} : { reason }) };
      const id = randomUUID();
      const [written] = await deps.db.$queryRaw<Array<{ id: string | null }>>`
        WITH batch AS (
          INSERT INTO command_batches (id, type, payload, requested_by, correlation_id, idempotency_key, request_fingerprint, total)
          VALUES (${id}::uuid, ${BULK_DECIDE_QUOTES}, ${JSON.stringify(payload)}::jsonb, ${actor.agentId}, ${correlationId},
                  ${idempotency?.key ?? null}, ${idempotency?.fingerprint ?? null}, ${quoteIds.length})
          ON CONFLICT (requested_by, idempotency_key) DO NOTHING
          RETURNING id
        ), items AS (
          INSERT INTO command_batch_items (batch_id, position, quote_id)
          SELECT batch.id, item.position - 1, item.quote_id
            FROM batch CROSS JOIN unnest(${quoteIds}::uuid[]) WITH ORDINALITY AS item(quote_id, position)
          RETURNING 1
        )
        SELECT (SELECT id::text FROM batch) AS id, (SELECT count(*) FROM items) AS items`;
      if (written?.id) return ok({ commandId: written.id, total: quoteIds.length });

      // Nothing written: this agent used the key before.
      const first = await deps.db.commandBatch.findUnique({ where: { requestedBy_idempotencyKey: { requestedBy: actor.agentId, idempotencyKey: idempotency!.key } } });
      if (!first) throw new Error("a command batch neither written nor found");
      if (first.requestFingerprint !== idempotency!.fingerprint) {
        return fail({ kind: "unprocessable", code: "IdempotencyKeyReused", detail: "This Idempotency-Key was already used for a different request. Use a new key for a new request." });
      }
      return ok({ commandId: first.id, total: first.total });
    },
  };
}
