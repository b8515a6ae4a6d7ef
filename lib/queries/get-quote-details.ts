import "server-only";
import { fail, ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { getQuotePayloadSchema, getQuoteTimelinePayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../access/policies";
import type { QuoteDetailsView, QuoteTimelineResult } from "./contracts";
import { detailsView, timelineView } from "./quote-views";
import type { ReadCache } from "./read-cache";
import { liveReadModels, waitForQuoteVersion } from "./read-models";

export function getQuoteDetails(deps: { db: PrismaClient; cache: Pick<ReadCache, "get"> }): QueryDefinition<{ quoteId: string; minVersion?: number }, QuoteDetailsView> {
  return {
    type: "GetQuoteDetails",
    schema: getQuotePayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const load = async () => {
        const readModels = await liveReadModels(deps.db);
        const fresh = await waitForQuoteVersion(readModels, payload.quoteId, payload.minVersion);
        const row = await readModels.quoteDetails.findUnique({ where: { quoteId: payload.quoteId } });
        return row ? detailsView(row, !fresh) : null;
      };
      const view = await deps.cache.get(`details:${payload.quoteId}`, payload.quoteId, load, (cached) => cached !== null && !cached.stale && cached.version >= (payload.minVersion ?? 0));
      return view ? ok(view) : fail({ kind: "not_found", detail: `No quote ${payload.quoteId}.` });
    },
  };
}

export function getQuoteTimeline(deps: { db: PrismaClient; cache: Pick<ReadCache, "get"> }): QueryDefinition<{ quoteId: string }, QuoteTimelineResult> {
  return {
    type: "GetQuoteTimeline",
    schema: getQuoteTimelinePayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const entries = await deps.cache.get(`timeline:${payload.quoteId}`, payload.quoteId, async () => {
        const readModels = await liveReadModels(deps.db);
        const rows = await readModels.quoteTimelineEntry.findMany({ where: { quoteId: payload.quoteId }, orderBy: { version: "asc" } });
        return rows.map(timelineView);
      });
      if (entries.length === 0) return fail({ kind: "not_found", detail: `No quote ${payload.quoteId}.` });
      return ok({ quoteId: payload.quoteId, entries });
    },
  };
}
