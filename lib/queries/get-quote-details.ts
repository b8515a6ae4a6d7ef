import { fail, ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { getQuotePayloadSchema, getQuoteTimelinePayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../commands/policies";
import type { QuoteDetailsView, QuoteTimelineResult } from "./contracts";
import { detailsView, timelineView } from "./quote-views";
import { liveReadModels, waitForQuoteVersion } from "./read-models";

export function getQuoteDetails(deps: { db: PrismaClient }): QueryDefinition<{ quoteId: string; minVersion?: number }, QuoteDetailsView> {
  return {
    type: "GetQuoteDetails",
    schema: getQuotePayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const readModels = await liveReadModels(deps.db);
      const fresh = await waitForQuoteVersion(readModels, payload.quoteId, payload.minVersion);
      const row = await readModels.quoteDetails.findUnique({ where: { quoteId: payload.quoteId } });
      return row ? ok(detailsView(row, !fresh)) : fail({ kind: "not_found", detail: `No quote ${payload.quoteId}.` });
    },
  };
}

export function getQuoteTimeline(deps: { db: PrismaClient }): QueryDefinition<{ quoteId: string }, QuoteTimelineResult> {
  return {
    type: "GetQuoteTimeline",
    schema: getQuoteTimelinePayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const readModels = await liveReadModels(deps.db);
      const rows = await readModels.quoteTimelineEntry.findMany({ where: { quoteId: payload.quoteId }, orderBy: { version: "asc" } });
      if (rows.length === 0) return fail({ kind: "not_found", detail: `No quote ${payload.quoteId}.` });
      return ok({ quoteId: payload.quoteId, entries: rows.map(timelineView) });
    },
  };
}
