import "server-only";
import { randomUUID } from "node:crypto";
import { agentOnly } from "../access/policies";
import { fail, ok } from "../cqrs/app-error";
import type { CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { DEFAULT_IDEMPOTENCY_TTL_HOURS } from "../eventstore/event-store";
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
 * quote later through this bus, as the agent. An Idempotency-Key is claimed in idempotency_records in the same
 * statement, as an append claims it: a repeat is answered by the idempotency middleware with the first batch, and
 * the same key with another request is refused there.
 */
export function bulkDecideQuotesCommand(deps: { db: PrismaClient; idempotencyTtlHours?: number }): CommandDefinition<BulkDecisionBody, CommandAccepted> {
  const ttlHours = deps.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS;
  return {
    type: BULK_DECIDE_QUOTES,
    schema: bulkDecisionBodySchema,
    authorize: agentOnly,
    handle: async (command) => {
      const { actor, correlationId, idempotency } = command.metadata;
      if (actor.kind !== "agent") return fail({ kind: "unauthorized", detail: "Sign in as an agent to do this." });
      const { decision, reason, quoteIds } = command.payload;
      const payload: BulkDecisionPayload = { decision, ...(reason === undefined ? {} : { reason }) };
      const accepted: CommandAccepted = { commandId: randomUUID(), total: quoteIds.length };
      const key = idempotency?.key ?? null;
      const [written] = await deps.db.$queryRaw<Array<{ id: string | null }>>`
        WITH key_claim AS (
          INSERT INTO idempotency_records (scope, key, command_type, fingerprint, response, expires_at)
          SELECT ${idempotency?.scope ?? null}::text, ${key}::text, ${BULK_DECIDE_QUOTES}, ${idempotency?.fingerprint ?? null}::text,
                 ${JSON.stringify(accepted)}::jsonb, now() + make_interval(hours => ${ttlHours})
           WHERE ${key}::text IS NOT NULL
          ON CONFLICT (scope, key) DO UPDATE
            SET command_type = EXCLUDED.command_type, fingerprint = EXCLUDED.fingerprint, response = EXCLUDED.response,
                expires_at = EXCLUDED.expires_at, created_at = now()
            WHERE idempotency_records.expires_at <= now()
          RETURNING 1
        ), batch AS (
          INSERT INTO command_batches (id, type, payload, requested_by, correlation_id, total)
          SELECT ${accepted.commandId}::uuid, ${BULK_DECIDE_QUOTES}, ${JSON.stringify(payload)}::jsonb, ${actor.agentId}, ${correlationId}, ${quoteIds.length}
           WHERE ${key}::text IS NULL OR EXISTS (SELECT 1 FROM key_claim)
          RETURNING id
        ), items AS (
          INSERT INTO command_batch_items (batch_id, position, quote_id)
          SELECT batch.id, item.position - 1, item.quote_id
            FROM batch CROSS JOIN unnest(${quoteIds}::uuid[]) WITH ORDINALITY AS item(quote_id, position)
          RETURNING 1
        )
        SELECT (SELECT id::text FROM batch) AS id, (SELECT count(*) FROM items) AS items`;
      // Nothing written: the key was claimed first by another request of this agent's, which the middleware answers.
      if (!written?.id) return fail({ kind: "conflict", code: "IdempotencyReplay", detail: "This request was already handled." });
      return ok(accepted);
    },
  };
}
