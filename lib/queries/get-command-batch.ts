import "server-only";
import { z } from "zod";
import { agentOnly } from "../access/policies";
import { fail, ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import { batchProgress, type BatchItemStatus } from "../domain/command-batch";
import type { PrismaClient } from "../generated/prisma/client";
import { commandBatchIdSchema } from "../../schemas/bulk-decisions";
import type { CommandBatchView } from "./contracts";
import { liveReadModels } from "./read-models";

const payloadSchema = z.strictObject({ commandId: commandBatchIdSchema });

/**
 * A command batch's progress and its items, in the order they were asked for, with each quote's application number
 * from the read model. Any agent may follow any batch: agents share the quotes, and the batch says who asked.
 */
export function getCommandBatch(deps: { db: PrismaClient }): QueryDefinition<z.output<typeof payloadSchema>, CommandBatchView> {
  return {
    type: "GetCommandBatch",
    schema: payloadSchema,
    authorize: agentOnly,
    handle: async ({ payload }) => {
      const batch = await deps.db.commandBatch.findUnique({ where: { id: payload.commandId }, include: { items: { orderBy: { position: "asc" } } } });
      if (!batch) return fail({ kind: "not_found", detail: "No such command." });
      const readModels = await liveReadModels(deps.db);
      const summaries = await readModels.quoteSummary.findMany({ where: { quoteId: { in: batch.items.map((item) => item.quoteId) } }, select: { quoteId: true, applicationNumber: true } });
      const numbers = new Map(summaries.map((summary) => [summary.quoteId, summary.applicationNumber]));
      const items = batch.items.map((item) => ({
        quoteId: item.quoteId,
        applicationNumber: numbers.get(item.quoteId) ?? null,
        status: item.status as BatchItemStatus,
        outcome: item.outcome,
        message: item.message,
        version: item.version,
      }));
      const { decision, reason } = batch.payload as { decision: string; reason?: string };
      return ok({
        id: batch.id,
        type: batch.type,
        decision,
        reason: reason ?? null,
        requestedBy: batch.requestedBy,
        createdAt: batch.createdAt.toISOString(),
        ...batchProgress(batch.items.map((item) => ({ status: item.status as BatchItemStatus, attempts: item.attempts }))),
        items,
      });
    },
  };
}
